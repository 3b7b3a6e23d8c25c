package org.cartero.imap.server;

import java.io.IOException;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.imap.search.MailboxView;
import org.cartero.imap.search.SearchResult;
import org.cartero.imap.search.ThreadNode;
import org.cartero.store.UidSet;

/**
 * The session's searches carried out by the search engine of {@code org.cartero.imap.search}:
 * every key, SORT (with SORT=DISPLAY) and THREAD. Dates are taken in UTC, the zone FETCH shows
 * INTERNALDATE in. Each selected mailbox gets its own engine, which keeps the folder's index
 * data in memory between searches and brings it up to date before each; it goes when the
 * selection does, unless the same session selects the same folder again (clients re-SELECT
 * often): then the new selection's engine starts from that data.
 */
public final class IndexedSearch implements SearchEngine {

    private static final List<String> CAPABILITIES = List.of(
            "SORT", "SORT=DISPLAY", "ESORT", "CONTEXT=SORT", "THREAD=REFERENCES", "THREAD=ORDEREDSUBJECT");

    /** One engine per selection; a selection belongs to one session, which searches one command at a time. */
    private final Map<SearchScope, org.cartero.imap.search.SearchEngine> engines = new WeakHashMap<>();
    /** Each session's latest engine, by the session, for its next selection of the same folder. */
    private final Map<Object, Latest> latest = new WeakHashMap<>();

    private record Latest(String folder, long uidValidity, org.cartero.imap.search.SearchEngine engine) {}

    @Override
    public List<String> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public UidSet search(SearchScope scope, UidSet candidates, SearchKey key) throws IOException {
        return engine(scope).search(key, view(scope), candidates).uidSet();
    }

    @Override
    public long[] sort(SearchScope scope, UidSet candidates, List<Command.SortCriterion> criteria, SearchKey key)
            throws IOException {
        SearchResult sorted = engine(scope).sort(criteria, key, view(scope));
        long[] uids = sorted.uids();
        int kept = 0;
        for (long uid : uids) if (candidates.contains(uid)) uids[kept++] = uid;
        return kept == uids.length ? uids : Arrays.copyOf(uids, kept);
    }

    @Override
    public List<Response.ThreadNode> thread(SearchScope scope, Command.ThreadAlgorithm algorithm, SearchKey key)
            throws IOException {
        return engine(scope).thread(algorithm, key, view(scope)).stream().map(IndexedSearch::node).toList();
    }

    private org.cartero.imap.search.SearchEngine engine(SearchScope scope) {
        synchronized (engines) {
            org.cartero.imap.search.SearchEngine engine = engines.get(scope);
            if (engine != null) return engine;
            Latest before = latest.get(scope.owner());
            String folder = scope.folder().name();
            engine = before != null && before.folder().equals(folder) && before.uidValidity() == scope.uidValidity()
                    ? before.engine().reselected(scope.folder())
                    : new org.cartero.imap.search.SearchEngine(scope.folder(), ZoneOffset.UTC);
            engines.put(scope, engine);
            latest.put(scope.owner(), new Latest(folder, scope.uidValidity(), engine));
            return engine;
        }
    }

    private static MailboxView view(SearchScope scope) {
        return new MailboxView(scope.messages(), scope.savedResult(), scope.recent());
    }

    private static Response.ThreadNode node(ThreadNode node) {
        return new Response.ThreadNode(node.uid(), node.children().stream().map(IndexedSearch::node).toList());
    }
}
