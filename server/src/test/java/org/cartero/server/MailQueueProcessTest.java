package org.cartero.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cartero.core.auth.Passwords;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.directory.Directory;
import org.cartero.core.mail.MailAddress;
import org.cartero.core.testing.LineClient;
import org.cartero.core.testing.TestConfigs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mail queue as an administrator meets it, with {@code cartero serve} as a child process: a
 * message acknowledged just before a SIGKILL is delivered exactly once after the restart;
 * {@code sendmail} (run under that name) hands mail to the running server; {@code cartero queue}
 * lists, flushes and deletes.
 */
class MailQueueProcessTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final MailAddress BOB = new MailAddress("bob", "example.test");
    private static final Pattern LISTENING = Pattern.compile("Listening for smtp on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private Path configFile;
    private Config config;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(dir.resolve("aliases"), "");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        configFile = TestConfigs.write(dir, """
                [local]
                passwd_file = "passwd"
                aliases_file = "aliases"
                spool_dir = "spool"
                [smtp]
                retry_min = "300ms"
                retry_max = "600ms"
                # elsewhere.test's server is down: its mail waits in the queue.
                [smtp.routes]
                "elsewhere.test" = "127.0.0.1:%d"
                """.formatted(closedPort));
        config = Config.from(ConfigFile.load(configFile));
    }

    private void addBob(long quota) throws Exception {
        try (Directory directory = Directory.open(config)) {
            if (!directory.isVirtualDomain("example.test")) directory.addDomain("example.test");
            if (directory.account(BOB.toString()).isPresent()) directory.removeUser(BOB);
            directory.addUser(BOB, Passwords.hash("secret"), quota);
        }
    }

    private ServerProcess serve() throws Exception {
        return ServerProcess.start(dir, "serve", "--config", configFile.toString());
    }

    private static InetSocketAddress smtpAddress(ServerProcess server) throws InterruptedException {
        Matcher m = LISTENING.matcher(server.awaitLine("Listening for smtp on", START));
        assertThat(m.find()).isTrue();
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
    }

    private List<String> bobsMail() throws IOException {
        Path maildir = config.dataDir().resolve("mail/example.test/bob");
        List<String> messages = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(maildir.resolve(sub))) {
                for (Path f : files) messages.add(Files.readString(f));
            } catch (NoSuchFileException e) {
                // nothing yet
            }
        }
        return messages;
    }

    private List<String> awaitBobsMail(int count) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (bobsMail().size() < count && System.nanoTime() < deadline) Thread.sleep(50);
        return bobsMail();
    }

    /** Runs {@code cartero ARGS} (under the name {@code invokedAs}) to its end; returns its exit code and output. */
    private record Run(int exitCode, String output) {}

    private Run cartero(String invokedAs, String stdin, String... args) throws Exception {
        Process process = ServerProcess.builder(dir, invokedAs, List.of(), args).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    @Test
    void aMessageAcknowledgedBeforeASigkillIsDeliveredOnceAfterTheRestart() throws Exception {
        addBob(1); // a full mailbox: the message stays queued
        String id;
        try (ServerProcess server = serve()) {
            try (LineClient client = LineClient.connect(smtpAddress(server))) {
                client.readLine();
                client.write(("EHLO client.test\r\nMAIL FROM:<someone@elsewhere.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String line;
                while (!(line = client.readLine()).startsWith("354")) assertThat(line).startsWith("250");
                client.write("Subject: survive\r\n\r\nkill -9 me\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
                String reply = client.readLine();
                assertThat(reply).startsWith("250 2.0.0 OK: queued as ");
                id = reply.substring(reply.length() - 15);
                server.kill();
            }
        }
        Run list = cartero("cartero", "", "--config", configFile.toString(), "queue", "list");
        assertThat(list.output()).contains(id, "<someone@elsewhere.test>", "bob@example.test: pending");

        addBob(0); // room now
        try (ServerProcess server = serve()) {
            server.awaitLine("Queue: 1 messages picked up", START);
            assertThat(awaitBobsMail(1)).hasSize(1).allSatisfy(m -> assertThat(m).contains("kill -9 me", "id " + id));
            server.awaitLine(id + ": removed", START);
            Thread.sleep(500);
            assertThat(bobsMail()).hasSize(1);
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
        assertThat(cartero("cartero", "", "--config", configFile.toString(), "queue", "list").output()).contains("Mail queue is empty");
    }

    @Test
    void sendmailRunUnderItsOwnNameHandsMailToTheServer() throws Exception {
        addBob(0);
        try (ServerProcess server = serve()) {
            server.awaitLine("Cartero mail.example.test started", START);
            Run sendmail = cartero("sendmail", """
                    From: Root <root@mail.example.test>
                    To: bob@example.test
                    Bcc: secret@elsewhere.test
                    Subject: from a script

                    first line
                    .
                    after the dot
                    """, "-C", configFile.toString(), "-t", "-i", "-f", "robot@mail.example.test");
            assertThat(sendmail.exitCode()).as(sendmail.output()).isZero();
            String message = awaitBobsMail(1).getFirst();
            assertThat(message).contains("Return-Path: <robot@mail.example.test>", "Subject: from a script",
                    "first line\n.\nafter the dot").doesNotContain("secret@");

            Run usage = cartero("sendmail", "", "-C", configFile.toString(), "-bs");
            assertThat(usage.exitCode()).isEqualTo(64);
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    @Test
    void theQueueCanBeListedFlushedAndEmptied() throws Exception {
        addBob(0);
        try (ServerProcess server = serve()) {
            server.awaitLine("Cartero mail.example.test started", START);
            // Remote mail waits in the queue while the remote server cannot be reached.
            Run sendmail = cartero("cartero", "Subject: out\n\nx\n", "--config", configFile.toString(), "sendmail",
                    "carol@elsewhere.test");
            assertThat(sendmail.exitCode()).as(sendmail.output()).isZero();
            String accepted = server.awaitLine("(maildrop)", START);
            String id = accepted.replaceAll(".*: ([0-9A-Z]{15}): accepted.*", "$1");
            server.awaitLine(id + ": to=<carol@elsewhere.test>", START);

            Run list = cartero("mailq", "", "-C", configFile.toString());
            assertThat(list.output()).contains(id, "carol@elsewhere.test: pending", "4.4.1", "-- 1 message");
            Run flush = cartero("cartero", "", "--config", configFile.toString(), "queue", "flush");
            assertThat(flush.exitCode()).isZero();
            assertThat(flush.output()).contains("retrying every queued message");
            Run delete = cartero("cartero", "", "--config", configFile.toString(), "queue", "delete", id, "0000000000000000");
            assertThat(delete.output()).contains("deleted " + id, "no message 0000000000000000");
            assertThat(delete.exitCode()).isEqualTo(1);
            assertThat(cartero("cartero", "", "--config", configFile.toString(), "queue", "list").output()).contains("Mail queue is empty");
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
    }
}
