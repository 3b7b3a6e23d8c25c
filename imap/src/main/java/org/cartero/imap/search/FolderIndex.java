package org.cartero.imap.search;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.cartero.store.Changes;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.FolderStatus;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;

/**
 * The index data of one folder's messages (UID, flags, internal date, size, MODSEQ) held in
 * memory as columns, so that keys on them run over 100,000 messages in milliseconds instead of
 * reading the store's index each time. It is read whole once, then brought up to date before
 * each use with {@link Folder#changesSince} from the MODSEQ it last saw: a query that costs
 * next to nothing when nothing changed. About 32 bytes a message; equal
 * flag sets share one {@link Flags}.
 */
final class FolderIndex {
    private Folder folder;
    private boolean loaded;
    private long highestModseq;
    private int size;
    private int[] uids = new int[0];
    private Flags[] flags = new Flags[0];
    private long[] internalDates = new long[0];
    private long[] sizes = new long[0];
    private long[] modseqs = new long[0];
    private final Map<Flags, Flags> sharedFlags = new HashMap<>();

    FolderIndex(Folder folder) {
        this.folder = folder;
    }

    /** Reads the same folder through another handle (opened by a later selection) from now on. */
    void rebind(Folder folder) {
        this.folder = folder;
    }

    /** Reads the index, or the changes since it was last read. */
    void refresh() throws IOException {
        if (!loaded) {
            load();
            return;
        }
        Changes changes = folder.changesSince(highestModseq);
        if (!changes.expungedComplete()) {
            load(); // the tombstones of some expunges are gone: read everything again
            return;
        }
        if (!changes.expunged().isEmpty()) remove(changes.expunged());
        for (MessageInfo message : changes.changed()) put(message);
        highestModseq = changes.highestModseq();
    }

    /**
     * Reads every row. The MODSEQ is taken first: a change made during the read is then read
     * again at the next refresh, which is harmless (rows are put by UID).
     */
    private void load() throws IOException {
        FolderStatus status = folder.status();
        size = 0;
        sharedFlags.clear();
        grow((int) Math.min(Integer.MAX_VALUE - 16, status.messages()));
        folder.messages(UidSet.all(), Set.of(), this::put);
        highestModseq = status.highestModseq();
        loaded = true;
    }

    /** How many messages the folder holds: rows 0 to rows() - 1, in ascending UID order. */
    int rows() {
        return size;
    }

    long uid(int row) {
        return Integer.toUnsignedLong(uids[row]);
    }

    /** The row of a UID, or -1 when the folder does not hold it (any more). */
    int rowOf(long uid) {
        int row = search(uid);
        return row >= 0 ? row : -1;
    }

    Flags flags(int row) {
        return flags[row];
    }

    Instant internalDate(int row) {
        return Instant.ofEpochMilli(internalDates[row]);
    }

    long size(int row) {
        return sizes[row];
    }

    long modseq(int row) {
        return modseqs[row];
    }

    private void put(MessageInfo message) {
        int row = search(message.uid());
        if (row < 0) {
            row = -row - 1;
            grow(size + 1);
            int tail = size - row;
            System.arraycopy(uids, row, uids, row + 1, tail);
            System.arraycopy(flags, row, flags, row + 1, tail);
            System.arraycopy(internalDates, row, internalDates, row + 1, tail);
            System.arraycopy(sizes, row, sizes, row + 1, tail);
            System.arraycopy(modseqs, row, modseqs, row + 1, tail);
            size++;
            uids[row] = (int) message.uid();
        }
        flags[row] = sharedFlags.computeIfAbsent(message.flags(), f -> f);
        internalDates[row] = message.internalDate().toEpochMilli();
        sizes[row] = message.size();
        modseqs[row] = message.modseq();
    }

    private void remove(UidSet expunged) {
        int kept = 0;
        for (int row = 0; row < size; row++) {
            if (expunged.contains(Integer.toUnsignedLong(uids[row]))) continue;
            uids[kept] = uids[row];
            flags[kept] = flags[row];
            internalDates[kept] = internalDates[row];
            sizes[kept] = sizes[row];
            modseqs[kept] = modseqs[row];
            kept++;
        }
        Arrays.fill(flags, kept, size, null);
        size = kept;
    }

    private void grow(int needed) {
        if (needed <= uids.length) return;
        int capacity = Math.max(needed, uids.length + (uids.length >> 1) + 16);
        uids = Arrays.copyOf(uids, capacity);
        flags = Arrays.copyOf(flags, capacity);
        internalDates = Arrays.copyOf(internalDates, capacity);
        sizes = Arrays.copyOf(sizes, capacity);
        modseqs = Arrays.copyOf(modseqs, capacity);
    }

    /** Binary search over the unsigned UIDs: the row, or -(insertion point) - 1. */
    private int search(long uid) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Integer.compareUnsigned(uids[mid], (int) uid);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }
}
