package org.cartero.imap.server;

import java.util.ArrayList;
import java.util.List;
import org.cartero.imap.protocol.SequenceSet;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;

/** Set operations on the store's {@link UidSet}, and conversions to the protocol's {@link SequenceSet}. */
final class UidSets {

    private UidSets() {
    }

    static UidSet union(UidSet a, UidSet b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        UidSet.Builder out = new UidSet.Builder();
        int i = 0;
        int j = 0;
        while (i < a.rangeCount() || j < b.rangeCount()) {
            boolean takeA = j >= b.rangeCount() || (i < a.rangeCount() && a.rangeFirst(i) <= b.rangeFirst(j));
            if (takeA) {
                out.addRange(a.rangeFirst(i), a.rangeLast(i));
                i++;
            } else {
                out.addRange(b.rangeFirst(j), b.rangeLast(j));
                j++;
            }
        }
        return out.build();
    }

    static UidSet intersection(UidSet a, UidSet b) {
        UidSet.Builder out = new UidSet.Builder();
        int i = 0;
        int j = 0;
        while (i < a.rangeCount() && j < b.rangeCount()) {
            long first = Math.max(a.rangeFirst(i), b.rangeFirst(j));
            long last = Math.min(a.rangeLast(i), b.rangeLast(j));
            if (first <= last) out.addRange(first, last);
            if (a.rangeLast(i) < b.rangeLast(j)) i++;
            else j++;
        }
        return out.build();
    }

    /** The UIDs of {@code a} that are not in {@code b}. */
    static UidSet difference(UidSet a, UidSet b) {
        if (a.isEmpty() || b.isEmpty()) return a;
        UidSet.Builder out = new UidSet.Builder();
        int j = 0;
        for (int i = 0; i < a.rangeCount(); i++) {
            long first = a.rangeFirst(i);
            long last = a.rangeLast(i);
            while (j < b.rangeCount() && b.rangeLast(j) < first) j++;
            int k = j;
            while (first <= last && k < b.rangeCount() && b.rangeFirst(k) <= last) {
                if (b.rangeFirst(k) > first) out.addRange(first, b.rangeFirst(k) - 1);
                first = Math.max(first, b.rangeLast(k) + 1);
                k++;
            }
            if (first <= last) out.addRange(first, last);
        }
        return out.build();
    }

    /** The UIDs of {@code set} that are in the list (a session's messages). */
    static UidSet within(UidSet set, UidList list) {
        UidSet.Builder out = new UidSet.Builder();
        for (int r = 0; r < set.rangeCount(); r++) {
            int from = list.seqAtOrAfter(set.rangeFirst(r));
            for (int seq = from; seq <= list.size() && list.uidAt(seq) <= set.rangeLast(r); seq++) {
                out.add(list.uidAt(seq));
            }
        }
        return out.build();
    }

    /** A sequence set of UIDs as a UID set, "*" standing for {@code largest} (the last UID, or UIDNEXT - 1). */
    static UidSet toUidSet(SequenceSet set, long largest) {
        long star = Math.max(1, largest);
        List<long[]> ranges = new ArrayList<>(set.ranges().size());
        for (SequenceSet.Range range : set.ranges()) ranges.add(new long[] {range.low(star), range.high(star)});
        ranges.sort((x, y) -> Long.compare(x[0], y[0]));
        UidSet.Builder out = new UidSet.Builder();
        for (long[] range : ranges) out.addRange(range[0], range[1]);
        return out.build();
    }

    /** The same numbers as a protocol sequence set (non-empty). */
    static SequenceSet toSequenceSet(UidSet set) {
        List<SequenceSet.Range> ranges = new ArrayList<>(set.rangeCount());
        for (int r = 0; r < set.rangeCount(); r++) ranges.add(new SequenceSet.Range(set.rangeFirst(r), set.rangeLast(r)));
        return new SequenceSet(ranges, false);
    }
}
