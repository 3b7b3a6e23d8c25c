package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cartero.core.config.Service;
import org.cartero.core.directory.Account;
import org.cartero.core.mail.MailAddress;
import org.cartero.store.delivery.LocalDelivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * IDLE (RFC 2177): a client that idles hears of new mail, flag changes and expunges as they
 * happen: from another IMAP session, from local delivery (what SMTP does) and from another
 * program that drops a file into the Maildir. The waits are generous bounds against a hang, not
 * timings; bench/ measures how soon the news arrives.
 */
class IdleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestImapServer server = TestImapServer.plaintextOnLoopback();

    private static String message(String subject) {
        return "From: a@example.test\r\nSubject: " + subject + "\r\n\r\nbody\r\n";
    }

    private static void append(TestClient client, String mailbox, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        client.ok("APPEND " + mailbox + " {" + bytes.length + "+}\r\n" + text);
    }

    @Test
    void anAppendInAnotherSessionReachesTheIdlingOne() throws Exception {
        String user = server.newUser();
        try (TestClient idler = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD);
             TestClient other = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            idler.ok("SELECT INBOX");
            idler.send("i IDLE");
            assertThat(idler.readLine()).isEqualTo("+ Idling");
            append(other, "INBOX", message("one"));
            assertThat(idler.await(line -> line.endsWith("EXISTS"), WAIT)).isEqualTo("* 1 EXISTS");
            other.ok("SELECT INBOX");
            other.ok("STORE 1 +FLAGS (\\Flagged)");
            assertThat(idler.await(line -> line.contains("FETCH"), WAIT)).contains("* 1 FETCH (FLAGS (\\Recent \\Flagged))");
            other.ok("STORE 1 +FLAGS (\\Deleted)");
            other.ok("EXPUNGE");
            assertThat(idler.await(line -> line.contains("EXPUNGE"), WAIT)).isEqualTo("* 1 EXPUNGE");
            idler.send("DONE");
            assertThat(idler.responses("i").getLast()).isEqualTo("i OK IDLE terminated");
        }
    }

    @Test
    void localDeliveryReachesTheIdlingSession() throws Exception {
        String user = server.newUser();
        Account account = server.directory.account(user).orElseThrow();
        try (TestClient idler = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            idler.ok("SELECT INBOX");
            idler.send("i IDLE");
            idler.readLine();
            new LocalDelivery(server.store).deliver(new ByteArrayInputStream(message("delivered").getBytes(StandardCharsets.UTF_8)),
                    account, MailAddress.parse(user), "sender@example.org");
            assertThat(idler.await(line -> line.endsWith("EXISTS"), WAIT)).isEqualTo("* 1 EXISTS");
            idler.send("DONE");
            assertThat(idler.responses("i")).containsExactly("* 1 RECENT", "i OK IDLE terminated");
            List<String> fetch = idler.ok("FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT RETURN-PATH)])");
            assertThat(fetch.getFirst()).contains("Return-Path: <sender@example.org>", "Subject: delivered");
        }
    }

    @Test
    void aMessageAnotherProgramDropsIntoTheMaildirReachesTheIdlingSession() throws Exception {
        String user = server.newUser();
        try (TestClient idler = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            idler.ok("SELECT INBOX");
            Path maildir = server.config.dataDir().resolve("mail").resolve(TestImapServer.DOMAIN)
                    .resolve(user.substring(0, user.indexOf('@')));
            idler.send("i IDLE");
            idler.readLine();
            // as procmail or another MDA would: write in tmp/, then rename into new/
            Path tmp = maildir.resolve("tmp").resolve("1700000000.P1Q1.elsewhere");
            Files.writeString(tmp, message("dropped"));
            Files.move(tmp, maildir.resolve("new").resolve("1700000000.P1Q1.elsewhere"));
            assertThat(idler.await(line -> line.endsWith("EXISTS"), WAIT)).isEqualTo("* 1 EXISTS");
            idler.send("DONE");
            assertThat(idler.responses("i").getLast()).isEqualTo("i OK IDLE terminated");
            assertThat(idler.ok("FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])").getFirst()).contains("Subject: dropped");
        }
    }

    @Test
    void everyOneOfManyIdleCyclesHearsOfItsAppend() throws Exception {
        String user = server.newUser();
        try (TestClient idler = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD);
             TestClient writer = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            append(writer, "INBOX", message("before"));
            idler.ok("SELECT INBOX");
            for (int i = 2; i <= 40; i++) {
                idler.send("i" + i + " IDLE");
                assertThat(idler.readLine()).isEqualTo("+ Idling");
                append(writer, "INBOX", message("cycle " + i));
                int exists = i;
                idler.await(line -> line.equals("* " + exists + " EXISTS"), WAIT);
                idler.send("DONE");
                assertThat(idler.responses("i" + i).getLast()).isEqualTo("i" + i + " OK IDLE terminated");
            }
        }
    }

    @Test
    void idleWithoutASelectedMailboxEndsWithDoneAndAnythingElseIsBad() throws Exception {
        String user = server.newUser();
        try (TestClient client = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            client.send("i IDLE");
            assertThat(client.readLine()).isEqualTo("+ Idling");
            client.send("NOOP");
            assertThat(client.readLine()).isEqualTo("i BAD Expected DONE to end IDLE");
            assertThat(client.ok("NOOP")).containsExactly("t2 OK NOOP completed");
        }
    }
}
