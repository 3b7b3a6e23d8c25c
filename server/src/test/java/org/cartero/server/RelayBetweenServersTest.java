package org.cartero.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Carteros as administrators run them, each a {@code cartero serve} process: a user of
 * example.test submits mail for b.test with Python's smtplib (submission port, STARTTLS, AUTH);
 * the first server's {@code [smtp.routes]} sends it on to the second, which delivers it into the
 * user's Maildir with every line as it was written. The first server's MX port, with the SMTP
 * client wired in, still refuses to relay for anyone who has not logged in.
 */
class RelayBetweenServersTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final String PASSWORD = "Open sesame 42";
    private static final MailAddress ALICE = new MailAddress("alice", "example.test");
    private static final MailAddress BOB = new MailAddress("bob", "b.test");

    @TempDir
    static Path dir;

    private static ServerProcess a;
    private static ServerProcess b;
    private static Path aDir;
    private static Path bDir;

    @BeforeAll
    static void startBothServers() throws Exception {
        bDir = setUp("b", "mail.b.test", BOB, "");
        b = ServerProcess.start(bDir, "serve", "--config", bDir.resolve("cartero.toml").toString());
        int bPort = port(b, "smtp").getPort();
        aDir = setUp("a", "mail.example.test", ALICE, """
                [smtp.routes]
                "b.test" = "127.0.0.1:%d"
                """.formatted(bPort));
        a = ServerProcess.start(aDir, "serve", "--config", aDir.resolve("cartero.toml").toString());
        port(a, "smtp");
    }

    @AfterAll
    static void stopBothServers() throws Exception {
        if (a != null) assertThat(a.terminate(Duration.ofSeconds(30))).isZero();
        if (b != null) assertThat(b.terminate(Duration.ofSeconds(30))).isZero();
    }

    /** A server's folder and configuration, with one virtual user. */
    private static Path setUp(String name, String hostname, MailAddress user, String moreToml) throws Exception {
        Path serverDir = Files.createDirectories(dir.resolve(name));
        Files.writeString(serverDir.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(serverDir.resolve("aliases"), "");
        Path configFile = serverDir.resolve("cartero.toml");
        Files.writeString(configFile, """
                hostname = "%s"
                data_dir = "data"
                [listen]
                smtp = ["127.0.0.1:0"]
                submission = ["127.0.0.1:0"]
                [local]
                passwd_file = "passwd"
                aliases_file = "aliases"
                spool_dir = "spool"
                %s
                """.formatted(hostname, moreToml));
        try (Directory directory = Directory.open(Config.from(ConfigFile.load(configFile)))) {
            directory.addDomain(user.domain());
            directory.addUser(user, Passwords.hash(PASSWORD), 0);
        }
        return serverDir;
    }

    private static InetSocketAddress port(ServerProcess server, String service) throws InterruptedException {
        Matcher m = Pattern.compile("Listening for " + service + " on 127\\.0\\.0\\.1:(\\d+)")
                .matcher(server.awaitLine("Listening for " + service + " on", START));
        assertThat(m.find()).isTrue();
        return new InetSocketAddress("127.0.0.1", Integer.parseInt(m.group(1)));
    }

    private static List<String> mailbox(Path serverDir, MailAddress user) throws IOException {
        Path maildir = serverDir.resolve("data/mail").resolve(user.domain()).resolve(user.localPart());
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

    private static final String PYTHON = """
            import smtplib, ssl, sys
            from email.message import EmailMessage
            port, cafile, user, password, rcpt = sys.argv[1:6]
            ctx = ssl.create_default_context(cafile=cafile)
            ctx.check_hostname = False  # the certificate names mail.example.test
            msg = EmailMessage()
            msg['From'] = user
            msg['To'] = rcpt
            msg['Subject'] = 'across servers'
            msg.set_content('Hello Bob.\\n.a line that starts with a dot\\n..and one with two\\n.\\nThe end.\\n')
            s = smtplib.SMTP('127.0.0.1', int(port), timeout=30)
            s.starttls(context=ctx)
            s.login(user, password)
            s.send_message(msg)
            s.quit()
            print('SENT')
            """;

    @Test
    void pythonSubmitsToOneServerAndTheOtherDeliversIt() throws Exception {
        Process python = new ProcessBuilder("python3", "-c", PYTHON, String.valueOf(port(a, "submission").getPort()),
                aDir.resolve("data/tls/self-signed.crt").toString(), ALICE.toString(), PASSWORD, BOB.toString())
                .redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(output).contains("SENT");

        a.awaitLine("to=<bob@b.test> relay=127.0.0.1 attempt=1 status=sent", START);
        b.awaitLine("to=<bob@b.test> relay=local attempt=1 status=sent", START);
        assertThat(mailbox(bDir, BOB)).singleElement().satisfies(message -> assertThat(message)
                .startsWith("Return-Path: <alice@example.test>\nDelivered-To: bob@b.test\n")
                .contains("Received: from mail.example.test ([127.0.0.1])\n\tby mail.b.test (Cartero) with ESMTPS id ",
                        "by mail.example.test (Cartero) with ESMTPSA id ", "Subject: across servers")
                .endsWith("\n\nHello Bob.\n.a line that starts with a dot\n..and one with two\n.\nThe end.\n"));
    }

    @Test
    void theMxPortStillRefusesToRelayForStrangers() throws Exception {
        try (LineClient client = LineClient.connect(port(a, "smtp"))) {
            assertThat(client.readLine()).startsWith("220 ");
            client.writeLine("HELO spammer.test");
            assertThat(client.readLine()).startsWith("250 ");
            client.writeLine("MAIL FROM:<spammer@elsewhere.test>");
            assertThat(client.readLine()).startsWith("250 ");
            client.writeLine("RCPT TO:<bob@b.test>");
            assertThat(client.readLine()).isEqualTo("554 5.7.1 <bob@b.test>: Relay access denied");
            client.writeLine("DATA");
            assertThat(client.readLine()).startsWith("554 5.5.1");
            client.writeLine("QUIT");
            assertThat(client.readLine()).startsWith("221 ");
        }
        a.awaitLine("RCPT <bob@b.test> from <spammer@elsewhere.test> refused", START);
        assertThat(a.output()).doesNotContain("accepted from=<spammer@elsewhere.test>");
    }
}
