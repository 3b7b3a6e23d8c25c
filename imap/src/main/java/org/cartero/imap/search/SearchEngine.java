package org.cartero.imap.search;

import java.io.IOException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.cartero.imap.protocol.Command.SortCriterion;
import org.cartero.imap.protocol.Command.ThreadAlgorithm;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.store.Folder;
import org.cartero.store.MessageGoneException;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;

/**
 * SEARCH (RFC 9051 section 6.4.4), SORT and THREAD (RFC 5256) over one selected folder: which
 * messages of the session's view match a {@link SearchKey}, in what order, in what threads.
 * The session creates one engine when it selects a folder and uses it until it leaves it (and
 * hands its data on with {@link #reselected} when it selects the folder again); the engine is
 * not shared between threads. Encoding the results (SEARCH, ESEARCH, SORT, THREAD
 * responses, PARTIAL, SAVE, CONTEXT updates) is the session's part.
 *
 * <p>A search tests each message with the cheapest data first and reads dearer data only for
 * the messages still undecided: the sequence numbers and UIDs; then the folder's index data
 * (flags, sizes, internal dates, MODSEQ), held in memory and brought up to date with
 * {@link Folder#changesSince} before each search, so such keys cost milliseconds over 100,000
 * messages; then the envelopes, streamed from the store's index for the undecided messages; and
 * last the messages themselves, opened one at a time, their header read before any body part
 * is decoded. Nothing is kept of a message once it is decided, so memory does not grow with
 * the folder. A message expunged from the store meanwhile matches no key that needs its data.
 */
public final class SearchEngine {
    private final Folder folder;
    private final ZoneId zone;
    private final Clock clock;
    private final FolderIndex index;

    /**
     * @param folder the selected folder
     * @param zone the time zone the session shows INTERNALDATE in, in which BEFORE, ON and SINCE
     *     take the internal date's day
     */
    public SearchEngine(Folder folder, ZoneId zone) {
        this(folder, zone, Clock.systemUTC());
    }

    /** With the clock OLDER and YOUNGER measure the age of messages by. */
    SearchEngine(Folder folder, ZoneId zone, Clock clock) {
        this(folder, zone, clock, new FolderIndex(folder));
    }

    private SearchEngine(Folder folder, ZoneId zone, Clock clock, FolderIndex index) {
        this.folder = folder;
        this.zone = zone;
        this.clock = clock;
        this.index = index;
    }

    /**
     * An engine for a new selection of the same folder (same name and UIDVALIDITY), through its
     * new handle, that keeps the index data read so far: the first search after a SELECT then
     * reads only what changed. This engine is not to be used any more.
     */
    public SearchEngine reselected(Folder folder) {
        index.rebind(folder);
        return new SearchEngine(folder, zone, clock, index);
    }

    /** SEARCH: the messages of the view that match, in ascending order. */
    public SearchResult search(SearchKey key, MailboxView view) throws IOException {
        return search(key, view, null);
    }

    /**
     * SEARCH among some messages only: those of the view whose UID is in {@code among} (all
     * when null). For CONTEXT=SEARCH updates (RFC 5267 section 4): after flags changed or
     * messages arrived, test just those and compare with the previous result.
     */
    public SearchResult search(SearchKey key, MailboxView view, UidSet among) throws IOException {
        Condition condition = compile(key, view);
        int[] sequenceNumbers = find(condition, view, among).stream().toArray();
        long[] uids = new long[sequenceNumbers.length];
        for (int i = 0; i < uids.length; i++) uids[i] = view.uids().uidAt(sequenceNumbers[i]);
        return new SearchResult(sequenceNumbers, uids, highestModseq(condition, uids));
    }

    /** SORT (RFC 5256, RFC 5957): the messages that match, in the order of the criteria. */
    public SearchResult sort(List<SortCriterion> criteria, SearchKey key, MailboxView view) throws IOException {
        if (criteria.isEmpty()) throw new IllegalArgumentException("SORT needs at least one criterion");
        Condition condition = compile(key, view);
        List<Sorter.Sortable> messages = new ArrayList<>();
        forEach(find(condition, view, null), view, Sorter.needsEnvelope(criteria),
                message -> messages.add(Sorter.sortable(criteria, message)));
        List<Sorter.Sortable> sorted = Sorter.sort(criteria, messages);
        int[] sequenceNumbers = new int[sorted.size()];
        long[] uids = new long[sorted.size()];
        for (int i = 0; i < uids.length; i++) {
            sequenceNumbers[i] = sorted.get(i).sequenceNumber();
            uids[i] = sorted.get(i).uid();
        }
        return new SearchResult(sequenceNumbers, uids, highestModseq(condition, uids));
    }

