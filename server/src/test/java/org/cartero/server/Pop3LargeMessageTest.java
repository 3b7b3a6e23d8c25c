package org.cartero.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.cartero.core.auth.Passwords;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.Directory;
import org.cartero.core.mail.MailAddress;
import org.cartero.core.testing.TestConfigs;
import org.cartero.core.testing.TestTls;
import org.cartero.store.delivery.LocalDelivery;
import org.cartero.store.embedded.EmbeddedMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RETR of a 50 MB message from {@code cartero serve} run with a 48 MB heap (a login's Argon2id check alone takes 19 MiB of it): the message cannot
 * fit in that heap, so the transfer succeeds only if it is streamed. The client checks every
 * octet against a digest of what was delivered.
 */
class Pop3LargeMessageTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final long BODY_OCTETS = 50L * 1024 * 1024;
    private static final MailAddress USER = MailAddress.parse("big@example.test");
    private static final String PASSWORD = "large pass 1";

    @TempDir
    Path dir;

    /** The body: numbered lines of 100 octets, every seventh beginning with a dot, LF-terminated. */
    private static InputStream body() {
        return new InputStream() {
            private long produced;
            private byte[] line = new byte[0];
            private int position;

            @Override
            public int read() {
                if (position == line.length) {
                    if (produced >= BODY_OCTETS) return -1;
                    long number = produced / 100;
                    String text = (number % 7 == 0 ? "." : "x") + String.format("%08d", number) + "y".repeat(90);
                    line = (text + "\n").getBytes(StandardCharsets.US_ASCII);
                    position = 0;
                    produced += line.length;
                }
                return line[position++];
            }
        };
    }

    private static final String HEADER = "From: sender@example.org\nTo: big@example.test\nSubject: big\n\n";

    @Test
    void aFiftyMegabyteMessageIsStreamedByAServerWithA48MegabyteHeap() throws Exception {
        Path config = TestConfigs.write(dir, "");
        Settings settings = Settings.load(config);
        Account account;
        try (Directory directory = Directory.open(settings.config())) {
            directory.addDomain(USER.domain());
            directory.addUser(USER, Passwords.hash(PASSWORD), 0);
            account = directory.account(USER.toString()).orElseThrow();
        }
        try (EmbeddedMailStore store = new EmbeddedMailStore(settings.store())) {
            InputStream message = new java.io.SequenceInputStream(
                    new java.io.ByteArrayInputStream(HEADER.getBytes(StandardCharsets.US_ASCII)), body());
            new LocalDelivery(store).deliver(message, account, USER, "sender@example.org");
        }
        // What the client must receive: the delivered message in wire form (CRLF line ends).
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        String prefix = "Return-Path: <sender@example.org>\nDelivered-To: " + USER + "\n" + HEADER;
        try (InputStream all = new java.io.SequenceInputStream(
                new java.io.ByteArrayInputStream(prefix.getBytes(StandardCharsets.US_ASCII)), new BufferedInputStream(body()))) {
            byte[] buffer = new byte[65536];
            for (int n; (n = all.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') expected.update((byte) '\r');
                    expected.update(buffer[i]);
                }
            }
        }

        try (ServerProcess server = ServerProcess.start(dir, List.of("-Xmx48m"), "serve", "--config", config.toString())) {
            String listening = server.awaitLine("Listening for pop3s on", START);
            server.awaitLine("Cartero " + TestConfigs.HOSTNAME + " started", START);
            Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(listening);
            assertThat(port.find()).isTrue();
            X509Certificate certificate;
            try (InputStream pem = Files.newInputStream(settings.config().dataDir().resolve("tls/self-signed.crt"))) {
                certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
            }
            try (SSLSocket socket = (SSLSocket) TestTls.clientContext(certificate).getSocketFactory()
                    .createSocket("127.0.0.1", Integer.parseInt(port.group(1)))) {
                socket.setSoTimeout(60_000);
                InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
                OutputStream out = socket.getOutputStream();
                assertThat(line(in)).startsWith("+OK");
                out.write(("USER " + USER + "\r\nPASS " + PASSWORD + "\r\nRETR 1\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(line(in)).startsWith("+OK");
                assertThat(line(in)).startsWith("+OK maildrop locked and ready, 1 messages");
                String status = line(in);
                assertThat(status).matches("\\+OK \\d+ octets");
                long announced = Long.parseLong(status.split(" ")[1]);

                MessageDigest received = MessageDigest.getInstance("SHA-256");
                long octets = 0;
                for (String line = line(in); !line.equals("."); line = line(in)) {
                    byte[] bytes = (line.startsWith(".") ? line.substring(1) : line).getBytes(StandardCharsets.US_ASCII);
                    received.update(bytes);
                    received.update(new byte[] {'\r', '\n'});
                    octets += bytes.length + 2;
                }
                assertThat(octets).isEqualTo(announced).isGreaterThan(BODY_OCTETS);
                assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(expected.digest()));

                out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(line(in)).startsWith("+OK");
            } catch (IOException | AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nserver output:\n" + server.output(), e);
            }
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
            assertThat(server.output()).doesNotContain("OutOfMemoryError");
        }
    }

    /** One line without its CRLF. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("connection closed");
            line.write(b);
        }
        String text = line.toString(StandardCharsets.US_ASCII);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
