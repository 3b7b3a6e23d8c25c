package org.cartero.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.cartero.core.testing.TestConfigs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMTP client's side: opportunistic TLS accepts a certificate nobody vouches for, and names the peer in SNI. */
class OpportunisticClientTest {
    @TempDir
    Path dir;
    private TlsContext peer;
    private TlsContext ours;

    @BeforeEach
    void twoServersThatDoNotKnowEachOther() throws Exception {
        peer = TlsContext.create(TestConfigs.loopback(Files.createDirectories(dir.resolve("peer"))));
        ours = TlsContext.create(TestConfigs.loopback(Files.createDirectories(dir.resolve("ours"))));
    }

    @Test
    void handshakesWithAnUnverifiableServerAndSendsItsNameInSni() throws Exception {
        try (HandshakeServer server = new HandshakeServer(peer);
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port());
             SSLSocket secured = ours.clientHandshake(plain, "mx.example.test")) {
            assertThat(secured.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(secured.getSession().getPeerCertificates()[0]).isEqualTo(peer.certificate());

            SSLSession serverSide = server.sessions.poll(20, TimeUnit.SECONDS);
            assertThat(((ExtendedSSLSession) serverSide).getRequestedServerNames())
                    .containsExactly(new SNIHostName("mx.example.test"));
        }
    }

    @Test
    void sendsNoSniForAnAddress() throws Exception {
        try (HandshakeServer server = new HandshakeServer(peer);
             Socket plain = new Socket(InetAddress.getLoopbackAddress(), server.port());
             SSLSocket secured = ours.clientHandshake(plain, "127.0.0.1")) {
            assertThat(secured.getSession().getCipherSuite()).startsWith("TLS_");
            SSLSession serverSide = server.sessions.poll(20, TimeUnit.SECONDS);
            assertThat(((ExtendedSSLSession) serverSide).getRequestedServerNames()).isEmpty();
        }
    }
}
