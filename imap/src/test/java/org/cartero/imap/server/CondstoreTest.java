package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cartero.core.config.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CONDSTORE and QRESYNC (RFC 7162): MODSEQ, UNCHANGEDSINCE, CHANGEDSINCE, VANISHED and a quick resync on SELECT. */
class CondstoreTest {

    @RegisterExtension
    static final TestImapServer server = TestImapServer.plaintextOnLoopback();

    private static void appendMessages(TestClient client, int count) throws Exception {
        for (int i = 1; i <= count; i++) {
            String message = "Subject: " + i + "\r\n\r\nbody " + i + "\r\n";
            client.ok("APPEND INBOX {" + message.length() + "+}\r\n" + message);
        }
    }

    private static long number(String line, String regex) {
        Matcher m = Pattern.compile(regex).matcher(line);
        if (!m.find()) throw new AssertionError(regex + " not in " + line);
        return Long.parseLong(m.group(1));
    }

    @Test
    void unchangedSinceRefusesMessagesChangedMeanwhileWithModified() throws Exception {
        String user = server.newUser();
        try (TestClient one = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD);
             TestClient two = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            appendMessages(one, 3);
            List<String> select = one.ok("SELECT INBOX (CONDSTORE)");
            long highest = number(String.join("\n", select), "HIGHESTMODSEQ (\\d+)");
            List<String> fetch = one.ok("FETCH 1:3 (MODSEQ)");
            assertThat(fetch).hasSize(4).allMatch(line -> line.startsWith("t") || line.matches("\\* \\d FETCH \\(MODSEQ \\(\\d+\\)\\)"));
            two.ok("SELECT INBOX");
            two.ok("STORE 2 +FLAGS (\\Flagged)");
            List<String> store = one.ok("STORE 1:3 (UNCHANGEDSINCE " + highest + ") +FLAGS (\\Seen)");
            assertThat(store.getLast()).startsWith("t7 OK [MODIFIED 2]");
            assertThat(store).anyMatch(line -> line.matches("\\* 1 FETCH \\(FLAGS \\(\\\\Recent \\\\Seen\\) MODSEQ \\(\\d+\\)\\)"))
                    .anyMatch(line -> line.startsWith("* 3 FETCH (FLAGS (\\Recent \\Seen) MODSEQ"))
                    .noneMatch(line -> line.startsWith("* 2 FETCH (FLAGS (\\Recent \\Seen"));
            List<String> changed = one.ok("FETCH 1:* (FLAGS) (CHANGEDSINCE " + highest + ")");
            assertThat(changed).hasSize(4);
        }
    }

    @Test
    void selectWithQresyncReportsWhatVanishedAndWhatChanged() throws Exception {
        String user = server.newUser();
        long uidValidity;
        long highest;
        try (TestClient client = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            appendMessages(client, 5);
            client.ok("ENABLE QRESYNC");
            List<String> select = client.ok("SELECT INBOX");
            uidValidity = number(String.join("\n", select), "UIDVALIDITY (\\d+)");
            highest = number(String.join("\n", select), "HIGHESTMODSEQ (\\d+)");
            client.ok("STORE 2 +FLAGS (\\Answered)");
            client.ok("STORE 4 +FLAGS (\\Deleted)");
            List<String> expunge = client.ok("EXPUNGE");
            assertThat(expunge).contains("* VANISHED 4");
        }
        try (TestClient client = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            assertThat(client.command("SELECT INBOX (QRESYNC (" + uidValidity + " " + highest + "))").getLast())
                    .isEqualTo("t2 BAD QRESYNC must be enabled first");
            assertThat(client.ok("ENABLE QRESYNC")).containsExactly("* ENABLED QRESYNC", "t3 OK ENABLE completed");
            List<String> select = client.ok("SELECT INBOX (QRESYNC (" + uidValidity + " " + highest + " 1:5))");
            assertThat(select).contains("* VANISHED (EARLIER) 4")
                    .anyMatch(line -> line.matches("\\* 2 FETCH \\(UID 2 FLAGS \\(\\\\Answered\\) MODSEQ \\(\\d+\\)\\)"))
                    .noneMatch(line -> line.startsWith("* 1 FETCH"));
            List<String> vanished = client.ok("UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + highest + " VANISHED)");
            assertThat(vanished.getFirst()).isEqualTo("* VANISHED (EARLIER) 4");
            assertThat(client.ok("SELECT INBOX")).contains("* OK [CLOSED] Previous mailbox closed");
        }
    }
}