    /** THREAD (RFC 5256): the messages that match, as threads in order. */
    public List<ThreadNode> thread(ThreadAlgorithm algorithm, SearchKey key, MailboxView view) throws IOException {
        List<ThreadInput> messages = new ArrayList<>();
        forEach(find(compile(key, view), view, null), view, true, message -> messages.add(ThreadInput.of(message)));
        return switch (algorithm) {
            case ORDEREDSUBJECT -> Threader.orderedSubject(messages);
            case REFERENCES -> Threader.references(messages);
        };
    }

    private Condition compile(SearchKey key, MailboxView view) {
        return Condition.compile(key, new Condition.Context(view, zone, clock.instant()));
    }

    /**
     * The sequence numbers of the messages of the view (among the given UIDs) that match. One
     * message object is moved from message to message through the phases: numbers, index data,
     * then for those still undecided their envelopes as the store streams them, and their content.
     */
    private BitSet find(Condition condition, MailboxView view, UidSet among) throws IOException {
        BitSet matched = new BitSet();
        int[] undecided = candidates(view.uids(), among);
        int count = undecided.length;
        StoredMessage cursor = new StoredMessage(folder, 0, 0, false);
        if (condition.needs(Condition.Cost.NUMBERS)) {
            int kept = 0;
            for (int i = 0; i < count; i++) {
                moveTo(cursor, undecided[i], view);
                if (decide(condition, cursor, Condition.Cost.NUMBERS, matched)) undecided[kept++] = undecided[i];
            }
            count = kept;
        }
        boolean indexed = count > 0 && condition.needs(Condition.Cost.INDEX);
        int[] rows = null;
        if (indexed) {
            index.refresh();
            rows = new int[count];
            int kept = 0;
            int row = 0;
            for (int i = 0; i < count; i++) {
                long uid = view.uids().uidAt(undecided[i]);
                while (row < index.rows() && index.uid(row) < uid) row++;
                if (row == index.rows() || index.uid(row) != uid) continue; // expunged meanwhile
                moveTo(cursor, undecided[i], view);
                setIndexData(cursor, row);
                if (decide(condition, cursor, Condition.Cost.INDEX, matched)) {
                    rows[kept] = row;
                    undecided[kept++] = undecided[i];
                }
            }
            count = kept;
        }
        if (count == 0) return matched;
        if (condition.needs(Condition.Cost.ENVELOPE)) {
            // The store's envelope read gives fresh index data with it
            streamEnvelopes(Arrays.copyOf(undecided, count), view, cursor, c -> {
                if (decide(condition, c, Condition.Cost.ENVELOPE, matched)) decide(condition, c, Condition.Cost.BODY, matched);
            });
            return matched;
        }
        for (int i = 0; i < count; i++) {
            moveTo(cursor, undecided[i], view);
            if (indexed) setIndexData(cursor, rows[i]);
            decide(condition, cursor, Condition.Cost.BODY, matched);
        }
        return matched;
    }

    /** The sequence numbers of the view to search: all, or those whose UID is among the given ones. */
    private static int[] candidates(UidList uids, UidSet among) {
        if (among == null) {
            int[] all = new int[uids.size()];
            for (int i = 0; i < all.length; i++) all[i] = i + 1;
            return all;
        }
        int[] some = new int[(int) Math.min(uids.size(), among.size())];
        int count = 0;
        for (int r = 0; r < among.rangeCount(); r++) {
            for (int seq = uids.seqAtOrAfter(among.rangeFirst(r)); seq <= uids.size() && uids.uidAt(seq) <= among.rangeLast(r); seq++) {
                some[count++] = seq;
            }
        }
        return Arrays.copyOf(some, count);
    }

