package org.cartero.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.imap.protocol.SequenceSet;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The searches a client asked to keep current with RETURN (UPDATE) (RFC 5267 section 4.3): when
 * messages arrive, change flags or go, each search is evaluated again for them and the client
 * is sent ADDTO and REMOVEFROM. A SEARCH's updates use position 0 and mailbox order; a SORT's
 * give the positions in sort order. Updates end with CANCELUPDATE or when the mailbox is closed.
 */
final class SearchContexts {

    private static final Logger log = LoggerFactory.getLogger(SearchContexts.class);
    /** RFC 5267 section 4.3.1: at least one per client; more than this are refused with NOUPDATE. */
    static final int MAX_CONTEXTS = 10;

    /**
     * One updating search: its tag (the correlator), whether it answers with UIDs, its program,
     * its sort criteria (null for SEARCH), and its current results as UIDs in order.
     */
    static final class Context {
        private final String tag;
        private final boolean uid;
        private final SearchKey key;
        private final List<Command.SortCriterion> criteria;
        private long[] results;

        Context(String tag, boolean uid, SearchKey key, List<Command.SortCriterion> criteria, long[] results) {
            this.tag = tag;
            this.uid = uid;
            this.key = key;
            this.criteria = criteria;
            this.results = results;
        }

        String tag() {
            return tag;
        }
    }

    private final List<Context> contexts = new ArrayList<>();
    private UidSet arrived = UidSet.EMPTY;

    boolean has(String tag) {
        return contexts.stream().anyMatch(c -> c.tag.equals(tag));
    }

    /** Starts updating a search; false when there are too many already. */
    boolean add(Context context) {
        if (contexts.size() >= MAX_CONTEXTS) return false;
        contexts.add(context);
        return true;
    }

    void cancel(List<String> tags) {
        contexts.removeIf(c -> tags.contains(c.tag));
    }

    /** Notes messages that joined the mailbox, to be evaluated with the next updates. */
    void arrived(List<MessageInfo> messages) {
        if (contexts.isEmpty() || messages.isEmpty()) return;
        arrived = UidSets.union(arrived, UidSet.of(messages.stream().mapToLong(MessageInfo::uid).toArray()));
    }

    /**
     * REMOVEFROM for results about to be expunged, sent before the EXPUNGE responses so that
     * their sequence numbers are still valid (RFC 5267 section 4.3.4).
     */
    void expunging(Session session, SelectedMailbox mailbox, UidSet gone) throws IOException {
        for (Context context : contexts) {
            long[] kept = Arrays.stream(context.results).filter(uid -> !gone.contains(uid)).toArray();
            if (kept.length != context.results.length) send(session, mailbox, context, kept);
        }
    }

    /**
     * Evaluates each search again for the messages that arrived or changed flags, and sends
     * the difference (after EXISTS, so new sequence numbers are valid, RFC 5267 section 4.3.3).
     */
    void sendUpdates(Session session, SelectedMailbox mailbox, UidSet flagChanges) throws IOException {
        if (contexts.isEmpty()) return;
        UidSet touched = UidSets.union(arrived, flagChanges);
        arrived = UidSet.EMPTY;
        if (touched.isEmpty()) return;
        for (Context context : List.copyOf(contexts)) {
            try {
                send(session, mailbox, context, reevaluate(session, mailbox, context, touched));
            } catch (SearchException e) {
                log.debug("{}: search {} can no longer be updated: {}", session.connection, context.tag, e.getMessage());
                contexts.remove(context);
            }
        }
    }

    private static long[] reevaluate(Session session, SelectedMailbox mailbox, Context context, UidSet touched)
            throws IOException, SearchException {
        SearchEngine engine = session.server.search();
        if (context.criteria != null) {
            return engine.sort(mailbox, SearchCommand.known(mailbox), context.criteria, context.key);
        }
        UidSet matching = engine.search(mailbox, touched, context.key);
        UidSet kept = UidSets.difference(UidSet.of(context.results), touched);
        return UidSets.union(kept, matching).toArray();
    }

    /** Sends the change from the context's results to {@code next} as REMOVEFROM then ADDTO. */
    private static void send(Session session, SelectedMailbox mailbox, Context context, long[] next) throws IOException {
        long[] previous = context.results;
        context.results = next;
        List<Response.ContextUpdate> updates = new ArrayList<>();
        if (context.criteria == null) {
            long[] removed = Arrays.stream(previous).filter(uid -> Arrays.binarySearch(next, uid) < 0).toArray();
            long[] added = Arrays.stream(next).filter(uid -> Arrays.binarySearch(previous, uid) < 0).toArray();
            if (removed.length > 0) updates.add(new Response.ContextUpdate(false, 0, set(mailbox, context, removed)));
            if (added.length > 0) updates.add(new Response.ContextUpdate(true, 0, set(mailbox, context, added)));
        } else {
            sortedUpdates(mailbox, context, previous, next, updates);
        }
        if (updates.isEmpty()) return;
        session.send(new Response.Esearch(context.tag, context.uid, OptionalLong.empty(),
                OptionalLong.empty(), null, OptionalLong.empty(), OptionalLong.empty(), null, updates));
    }

    /**
     * The updates that turn one sorted result list into the next: removals from the last
     * position back, so earlier positions stay valid, then insertions at their final positions
     * from the first on. Messages kept keep their order (no sort key depends on flags).
     */
    private static void sortedUpdates(SelectedMailbox mailbox, Context context, long[] previous, long[] next,
                                      List<Response.ContextUpdate> updates) {
        UidSet nextSet = UidSet.of(next);
        UidSet previousSet = UidSet.of(previous);
        for (int i = previous.length - 1; i >= 0; i--) {
            if (!nextSet.contains(previous[i])) {
                updates.add(new Response.ContextUpdate(false, i + 1, set(mailbox, context, new long[] {previous[i]})));
            }
        }
        for (int i = 0; i < next.length; i++) {
            if (!previousSet.contains(next[i])) {
                updates.add(new Response.ContextUpdate(true, i + 1, set(mailbox, context, new long[] {next[i]})));
            }
        }
    }

    private static SequenceSet set(SelectedMailbox mailbox, Context context, long[] uids) {
        return SequenceSet.of(context.uid ? uids : SearchCommand.sequenceNumbers(mailbox, uids));
    }
}
