package org.cartero.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cartero.imap.protocol.FetchItem;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.SequenceSet;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.Changes;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.FolderStatus;
import org.cartero.store.MessageInfo;
import org.cartero.store.Snapshot;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;

/**
 * The selected mailbox as one session sees it (RFC 9051 section 2.3.1.2): its messages in
 * sequence-number order, which change only when the session tells the client, and the changes
 * others made that the client has yet to hear of.
 *
 * <p>The store says what changed after a MODSEQ ({@link Folder#changesSince}); this class turns
 * that into the unsolicited responses of RFC 9051 section 7 at the moments they are allowed:
 * FETCH FLAGS and EXISTS with any command, EXPUNGE (or VANISHED with QRESYNC, RFC 7162 section
 * 3.2.10) only where the session says so. A message another session expunged keeps its
 * sequence number here until the client is told, so numbers never shift under a FETCH or
 * STORE. The store's watch tells when there may be something to read, so commands on a quiet
 * mailbox cost no query.
 */
final class SelectedMailbox implements SearchScope, AutoCloseable {

    final Folder folder;
    final boolean readOnly;
    private final Session session;
    private final String recentKey;
    private final Folder.Watch watch;
    private final long uidValidity;
    /** The mailbox as it was when selected: what SELECT reports. */
    private final FolderStatus selectedStatus;
    private UidList uids;
    private long highestModSeq;
    private long uidNext;
    /** How many messages the client knows of: EXISTS less the EXPUNGEs sent since. */
    private int announced;
    /** Messages gone from the store that the client has not been told of. */
    private UidSet expunged = UidSet.EMPTY;
    /** Messages with \Recent in this session (IMAP4rev1). */
    private UidSet recent = UidSet.EMPTY;
    private List<String> keywords;
    /** Flag changes this session reported itself (its STORE), by UID: their MODSEQ, not to be told twice. */
    private final Map<Long, Long> reported = new HashMap<>();
    /** The result saved by SEARCH RETURN (SAVE), "$" (RFC 5182); UIDs, so expunges drop out. */
    private UidSet savedResult = UidSet.EMPTY;
    private final SearchContexts contexts = new SearchContexts();
    private volatile boolean changed;

    private SelectedMailbox(Session session, Folder folder, boolean readOnly, Snapshot snapshot) throws IOException {
        this.folder = folder;
        this.readOnly = readOnly;
        this.session = session;
        FolderStatus status = snapshot.status();
        this.selectedStatus = status;
        this.uidValidity = status.uidValidity();
        this.uids = snapshot.uids();
        this.highestModSeq = status.highestModseq();
        this.uidNext = status.uidNext();
        this.announced = uids.size();
        this.keywords = folder.keywords();
        this.recentKey = RecentMessages.key(session.account().name(), folder.name(), uidValidity);
        if (session.recentFlags()) claimRecent(session, 1);
        this.watch = folder.watch(() -> {
            changed = true;
            session.wake();
        });
    }

    /** Selects {@code folder} for {@code session}: its messages as of now. */
    static SelectedMailbox open(Session session, Folder folder, boolean readOnly) throws IOException {
        return new SelectedMailbox(session, folder, readOnly, folder.snapshot());
    }

    // ---- the session's view -----------------------------------------------------------------

    int size() {
        return uids.size();
    }

    UidList uids() {
        return uids;
    }

    @Override
    public Folder folder() {
        return folder;
    }

    @Override
    public UidList messages() {
        return uids;
    }

    long uidAt(int sequenceNumber) {
        return uids.uidAt(sequenceNumber);
    }

    /** The sequence number of a message the client knows, or 0. */
    int sequenceNumber(long uid) {
        return uids.seqOf(uid);
    }

    @Override
    public long uidValidity() {
        return uidValidity;
    }

    @Override
    public Object owner() {
        return session;
    }

    /** The status the mailbox had when it was selected. */
    FolderStatus selectedStatus() {
        return selectedStatus;
    }

    long uidNext() {
        return uidNext;
    }

    long highestModSeq() {
        return highestModSeq;
    }

    List<String> keywords() {
        return keywords;
    }

    @Override
    public UidSet recent() {
        return recent;
    }

    /** How many of the client's messages are \Recent in this session. */
    int recentCount() {
        int count = 0;
        for (int r = 0; r < recent.rangeCount(); r++) {
            long last = recent.rangeLast(r);
            int end = last >= UidSet.MAX_UID ? uids.size() + 1 : uids.seqAtOrAfter(last + 1);
            count += end - uids.seqAtOrAfter(recent.rangeFirst(r));
        }
        return count;
    }

    /** True when the client has not yet been told that this message is gone. */
    boolean isExpunged(long uid) {
        return expunged.contains(uid);
    }

    @Override
    public UidSet savedResult() {
        return UidSets.difference(savedResult, expunged);
    }

    void saveResult(UidSet result) {
        savedResult = result;
    }

