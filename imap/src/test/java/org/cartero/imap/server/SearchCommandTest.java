package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cartero.core.config.Service;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.store.UidSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How SEARCH, SORT and THREAD are answered (RFC 4731, RFC 5182, RFC 5256, RFC 5267, RFC 9394),
 * apart from how messages are found: the engine here is the index's own for SEARCH, sorts by
 * descending UID whatever the criteria, and threads each message under the one before it.
 */
class SearchCommandTest {

    /** An engine whose answers are easy to predict, to check the session's encoding of them. */
    private static final class PredictableEngine implements SearchEngine {
        private final IndexedSearch search = new IndexedSearch();

        @Override
        public List<String> capabilities() {
            return List.of("SORT", "ESORT", "CONTEXT=SORT", "THREAD=REFERENCES");
        }

        @Override
        public UidSet search(SearchScope scope, UidSet candidates, SearchKey key) throws IOException, SearchException {
            return search.search(scope, candidates, key);
        }

        @Override
        public long[] sort(SearchScope scope, UidSet candidates, List<Command.SortCriterion> criteria, SearchKey key)
                throws IOException, SearchException {
            long[] ascending = search.search(scope, candidates, key).toArray();
            long[] descending = new long[ascending.length];
            for (int i = 0; i < ascending.length; i++) descending[i] = ascending[ascending.length - 1 - i];
            return descending;
        }

        @Override
        public List<Response.ThreadNode> thread(SearchScope scope, Command.ThreadAlgorithm algorithm, SearchKey key)
                throws IOException, SearchException {
            long[] uids = search.search(scope, SearchCommand.known((SelectedMailbox) scope), key).toArray();
            Response.ThreadNode node = null;
            for (int i = uids.length - 1; i >= 0; i--) node = new Response.ThreadNode(uids[i], node == null ? List.of() : List.of(node));
            return node == null ? List.of() : List.of(node);
        }
    }

    @RegisterExtension
    static final TestImapServer server = TestImapServer.loopback("[auth]\nplaintext_on_loopback = true\n", ImapSettings.DEFAULT, new PredictableEngine());

    /** A mailbox of five messages, the second expunged: UIDs 1, 3, 4, 5, 6 at sequence numbers 1 to 5. */
    private static TestClient mailbox() throws Exception {
        TestClient client = TestClient.login(server.address(Service.IMAP), server.newUser(), TestImapServer.PASSWORD);
        for (int i = 1; i <= 6; i++) {
            String message = "Subject: " + i + "\r\n\r\n" + "x".repeat(i * 10) + "\r\n";
            client.ok("APPEND INBOX {" + message.length() + "+}\r\n" + message);
        }
        client.ok("SELECT INBOX");
        client.ok("UID STORE 2 +FLAGS (\\Deleted)");
        client.ok("EXPUNGE");
        return client;
    }

    private static List<String> untagged(List<String> lines) {
        return new ArrayList<>(lines.subList(0, lines.size() - 1));
    }

    @Test
    void searchAnswersInEachForm() throws Exception {
        try (TestClient client = mailbox()) {
            client.ok("STORE 2,4 +FLAGS (\\Flagged)");
            assertThat(untagged(client.ok("SEARCH FLAGGED"))).containsExactly("* SEARCH 2 4");
            assertThat(untagged(client.ok("UID SEARCH FLAGGED"))).containsExactly("* SEARCH 3 5");
            String tag = client.nextTag();
            assertThat(untagged(client.ok("SEARCH RETURN (MIN MAX COUNT ALL) 1:*")))
                    .containsExactly("* ESEARCH (TAG \"" + tag + "\") MIN 1 MAX 5 ALL 1:5 COUNT 5");
            tag = client.nextTag();
            assertThat(untagged(client.ok("UID SEARCH RETURN (PARTIAL -1:-2) ALL")))
                    .containsExactly("* ESEARCH (TAG \"" + tag + "\") UID PARTIAL (-1:-2 5:6)");
            assertThat(untagged(client.ok("SEARCH RETURN (SAVE) FLAGGED"))).isEmpty();
            assertThat(untagged(client.ok("FETCH $ (UID)"))).containsExactly("* 2 FETCH (UID 3)", "* 4 FETCH (UID 5)");
            assertThat(untagged(client.ok("UID SEARCH UID $"))).containsExactly("* SEARCH 3 5");
            client.ok("ENABLE IMAP4rev2");
            tag = client.nextTag();
            assertThat(untagged(client.ok("SEARCH FLAGGED"))).containsExactly("* ESEARCH (TAG \"" + tag + "\") ALL 2,4");
        }
    }

    @Test
    void sortAndEsortKeepTheEnginesOrder() throws Exception {
        try (TestClient client = mailbox()) {
            assertThat(client.ok("CAPABILITY").getFirst()).contains(" SORT", " ESORT", " CONTEXT=SORT", " THREAD=REFERENCES");
            assertThat(untagged(client.ok("SORT (SUBJECT) UTF-8 ALL"))).containsExactly("* SORT 5 4 3 2 1");
            assertThat(untagged(client.ok("UID SORT (SUBJECT) UTF-8 ALL"))).containsExactly("* SORT 6 5 4 3 1");
            String tag = client.nextTag();
            // ESORT: MIN and MAX are the first and last in sort order; ranges ascend (RFC 5267 3.2)
            assertThat(untagged(client.ok("SORT RETURN (MIN MAX ALL COUNT) (SUBJECT) UTF-8 ALL")))
                    .containsExactly("* ESEARCH (TAG \"" + tag + "\") MIN 5 MAX 1 ALL 5,4,3,2,1 COUNT 5");
            tag = client.nextTag();
            assertThat(untagged(client.ok("SORT RETURN (PARTIAL 2:3) (SUBJECT) UTF-8 ALL")))
                    .containsExactly("* ESEARCH (TAG \"" + tag + "\") PARTIAL (2:3 4,3)");
        }
    }

