package org.cartero.imap.search;

import java.util.Arrays;
import org.cartero.store.UidSet;

/**
 * The messages a SEARCH or SORT found: in ascending order for SEARCH, in the sort order for
 * SORT, each by sequence number and UID as the session's view numbered them when the command ran.
 */
public final class SearchResult {
    private final int[] sequenceNumbers;
    private final long[] uids;
    private final long highestModseq;

    SearchResult(int[] sequenceNumbers, long[] uids, long highestModseq) {
        this.sequenceNumbers = sequenceNumbers;
        this.uids = uids;
        this.highestModseq = highestModseq;
    }

    public int size() {
        return sequenceNumbers.length;
    }

    public boolean isEmpty() {
        return sequenceNumbers.length == 0;
    }

    /** The sequence numbers, in result order. */
    public int[] sequenceNumbers() {
        return sequenceNumbers.clone();
    }

    /** The UIDs, in result order. */
    public long[] uids() {
        return uids.clone();
    }

    /** The UIDs for UID SEARCH/SORT, the sequence numbers otherwise, in result order. */
    public long[] numbers(boolean uid) {
        return uid ? uids.clone() : Arrays.stream(sequenceNumbers).asLongStream().toArray();
    }

    /** The UIDs as a set: what RETURN (SAVE) keeps as "$" (RFC 5182), or what CONTEXT updates compare. */
    public UidSet uidSet() {
        return UidSet.of(uids);
    }

    /**
     * The highest MODSEQ of the messages found, for the "(MODSEQ n)" that RFC 7162 section
     * 3.1.5 adds to a SEARCH or SORT whose key uses MODSEQ; 0 when the key does not, or when
     * nothing was found (no MODSEQ is sent then).
     */
    public long highestModseq() {
        return highestModseq;
    }

    @Override
    public String toString() {
        return "SearchResult" + Arrays.toString(sequenceNumbers);
    }
}
