package org.cartero.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.cartero.core.config.Config;
import org.cartero.core.config.Service;
import org.cartero.core.testing.LineClient;
import org.cartero.core.testing.TestConfigs;
import org.cartero.core.testing.TestTls;
import org.cartero.core.tls.TlsContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Implicit TLS and STARTTLS through the listener core, with clients that trust the self-signed certificate. */
class TlsConnectionTest {
    @TempDir
    Path dir;
    private final EchoProtocol echo = new EchoProtocol();
    private NetServer server;
    private TlsContext tls;

    @BeforeEach
    void start() throws Exception {
        Config config = TestConfigs.loopback(dir);
        tls = TlsContext.create(config);
        server = NetServer.start(config, tls, Map.of(Service.IMAP, echo, Service.IMAPS, echo));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void implicitTlsHandshakesFirstAndShowsProtocolAndCipherToTheSession() throws IOException {
        try (LineClient client = LineClient.connectTls(server.address(Service.IMAPS), TestTls.socketFactory(tls))) {
            SSLSession session = client.tlsSession();
            assertThat(session.getPeerCertificates()[0]).isEqualTo(tls.certificate());
            assertThat(client.readLine()).isEqualTo("+OK echo ready");
            client.writeLine("INFO");
            assertThat(client.readLine())
                    .isEqualTo("+OK " + session.getProtocol() + " " + session.getCipherSuite() + " loopback=true");
            assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void startTlsUpgradesAPlainSession() throws IOException {
        try (LineClient client = LineClient.connect(server.address(Service.IMAP))) {
            assertThat(client.readLine()).isEqualTo("+OK echo ready");
            client.writeLine("INFO");
            assertThat(client.readLine()).isEqualTo("+OK null null loopback=true");
            client.writeLine("STARTTLS");
            assertThat(client.readLine()).isEqualTo("+OK begin TLS");
            client.startTls(TestTls.socketFactory(tls));
            client.writeLine("INFO");
            assertThat(client.readLine()).isEqualTo("+OK TLSv1.3 " + client.tlsSession().getCipherSuite() + " loopback=true");
            client.writeLine("ECHO secret");
            assertThat(client.readLine()).isEqualTo("+OK secret");
        }
    }

    /** CVE-2011-0411: a command pipelined behind STARTTLS in the same packet must never run. */
    @Test
    void aCommandInjectedBehindStartTlsIsNeverExecuted() throws IOException {
        try (LineClient client = LineClient.connect(server.address(Service.IMAP))) {
            assertThat(client.readLine()).isEqualTo("+OK echo ready");
            client.write("STARTTLS\r\nECHO injected\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readLine()).isEqualTo("+OK begin TLS");
            // Fails if the server answered the injected command in plain text before the handshake.
            client.startTls(TestTls.socketFactory(tls));
            client.writeLine("ECHO after");
            assertThat(client.readLine()).as("the first answer inside TLS").isEqualTo("+OK after");
            client.writeLine("QUIT");
            assertThat(client.readLine()).isEqualTo("+OK bye");
            assertThat(client.readLine()).isNull();
        }
        assertThat(echo.executed).containsExactly("STARTTLS", "ECHO after", "QUIT");
    }

    @Test
    void plainTextOnAnImplicitTlsPortIsDroppedAndTheServerGoesOn() throws IOException {
        try (LineClient plain = LineClient.connect(server.address(Service.IMAPS))) {
            plain.writeLine("ECHO not tls");
            assertThat(readUntilClosed(plain)).as("no greeting, no answer").doesNotContain("+OK");
        }
        try (LineClient client = LineClient.connectTls(server.address(Service.IMAPS), TestTls.socketFactory(tls))) {
            assertThat(client.readLine()).isEqualTo("+OK echo ready");
        }
        assertThat(echo.executed).doesNotContain("ECHO not tls");
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsTheHandshake() throws Exception {
        TlsContext other = TlsContext.create(TestConfigs.loopback(Files.createDirectories(dir.resolve("other"))));
        try (LineClient client = LineClient.connect(server.address(Service.IMAPS))) {
            assertThatThrownBy(() -> client.startTls(TestTls.socketFactory(other)))
                    .isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void startTlsAgainInsideTlsIsRefusedByTheCore() throws IOException {
        try (LineClient client = LineClient.connectTls(server.address(Service.IMAPS), TestTls.socketFactory(tls))) {
            assertThat(client.readLine()).isEqualTo("+OK echo ready");
            client.writeLine("STARTTLS");
            assertThat(client.readLine()).isEqualTo("+OK begin TLS");
            assertThat(client.readLine()).as("IllegalStateException ends the session").isNull();
        }
    }

    /** Everything the server sends until it closes (a TLS alert, or nothing); a reset ends it too. */
    private static String readUntilClosed(LineClient client) {
        StringBuilder received = new StringBuilder();
        try {
            for (String line = client.readLine(); line != null; line = client.readLine()) received.append(line).append('\n');
        } catch (IOException e) {
            received.append("(").append(e.getMessage()).append(")");
        }
        return received.toString();
    }
}