    @Test
    void threadsAreAnsweredInSequenceNumbersOrUids() throws Exception {
        try (TestClient client = mailbox()) {
            assertThat(untagged(client.ok("THREAD REFERENCES UTF-8 1:3"))).containsExactly("* THREAD (1 2 3)");
            assertThat(untagged(client.ok("UID THREAD REFERENCES UTF-8 1:3"))).containsExactly("* THREAD (1 3 4)");
        }
    }

    @Test
    void anUpdatingSearchFollowsFlagChangesArrivalsAndExpunges() throws Exception {
        try (TestClient client = mailbox()) {
            String tag = client.nextTag();
            assertThat(untagged(client.ok("SEARCH RETURN (UPDATE) FLAGGED"))).containsExactly("* ESEARCH (TAG \"" + tag + "\")");
            List<String> store = client.ok("STORE 1,3 +FLAGS (\\Flagged)");
            assertThat(store).contains("* ESEARCH (TAG \"" + tag + "\") ADDTO (0 1,3)");
            String message = "Subject: new\r\n\r\nnew\r\n";
            List<String> append = client.ok("APPEND INBOX (\\Flagged) {" + message.length() + "+}\r\n" + message);
            assertThat(append).containsSubsequence("* 6 EXISTS", "* ESEARCH (TAG \"" + tag + "\") ADDTO (0 6)");
            client.ok("STORE 1 +FLAGS (\\Deleted)");
            List<String> expunge = client.ok("EXPUNGE");
            assertThat(expunge).containsSubsequence("* ESEARCH (TAG \"" + tag + "\") REMOVEFROM (0 1)", "* 1 EXPUNGE");
            client.ok("CANCELUPDATE \"" + tag + "\"");
            assertThat(client.ok("STORE 1 +FLAGS (\\Flagged)")).noneMatch(line -> line.contains("TAG \"" + tag + "\""));
        }
    }

    @Test
    void aSearchAfterSelectingTheMailboxAgainSeesWhatChangedMeanwhile() throws Exception {
        String user = server.newUser();
        try (TestClient client = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD);
             TestClient other = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            for (int i = 1; i <= 4; i++) {
                String message = "Subject: " + i + "\r\n\r\nbody\r\n";
                client.ok("APPEND INBOX {" + message.length() + "+}\r\n" + message);
            }
            client.ok("SELECT INBOX");
            assertThat(untagged(client.ok("UID SEARCH UNSEEN"))).containsExactly("* SEARCH 1 2 3 4");
            client.ok("UNSELECT");
            // while the first session has no mailbox selected, another reads one message, expunges one and adds one
            other.ok("SELECT INBOX");
            other.ok("UID STORE 2 +FLAGS (\\Seen)");
            other.ok("UID STORE 3 +FLAGS (\\Deleted)");
            other.ok("EXPUNGE");
            String message = "Subject: 5\r\n\r\nbody\r\n";
            other.ok("APPEND INBOX {" + message.length() + "+}\r\n" + message);
            client.ok("SELECT INBOX");
            assertThat(untagged(client.ok("UID SEARCH UNSEEN"))).containsExactly("* SEARCH 1 4 5");
            // the folder deleted and made again under the same name is another folder (a new UIDVALIDITY)
            client.ok("CREATE Box");
            client.ok("COPY 1:* Box");
            client.ok("SELECT Box");
            assertThat(untagged(client.ok("SEARCH SEEN"))).containsExactly("* SEARCH 2");
            client.ok("UNSELECT");
            other.ok("DELETE Box");
            other.ok("CREATE Box");
            other.ok("SELECT Box");
            other.ok("APPEND Box (\\Seen) {" + message.length() + "+}\r\n" + message);
            client.ok("SELECT Box");
            assertThat(untagged(client.ok("UID SEARCH SEEN"))).containsExactly("* SEARCH 1");
        }
    }

    @Test
    void anUpdatingSortReportsPositions() throws Exception {
        try (TestClient client = mailbox()) {
            String tag = client.nextTag();
            assertThat(untagged(client.ok("SORT RETURN (UPDATE ALL) (SUBJECT) UTF-8 UNFLAGGED")))
                    .containsExactly("* ESEARCH (TAG \"" + tag + "\") ALL 5,4,3,2,1");
            // sorted by descending UID: message 4 is at position 2; flagging it removes it there
            assertThat(client.ok("STORE 4 +FLAGS (\\Flagged)")).contains("* ESEARCH (TAG \"" + tag + "\") REMOVEFROM (2 4)");
            assertThat(client.ok("STORE 4 -FLAGS (\\Flagged)")).contains("* ESEARCH (TAG \"" + tag + "\") ADDTO (2 4)");
            // RFC 5267 section 4.3: a tag already updating a search cannot start another
            client.send(tag + " SEARCH RETURN (UPDATE) ALL");
            assertThat(client.responses(tag).getLast()).startsWith(tag + " BAD Tag reuse");
        }
    }
}
