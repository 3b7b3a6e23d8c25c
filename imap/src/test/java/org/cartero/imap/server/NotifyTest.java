package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.cartero.core.config.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * NOTIFY (RFC 5465): a client hears of changes without IDLE, between its commands: the selected
 * mailbox's new messages with the attributes it asked for, other mailboxes' counts as STATUS,
 * and mailboxes that appear. The waits are bounds against a hang.
 */
class NotifyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestImapServer server = TestImapServer.plaintextOnLoopback();

    private static void append(TestClient client, String mailbox, String subject) throws Exception {
        String message = "Subject: " + subject + "\r\n\r\nbody\r\n";
        client.ok("APPEND " + mailbox + " {" + message.length() + "+}\r\n" + message);
    }

    @Test
    void theSelectedMailboxAndOthersAreReportedBetweenCommands() throws Exception {
        String user = server.newUser();
        try (TestClient watcher = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD);
             TestClient other = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            other.ok("CREATE Lists");
            watcher.ok("SELECT INBOX");
            watcher.ok("NOTIFY SET STATUS (SELECTED (MessageNew (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)]) MessageExpunge FlagChange))"
                    + " (MAILBOXES Lists (MessageNew MessageExpunge)) (PERSONAL (MailboxName))");

            append(other, "INBOX", "pushed");
            assertThat(watcher.await(line -> line.endsWith(" EXISTS"), WAIT)).isEqualTo("* 1 EXISTS");
            assertThat(watcher.await(line -> line.contains("FETCH"), WAIT))
                    .isEqualTo("* 1 FETCH (UID 1 BODY[HEADER.FIELDS (SUBJECT)] {19}\r\nSubject: pushed\r\n\r\n)");

            append(other, "Lists", "elsewhere");
            assertThat(watcher.await(line -> line.startsWith("* STATUS"), WAIT))
                    .matches("\\* STATUS Lists \\(MESSAGES 1 UIDNEXT 2 UIDVALIDITY \\d+\\)");

            other.ok("CREATE Projects");
            assertThat(watcher.await(line -> line.startsWith("* LIST"), WAIT)).isEqualTo("* LIST () \"/\" Projects");

            other.ok("SELECT INBOX");
            other.ok("STORE 1 +FLAGS (\\Deleted)");
            other.ok("EXPUNGE");
            assertThat(watcher.await(line -> line.endsWith("EXPUNGE"), WAIT)).isEqualTo("* 1 EXPUNGE");

            watcher.ok("NOTIFY NONE");
            append(other, "INBOX", "not pushed");
            assertThat(watcher.ok("NOOP")).contains("* 1 EXISTS");
        }
    }

    @Test
    void eventsTheServerDoesNotReportAreRefused() throws Exception {
        try (TestClient client = TestClient.login(server.address(Service.IMAP), server.newUser(), TestImapServer.PASSWORD)) {
            assertThat(client.command("NOTIFY SET (PERSONAL (MessageNew MessageExpunge AnnotationChange))").getLast())
                    .isEqualTo("t2 NO [BADEVENT (MessageNew MessageExpunge FlagChange MailboxName SubscriptionChange)] Event not supported");
        }
    }
}