    SearchContexts contexts() {
        return contexts;
    }

    /**
     * The messages a sequence set names (RFC 9051 section 9): sequence numbers or UIDs, "*" the
     * last message, "$" the saved result (RFC 5182). The result holds UID ranges that contain
     * only messages the client knows: everything the store has up to the client's last UID.
     *
     * @throws ImapException BAD for a sequence number beyond the last message
     */
    UidSet resolve(SequenceSet set, boolean uid) throws ImapException {
        if (set.savedResult()) return savedResult();
        if (uids.isEmpty()) {
            if (!uid && !onlyStar(set)) throw ImapException.bad("No messages in the mailbox; there is no message " + first(set));
            return UidSet.EMPTY;
        }
        List<long[]> ranges = new ArrayList<>();
        long last = uids.lastUid();
        for (SequenceSet.Range range : set.ranges()) {
            if (uid) {
                long low = range.low(last);
                long high = Math.min(range.high(last), last);
                if (low <= high) ranges.add(new long[] {low, high});
            } else {
                long high = range.high(uids.size());
                if (high > uids.size()) throw ImapException.bad("No message " + high + ": the mailbox has " + uids.size());
                ranges.add(new long[] {uids.uidAt((int) range.low(uids.size())), uids.uidAt((int) high)});
            }
        }
        ranges.sort(Comparator.comparingLong(r -> r[0]));
        UidSet.Builder builder = new UidSet.Builder();
        for (long[] r : ranges) builder.addRange(r[0], r[1]);
        return builder.build();
    }

    private static boolean onlyStar(SequenceSet set) {
        for (SequenceSet.Range range : set.ranges()) {
            if (range.first() != SequenceSet.STAR || range.last() != SequenceSet.STAR) return false;
        }
        return true;
    }

    private static long first(SequenceSet set) {
        SequenceSet.Range range = set.ranges().getFirst();
        return Math.min(range.first(), range.last());
    }

    // ---- flags as the client sees them --------------------------------------------------------

    /** A message's flags as a FETCH response gives them: \Recent added for IMAP4rev1 sessions. */
    List<String> flagNames(Session session, long uid, Flags flags) {
        List<String> names = flags.names();
        if (!session.recentFlags() || !recent.contains(uid)) return names;
        List<String> withRecent = new ArrayList<>(names.size() + 1);
        withRecent.add("\\Recent");
        withRecent.addAll(names);
        return withRecent;
    }