    /**
     * Tests a message with the data up to {@code phase}, marking it when it matches; returns
     * whether it is still undecided. A message expunged meanwhile whose content is needed
     * matches nothing.
     */
    private static boolean decide(Condition condition, StoredMessage message, Condition.Cost phase, BitSet matched)
            throws IOException {
        Condition.Truth truth;
        try {
            truth = condition.test(message, phase);
        } catch (MessageGoneException e) {
            return false;
        }
        if (truth == Condition.Truth.TRUE) matched.set(message.sequenceNumber());
        return truth == Condition.Truth.UNKNOWN;
    }

    private static void moveTo(StoredMessage cursor, int seq, MailboxView view) {
        long uid = view.uids().uidAt(seq);
        cursor.moveTo(seq, uid, view.recent().contains(uid));
    }

    private void setIndexData(StoredMessage message, int row) {
        message.setIndexData(index.flags(row), index.internalDate(row), index.size(row), index.modseq(row));
    }

    @FunctionalInterface
    private interface MessageConsumer {
        void accept(StoredMessage message) throws IOException;
    }

    /**
     * Gives each message of the view with those sequence numbers, in order, to {@code consumer},
     * with its index data and, if asked, its envelope. A message the store no longer holds
     * comes with empty data: SORT and THREAD still place it.
     */
    private void forEach(BitSet sequenceNumbers, MailboxView view, boolean withEnvelopes, MessageConsumer consumer)
            throws IOException {
        int[] seqs = sequenceNumbers.stream().toArray();
        StoredMessage cursor = new StoredMessage(folder, 0, 0, false);
        if (withEnvelopes) {
            int[] given = {0};
            streamEnvelopes(seqs, view, cursor, message -> {
                while (seqs[given[0]] < message.sequenceNumber()) giveMissing(seqs[given[0]++], view, consumer);
                given[0]++;
                consumer.accept(message);
            });
            while (given[0] < seqs.length) giveMissing(seqs[given[0]++], view, consumer);
            return;
        }
        index.refresh();
        for (int seq : seqs) {
            moveTo(cursor, seq, view);
            int row = index.rowOf(cursor.uid());
            if (row >= 0) setIndexData(cursor, row);
            cursor.setEnvelope(StoredMessage.NO_ENVELOPE);
            consumer.accept(cursor);
        }
    }

    private void giveMissing(int seq, MailboxView view, MessageConsumer consumer) throws IOException {
        StoredMessage missing = new StoredMessage(folder, 0, 0, false);
        moveTo(missing, seq, view);
        missing.setEnvelope(StoredMessage.NO_ENVELOPE);
        consumer.accept(missing);
    }

    /**
     * Reads the envelopes of the messages with those sequence numbers (ascending) from the
     * store's index, and gives each message, with its envelope and index data, to
     * {@code consumer} as it comes; the messages the store no longer holds are left out.
     */
    private void streamEnvelopes(int[] seqs, MailboxView view, StoredMessage cursor, MessageConsumer consumer)
            throws IOException {
        if (seqs.length == 0) return;
        UidSet.Builder uids = new UidSet.Builder();
        for (int seq : seqs) uids.add(view.uids().uidAt(seq));
        int[] next = {0};
        folder.messages(uids.build(), Set.of(Folder.Include.ENVELOPE), (MessageInfo info) -> {
            while (next[0] < seqs.length && view.uids().uidAt(seqs[next[0]]) < info.uid()) next[0]++;
            if (next[0] == seqs.length || view.uids().uidAt(seqs[next[0]]) != info.uid()) return;
            moveTo(cursor, seqs[next[0]++], view);
            cursor.setIndexData(info.flags(), info.internalDate(), info.size(), info.modseq());
            cursor.setEnvelope(info.envelope());
            consumer.accept(cursor);
        });
    }

    /**
     * The highest MODSEQ of the messages found, when the key has MODSEQ (RFC 7162 section
     * 3.1.5); 0 otherwise or when none was found.
     */
    private long highestModseq(Condition condition, long[] uids) throws IOException {
        if (!condition.hasModSeq() || uids.length == 0) return 0;
        index.refresh();
        long highest = 0;
        for (long uid : uids) {
            int row = index.rowOf(uid);
            if (row >= 0) highest = Math.max(highest, index.modseq(row));
        }
        return highest;
    }
}
