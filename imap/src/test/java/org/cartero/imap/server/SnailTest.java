package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cartero.core.config.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * s-nail, the mailx of Debian, reads a mailbox over IMAPS in batch mode: it lists the headers
 * and prints a message, checking the server's certificate (made for "localhost") as users have it.
 */
class SnailTest {

    @TempDir
    static Path directory;

    @RegisterExtension
    static final TestImapServer server = TestImapServer.configuredBy("""
            hostname = "localhost"
            data_dir = "data"
            [listen]
            imap = ["127.0.0.1:0"]
            imaps = ["127.0.0.1:0"]
            [auth]
            plaintext_on_loopback = true
            """);

    @Test
    void snailListsAndPrintsTheMessagesOverImaps() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/s-nail")), "s-nail is needed");
        String user = server.newUser();
        try (TestClient client = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            for (String subject : new String[] {"First letter", "Second letter"}) {
                String message = "From: Ana Writer <ana@example.test>\r\nTo: " + user + "\r\nSubject: " + subject
                        + "\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n\r\nText of " + subject.toLowerCase() + ".\r\n";
                client.ok("APPEND INBOX {" + message.length() + "+}\r\n" + message);
            }
        }
        Path ca = server.certificatePem(directory.resolve("server.pem"));
        String url = "imaps://" + user.replace("@", "%40") + "@localhost:" + server.address(Service.IMAPS).getPort();
        Process snail = new ProcessBuilder("s-nail", "-#", "-S", "v15-compat", "-S", "tls-ca-file=" + ca, "-S",
                "password=" + TestImapServer.PASSWORD, "-f", url).redirectErrorStream(true).start();
        snail.getOutputStream().write("headers\nprint 2\nquit\n".getBytes(StandardCharsets.US_ASCII));
        snail.getOutputStream().close();
        String output = new String(snail.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(snail.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(snail.exitValue()).as(output).isZero();
        assertThat(output).contains("Ana Writer", "First letter", "Second letter", "Text of second letter.")
                .doesNotContain("Text of first letter.");
    }
}
