package org.cartero.imap.search;

import java.io.IOException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.cartero.imap.protocol.Command.SortCriterion;
import org.cartero.imap.protocol.Command.ThreadAlgorithm;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.store.Folder;
import org.cartero.store.MessageGoneException;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;
import org.cartero.store.mime.Envelope;

/**
 * SEARCH (RFC 9051 section 6.4.4), SORT and THREAD (RFC 5256) over one selected folder: which
 * messages of the session's view match a {@link SearchKey}, in what order, in what threads.
 * The session creates one engine when it selects a folder and uses it until it leaves it; the
 * engine is not shared between threads. Encoding the results (SEARCH, ESEARCH, SORT, THREAD
 * responses, PARTIAL, SAVE, CONTEXT updates) is the session's part.
 *
 * <p>A search tests each message with the cheapest data first and reads dearer data only for
 * the messages still undecided: the sequence numbers and UIDs; then the folder's index data
 * (flags, sizes, internal dates, MODSEQ), held in memory and brought up to date with
 * {@link Folder#changesSince} before each search, so such keys cost milliseconds over 100,000
 * messages; then the envelopes, read from the store's index for the undecided messages at once;
 * and last the messages themselves, opened one at a time, their header read before any body
 * part is decoded. A message expunged from the store meanwhile matches nothing that needs its data.
 */
public final class SearchEngine {
    private static final List<Condition.Cost> PHASES =
            List.of(Condition.Cost.NUMBERS, Condition.Cost.INDEX, Condition.Cost.ENVELOPE, Condition.Cost.BODY);

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
        this.folder = folder;
        this.zone = zone;
        this.clock = clock;
        this.index = new FolderIndex(folder);
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
        return result(find(condition, view, among), condition);
    }

    /** SORT (RFC 5256, RFC 5957): the messages that match, in the order of the criteria. */
    public SearchResult sort(List<SortCriterion> criteria, SearchKey key, MailboxView view) throws IOException {
        if (criteria.isEmpty()) throw new IllegalArgumentException("SORT needs at least one criterion");
        Condition condition = compile(key, view);
        List<StoredMessage> found = find(condition, view, null);
        if (Sorter.needsIndexData(criteria)) addIndexData(found, false);
        if (Sorter.needsEnvelope(criteria)) addEnvelopes(found, false);
        return result(Sorter.sort(criteria, found), condition);
    }

    /** THREAD (RFC 5256): the messages that match, as threads in order. */
    public List<ThreadNode> thread(ThreadAlgorithm algorithm, SearchKey key, MailboxView view) throws IOException {
        List<StoredMessage> found = find(compile(key, view), view, null);
        addIndexData(found, false);
        addEnvelopes(found, false);
        List<ThreadInput> messages = new ArrayList<>(found.size());
        for (StoredMessage message : found) messages.add(ThreadInput.of(message));
        return switch (algorithm) {
            case ORDEREDSUBJECT -> Threader.orderedSubject(messages);
            case REFERENCES -> Threader.references(messages);
        };
    }

    private Condition compile(SearchKey key, MailboxView view) {
        return Condition.compile(key, new Condition.Context(view, zone, clock.instant()));
    }

    /** The messages of the view (among the given UIDs) that match, in ascending order. */
    private List<StoredMessage> find(Condition condition, MailboxView view, UidSet among) throws IOException {
        List<StoredMessage> undecided = new ArrayList<>();
        UidList uids = view.uids();
        for (int seq = 1; seq <= uids.size(); seq++) {
            long uid = uids.uidAt(seq);
            if (among == null || among.contains(uid)) {
                undecided.add(new StoredMessage(folder, seq, uid, view.recent().contains(uid)));
            }
        }
        List<StoredMessage> matched = new ArrayList<>();
        for (Condition.Cost phase : PHASES) {
            if (undecided.isEmpty()) break;
            switch (phase) {
                case INDEX -> {
                    if (!condition.needs(Condition.Cost.INDEX)) continue;
                    undecided = addIndexData(undecided, true);
                }
                case ENVELOPE -> {
                    if (!condition.needs(Condition.Cost.ENVELOPE)) continue;
                    undecided = addEnvelopes(undecided, true);
                }
                default -> {
                }
            }
            List<StoredMessage> next = new ArrayList<>();
            for (StoredMessage message : undecided) {
                switch (test(condition, message, phase)) {
                    case TRUE -> matched.add(message);
                    case UNKNOWN -> next.add(message);
                    case FALSE -> {
                    }
                }
            }
            undecided = next;
        }
        matched.sort(Comparator.comparingInt(StoredMessage::sequenceNumber));
        return matched;
    }

    /** Tests a message; one expunged meanwhile whose content is needed matches nothing. */
    private static Condition.Truth test(Condition condition, StoredMessage message, Condition.Cost phase) throws IOException {
        try {
            return condition.test(message, phase);
        } catch (MessageGoneException e) {
            return Condition.Truth.FALSE;
        }
    }

    /**
     * Gives the messages their index data; returns those the folder still holds, or all of them
     * when {@code dropMissing} is false (the missing ones keep empty data).
     */
    private List<StoredMessage> addIndexData(List<StoredMessage> messages, boolean dropMissing) throws IOException {
        index.refresh();
        List<StoredMessage> present = new ArrayList<>(messages.size());
        for (StoredMessage message : messages) {
            int row = index.rowOf(message.uid());
            if (row >= 0) {
                message.setIndexData(index.flags(row), index.internalDate(row), index.size(row), index.modseq(row));
                present.add(message);
            } else if (!dropMissing) {
                present.add(message);
            }
        }
        return present;
    }

    /**
     * Gives the messages (in ascending UID order) their envelopes, read from the store's index
     * in one pass; returns those the folder still holds, or all of them when {@code dropMissing}
     * is false (the missing ones get an envelope without fields).
     */
    private List<StoredMessage> addEnvelopes(List<StoredMessage> messages, boolean dropMissing) throws IOException {
        if (messages.isEmpty()) return messages;
        UidSet.Builder uids = new UidSet.Builder();
        for (StoredMessage message : messages) uids.add(message.uid());
        Envelope[] envelopes = new Envelope[messages.size()];
        int[] next = {0};
        folder.messages(uids.build(), true, info -> {
            while (next[0] < messages.size() && messages.get(next[0]).uid() < info.uid()) next[0]++;
            if (next[0] < messages.size() && messages.get(next[0]).uid() == info.uid()) envelopes[next[0]] = info.envelope();
        });
        List<StoredMessage> present = new ArrayList<>(messages.size());
        for (int i = 0; i < envelopes.length; i++) {
            if (envelopes[i] == null && dropMissing) continue;
            messages.get(i).setEnvelope(envelopes[i] == null ? StoredMessage.NO_ENVELOPE : envelopes[i]);
            present.add(messages.get(i));
        }
        return present;
    }

    private SearchResult result(List<StoredMessage> messages, Condition condition) throws IOException {
        int[] sequenceNumbers = new int[messages.size()];
        long[] uids = new long[messages.size()];
        for (int i = 0; i < sequenceNumbers.length; i++) {
            sequenceNumbers[i] = messages.get(i).sequenceNumber();
            uids[i] = messages.get(i).uid();
        }
        long highestModseq = 0;
        if (condition.hasModSeq()) {
            for (StoredMessage message : addIndexData(messages, false)) highestModseq = Math.max(highestModseq, message.modseq());
        }
        return new SearchResult(sequenceNumbers, uids, highestModseq);
    }
}