    /** FLAGS and PERMANENTFLAGS (RFC 9051 sections 7.3.5 and 7.1): the flags of this mailbox. */
    void sendFlags(Session session) throws IOException {
        List<String> defined = new ArrayList<>(List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"));
        defined.addAll(keywords);
        session.send(new Response.Flags(defined));
        List<String> permanent = new ArrayList<>();
        if (!readOnly) {
            permanent.addAll(defined);
            permanent.add("\\*");
        }
        session.send(StatusResponse.ok(null, new ResponseCode.PermanentFlags(permanent),
                readOnly ? "No permanent flags permitted" : "Flags permitted"));
    }

    /** Notes a flag change this session told the client of itself (STORE, FETCH setting \Seen), not to tell it again. */
    void reportedFlags(long uid, long modSeq) {
        reported.put(uid, modSeq);
    }

    /**
     * Announces keywords the client has not seen in FLAGS yet (RFC 9051 section 7.3.5), before
     * a FETCH shows them on a message.
     */
    void learnKeywords(Session session, Flags flags) throws IOException {
        List<String> learned = null;
        for (String keyword : flags.keywords()) {
            if (keywords.stream().noneMatch(known -> known.equalsIgnoreCase(keyword))) {
                if (learned == null) learned = new ArrayList<>(folder.keywords());
                if (learned.stream().noneMatch(known -> known.equalsIgnoreCase(keyword))) learned.add(keyword);
            }
        }
        if (learned == null) return;
        keywords = List.copyOf(learned);
        sendFlags(session);
    }

    /** The FETCH that tells of a message's new flags (with UID under QRESYNC and MODSEQ under CONDSTORE). */
    Response.Fetch flagsFetch(Session session, int sequenceNumber, long uid, Flags flags, long modSeq, boolean withUid) {
        List<FetchItem> items = new ArrayList<>(3);
        if (withUid || session.qresync()) items.add(new FetchItem.Uid(uid));
        items.add(new FetchItem.Flags(flagNames(session, uid, flags)));
        // RFC 7162 section 3.1.4.1: with CONDSTORE on, FETCH responses with FLAGS carry MODSEQ
        if (session.condStore()) items.add(new FetchItem.ModSeq(modSeq));
        return new Response.Fetch(sequenceNumber, items);
    }

    // ---- changes ----------------------------------------------------------------------------

    /** Makes the next {@link #sendUpdates} ask the store, watch or not (NOOP, CHECK, after own changes). */
    void checkNow() {
        changed = true;
    }

    /**
     * Sends what changed since the client last heard: FETCH FLAGS for changed messages, EXPUNGE
     * or VANISHED if {@code expungesAllowed}, EXISTS (and RECENT) for new messages, and the
     * CONTEXT updates of RFC 5267 around them. Returns the messages EXISTS announced.
     */
    UidSet sendUpdates(Session session, boolean expungesAllowed) throws IOException {
        List<MessageInfo> flagChanges = new ArrayList<>();
        UidSet touched = UidSet.EMPTY;
        if (changed) {
            changed = false;
            touched = readChanges(session, flagChanges);
        }
        for (MessageInfo m : flagChanges) {
            session.send(flagsFetch(session, uids.seqOf(m.uid()), m.uid(), m.flags(), m.modseq(), false));
        }
        if (expungesAllowed && !expunged.isEmpty()) sendExpunges(session);
        UidSet arrived = UidSet.EMPTY;
        if (uids.size() > announced) {
            arrived = UidSet.range(uids.uidAt(announced + 1), uids.lastUid());
            announced = uids.size();
            session.send(new Response.Exists(announced));
            if (session.recentFlags()) session.send(new Response.Recent(recentCount()));
        }
        contexts.sendUpdates(session, this, touched);
        return arrived;
    }

    /**
     * Reads the store's changes: new messages join the view (the client hears of them with
     * EXISTS), expunged ones wait in {@link #expunged}, flag changes the client has not heard
     * of go into {@code flagChanges}. Returns every message whose flags changed, this
     * session's changes too, for the searches that follow them.
     */
    private UidSet readChanges(Session session, List<MessageInfo> flagChanges) throws IOException {
        Changes changes = folder.changesSince(highestModSeq);
        long lastKnown = uids.lastUid();
        UidSet gone = changes.expungedComplete() ? changes.expunged() : missingFromStore();
        expunged = UidSets.union(expunged, UidSets.within(gone, uids));
        List<MessageInfo> arrived = new ArrayList<>();
        UidSet.Builder touched = new UidSet.Builder();
        List<MessageInfo> changed = new ArrayList<>(changes.changed());
        changed.sort(Comparator.comparingLong(MessageInfo::uid));
        for (MessageInfo m : changed) {
            if (m.uid() > lastKnown) {
                arrived.add(m);
            } else if (!expunged.contains(m.uid()) && uids.contains(m.uid())) {
                touched.add(m.uid());
                Long told = reported.get(m.uid());
                if (told == null || told != m.modseq()) flagChanges.add(m);
            }
        }
        for (MessageInfo m : arrived) uids.append(m.uid());
        highestModSeq = Math.max(highestModSeq, changes.highestModseq());
        uidNext = Math.max(uidNext, changes.uidNext());
        reported.clear();
        if (!arrived.isEmpty() && session.recentFlags()) claimRecent(session, lastKnown + 1);
        for (MessageInfo m : flagChanges) learnKeywords(session, m.flags());
        for (MessageInfo m : arrived) learnKeywords(session, m.flags());
        contexts.arrived(arrived);
        return touched.build();
    }

    /** The client's messages the store no longer has, when its record of expunges is incomplete. */
    private UidSet missingFromStore() throws IOException {
        UidSet present = folder.snapshot().uids().toSet();
        return UidSets.difference(UidSets.difference(uids.toSet(), present), expunged);
    }

    /** Tells the client of the expunged messages: REMOVEFROM first (RFC 5267 4.3.4), then EXPUNGE or VANISHED. */
    private void sendExpunges(Session session) throws IOException {
        UidSet gone = expunged;
        contexts.expunging(session, this, gone);
        int[] sequenceNumbers = uids.remove(gone);
        expunged = UidSet.EMPTY;
        recent = UidSets.difference(recent, gone);
        savedResult = UidSets.difference(savedResult, gone);
        announced -= sequenceNumbers.length;
        if (session.qresync()) {
            session.send(new Response.Vanished(false, UidSets.toSequenceSet(gone)));
            return;
        }
        // descending, so each number is still right when the client reads it (RFC 9051 section 7.5.1)
        for (int sequenceNumber : sequenceNumbers) session.send(new Response.Expunge(sequenceNumber));
    }

    /** Takes the messages from {@code fromUid} on as \Recent for this session (only the first session gets them). */
    private void claimRecent(Session session, long fromUid) {
        long first = Math.max(fromUid, session.server.recent().claim(recentKey, uidNext, !readOnly));
        if (first < uidNext) recent = UidSets.union(recent, UidSet.range(first, uidNext - 1));
    }

    /** Notes messages the session itself expunged, for the EXPUNGE responses of its command. */
    void expunged(UidSet removed) {
        expunged = UidSets.union(expunged, UidSets.within(removed, uids));
    }

    @Override
    public void close() {
        watch.close();
        folder.close();
    }
}
