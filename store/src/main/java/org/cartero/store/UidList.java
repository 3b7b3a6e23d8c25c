package org.cartero.store;

import java.util.Arrays;

/**
 * The UIDs of a folder in ascending order, kept as a primitive array of unsigned 32-bit ints:
 * the compact per-session state of a selected folder (a message's sequence number is its
 * position + 1). 100k messages cost 400 KB, and sessions that select the same unchanged
 * folder share one array until one of them changes its copy.
 */
public final class UidList {
    private int[] uids;
    private int size;
    private boolean shared;

    private UidList(int[] uids, int size, boolean shared) {
        this.uids = uids;
        this.size = size;
        this.shared = shared;
    }

    public static UidList empty() {
        return new UidList(new int[0], 0, false);
    }

    /** Wraps an ascending array that the caller hands over and may share with other lists. */
    public static UidList sharing(int[] ascendingUids, int size) {
        return new UidList(ascendingUids, size, true);
    }

    public static UidList of(long... ascendingUids) {
        UidList list = empty();
        for (long uid : ascendingUids) list.append(uid);
        return list;
    }

    /** A list that shares this one's array (copy on write). */
    public UidList copy() {
        shared = true;
        return new UidList(uids, size, true);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The UID of the message with this 1-based sequence number. */
    public long uidAt(int seq) {
        if (seq < 1 || seq > size) throw new IndexOutOfBoundsException("no message " + seq + " of " + size);
        return Integer.toUnsignedLong(uids[seq - 1]);
    }

    /** The highest UID, or 0 when empty. */
    public long lastUid() {
        return size == 0 ? 0 : Integer.toUnsignedLong(uids[size - 1]);
    }

    /** The 1-based sequence number of a UID, or 0 when it is not in the list. */
    public int seqOf(long uid) {
        int i = search(uid);
        return i >= 0 ? i + 1 : 0;
    }

    /**
     * The sequence number of the first message whose UID is at least {@code uid}, or size() + 1
     * when none is: turns a UID range into a sequence range.
     */
    public int seqAtOrAfter(long uid) {
        int i = search(uid);
        return (i >= 0 ? i : -i - 1) + 1;
    }

    public boolean contains(long uid) {
        return search(uid) >= 0;
    }

    /** Adds a UID higher than every UID already listed (a new message). */
    public void append(long uid) {
        if (uid <= lastUid()) throw new IllegalArgumentException("UID " + uid + " not above " + lastUid());
        writable(size + 1);
        uids[size++] = (int) uid;
    }

    /**
     * Removes the given UIDs and returns the sequence numbers they had, in descending order:
     * the order in which IMAP EXPUNGE responses keep the remaining numbers valid.
     */
    public int[] remove(UidSet removed) {
        int[] seqs = new int[size];
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (removed.contains(Integer.toUnsignedLong(uids[i]))) seqs[count++] = i + 1;
        }
        if (count == 0) return new int[0];
        writable(size);
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (!removed.contains(Integer.toUnsignedLong(uids[i]))) uids[w++] = uids[i];
        }
        size = w;
        int[] result = new int[count];
        for (int i = 0; i < count; i++) result[i] = seqs[count - 1 - i];
        return result;
    }

    /** The listed UIDs as a set. */
    public UidSet toSet() {
        UidSet.Builder b = new UidSet.Builder();
        for (int i = 0; i < size; i++) b.add(Integer.toUnsignedLong(uids[i]));
        return b.build();
    }

    private int search(long uid) {
        if (uid < 1 || uid > UidSet.MAX_UID) return -1;
        int key = (int) uid;
        int lo = 0, hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(uids[mid], key);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }

    private void writable(int needed) {
        if (shared || needed > uids.length) {
            uids = Arrays.copyOf(uids, Math.max(needed, shared ? size : uids.length * 2 + 4));
            shared = false;
        }
    }
}
