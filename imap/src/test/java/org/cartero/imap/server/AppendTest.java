package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cartero.core.auth.Passwords;
import org.cartero.core.config.Service;
import org.cartero.core.mail.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * APPEND (RFC 9051 section 6.3.12) with MULTIAPPEND (RFC 3502) and APPENDLIMIT (RFC 7889): a
 * message is refused before the client sends it when it cannot be stored, and a MULTIAPPEND adds
 * all its messages or none.
 */
class AppendTest {

    @RegisterExtension
    static final TestImapServer server = TestImapServer.loopback("[auth]\nplaintext_on_loopback = true\n", new ImapSettings(64 * 1024, 10_000, 100));

    private TestClient login() throws Exception {
        return TestClient.login(server.address(Service.IMAP), server.newUser(), TestImapServer.PASSWORD);
    }

    @Test
    void aMessageToAMissingMailboxIsRefusedBeforeItIsSent() throws Exception {
        try (TestClient client = login()) {
            client.send("a APPEND nowhere {20}");
            // no "+" continuation: the answer comes first and the client never sends the literal
            assertThat(client.readLine()).isEqualTo("a NO [TRYCREATE] No mailbox named nowhere");
            assertThat(client.ok("NOOP").getLast()).isEqualTo("t2 OK NOOP completed");
        }
    }

    @Test
    void aMessageOverTheAppendLimitIsRefusedBeforeItIsSent() throws Exception {
        try (TestClient client = login()) {
            assertThat(client.ok("CAPABILITY").getFirst()).contains("APPENDLIMIT=10000");
            client.send("a APPEND INBOX {10001}");
            assertThat(client.readLine()).startsWith("a NO [TOOBIG]");
            assertThat(client.ok("STATUS INBOX (MESSAGES APPENDLIMIT)").getFirst())
                    .isEqualTo("* STATUS INBOX (MESSAGES 0 APPENDLIMIT 10000)");
        }
    }

    @Test
    void aNonSynchronisingLiteralOverTheLimitEndsTheConnection() throws Exception {
        try (TestClient client = login()) {
            client.send("a APPEND INBOX {10001+}");
            client.write(new byte[10001]);
            assertThat(client.readLine()).startsWith("a NO [TOOBIG]");
            assertThat(client.readLine()).startsWith("* BYE");
            assertThat(client.readLine()).isNull();
        }
    }

    @Test
    void multiappendAddsAllMessagesWithOneApendUid() throws Exception {
        try (TestClient client = login()) {
            String one = "Subject: one\r\n\r\n1\r\n";
            String two = "Subject: two\r\n\r\n2\r\n";
            List<String> reply = client.ok("APPEND INBOX (\\Seen) {" + one.length() + "+}\r\n" + one
                    + " (\\Flagged) \"01-Feb-2024 13:05:00 +0100\" {" + two.length() + "+}\r\n" + two);
            assertThat(reply.getLast()).matches("t2 OK \\[APPENDUID \\d+ 1:2] MULTIAPPEND completed");
            client.ok("SELECT INBOX");
            List<String> fetch = client.ok("FETCH 1:2 (FLAGS INTERNALDATE)");
            assertThat(fetch.get(0)).isEqualTo("* 1 FETCH (FLAGS (\\Recent \\Seen) INTERNALDATE " + fetch.get(0).substring(fetch.get(0).indexOf('"')));
            assertThat(fetch.get(1)).isEqualTo("* 2 FETCH (FLAGS (\\Recent \\Flagged) INTERNALDATE \"01-Feb-2024 12:05:00 +0000\")");
        }
    }

    @Test
    void multiappendWithOneBadMessageAddsNone() throws Exception {
        try (TestClient client = login()) {
            String one = "Subject: one\r\n\r\n1\r\n";
            List<String> reply = client.command("APPEND INBOX {" + one.length() + "+}\r\n" + one + " (\\Bogus) {3+}\r\nabc");
            assertThat(reply.getLast()).startsWith("t2 BAD Cannot set that flag");
            assertThat(client.ok("STATUS INBOX (MESSAGES)").getFirst()).isEqualTo("* STATUS INBOX (MESSAGES 0)");
        }
    }

    @Test
    void aMessageOverTheQuotaIsRefusedWithOverquota() throws Exception {
        MailAddress address = new MailAddress("quota" + System.nanoTime(), TestImapServer.DOMAIN);
        server.directory.addUser(address, Passwords.hash(TestImapServer.PASSWORD), 2048);
        try (TestClient client = TestClient.login(server.address(Service.IMAP), address.toString(), TestImapServer.PASSWORD)) {
            assertThat(client.ok("GETQUOTAROOT INBOX")).containsExactly("* QUOTAROOT INBOX \"\"",
                    "* QUOTA \"\" (STORAGE 0 2)", "t2 OK GETQUOTAROOT completed");
            String body = "x".repeat(1500);
            String message = "Subject: big\r\n\r\n" + body + "\r\n";
            client.ok("APPEND INBOX {" + message.length() + "+}\r\n" + message);
            client.send("a APPEND INBOX {" + message.length() + "}");
            assertThat(client.readLine()).isEqualTo("a NO [OVERQUOTA] The message does not fit in the mailbox's quota");
            assertThat(client.ok("GETQUOTA \"\"").getFirst()).isEqualTo("* QUOTA \"\" (STORAGE 2 2)");
            assertThat(client.command("SETQUOTA \"\" (STORAGE 100)").getLast()).startsWith("t5 NO [NOPERM]");
        }
    }

    @Test
    void appendToTheSelectedMailboxIsAnnouncedWithExists() throws Exception {
        try (TestClient client = login()) {
            client.ok("SELECT INBOX");
            byte[] message = "Subject: here\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
            List<String> reply = client.ok("APPEND INBOX {" + message.length + "+}\r\n" + new String(message, StandardCharsets.US_ASCII));
            assertThat(reply).contains("* 1 EXISTS", "* 1 RECENT");
        }
    }
}
