package org.cartero.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;

/**
 * An immutable set of message UIDs kept as sorted, disjoint, non-adjacent ranges: the shape of
 * an IMAP sequence set in UID form ("1:5,9,12:20"). UIDs are unsigned 32-bit numbers
 * (RFC 9051 section 2.3.1.1: 1 to 4294967295).
 */
public final class UidSet implements Iterable<Long> {
    public static final long MAX_UID = 0xFFFF_FFFFL;
    public static final UidSet EMPTY = new UidSet(new long[0]);

    private final long[] ranges; // pairs of [first, last], inclusive

    private UidSet(long[] ranges) {
        this.ranges = ranges;
    }

    public static UidSet all() {
        return range(1, MAX_UID);
    }

    public static UidSet of(long... uids) {
        Builder b = new Builder();
        long[] sorted = uids.clone();
        Arrays.sort(sorted);
        for (long uid : sorted) b.add(uid);
        return b.build();
    }

    public static UidSet range(long first, long last) {
        check(first);
        check(last);
        if (first > last) { long t = first; first = last; last = t; }
        return new UidSet(new long[] {first, last});
    }

    /** Parses "1:5,9,12:*" style text where "*" stands for {@code star}. */
    public static UidSet parse(String text, long star) {
        List<long[]> parts = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int colon = part.indexOf(':');
            long a = number(colon < 0 ? part : part.substring(0, colon), star);
            long b = colon < 0 ? a : number(part.substring(colon + 1), star);
            parts.add(new long[] {Math.min(a, b), Math.max(a, b)});
        }
        parts.sort((x, y) -> Long.compare(x[0], y[0]));
        Builder builder = new Builder();
        for (long[] p : parts) builder.addRange(p[0], p[1]);
        return builder.build();
    }

    private static long number(String s, long star) {
        if (s.equals("*")) return star;
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid UID \"" + s + "\"");
        }
        long n = Long.parseLong(s);
        check(n);
        return n;
    }

    private static void check(long uid) {
        if (uid < 1 || uid > MAX_UID) throw new IllegalArgumentException("UID out of range: " + uid);
    }

    public boolean isEmpty() {
        return ranges.length == 0;
    }

    public boolean contains(long uid) {
        int lo = 0, hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (uid < ranges[2 * mid]) hi = mid - 1;
            else if (uid > ranges[2 * mid + 1]) lo = mid + 1;
            else return true;
        }
        return false;
    }

    /** How many UIDs the set holds. */
    public long size() {
        long n = 0;
        for (int i = 0; i < ranges.length; i += 2) n += ranges[i + 1] - ranges[i] + 1;
        return n;
    }

    public int rangeCount() {
        return ranges.length / 2;
    }

    public long rangeFirst(int i) {
        return ranges[2 * i];
    }

    public long rangeLast(int i) {
        return ranges[2 * i + 1];
    }

    public long first() {
        if (isEmpty()) throw new NoSuchElementException();
        return ranges[0];
    }

    public long last() {
        if (isEmpty()) throw new NoSuchElementException();
        return ranges[ranges.length - 1];
    }

    @Override
    public PrimitiveIterator.OfLong iterator() {
        return new PrimitiveIterator.OfLong() {
            int range = 0;
            long next = ranges.length > 0 ? ranges[0] : 0;

            @Override
            public boolean hasNext() {
                return range < ranges.length;
            }

            @Override
            public long nextLong() {
                if (!hasNext()) throw new NoSuchElementException();
                long uid = next;
                if (next == ranges[range + 1]) {
                    range += 2;
                    if (range < ranges.length) next = ranges[range];
                } else {
                    next++;
                }
                return uid;
            }
        };
    }

    public long[] toArray() {
        long[] out = new long[Math.toIntExact(size())];
        int i = 0;
        for (PrimitiveIterator.OfLong it = iterator(); it.hasNext(); ) out[i++] = it.nextLong();
        return out;
    }

    /** The IMAP form, "1:5,9"; empty for an empty set. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ranges.length; i += 2) {
            if (i > 0) sb.append(',');
            sb.append(ranges[i]);
            if (ranges[i + 1] != ranges[i]) sb.append(':').append(ranges[i + 1]);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UidSet other && Arrays.equals(ranges, other.ranges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(ranges);
    }

    /** Collects UIDs or ranges given in ascending order. */
    public static final class Builder {
        private long[] ranges = new long[8];
        private int length;

        public Builder add(long uid) {
            return addRange(uid, uid);
        }

        /** Adds [first, last]; ranges must come in ascending order of {@code first}. */
        public Builder addRange(long first, long last) {
            check(first);
            check(last);
            if (length > 0) {
                long prevFirst = ranges[length - 2];
                if (first < prevFirst) throw new IllegalArgumentException("ranges out of order");
                if (first <= ranges[length - 1] + 1) {
                    ranges[length - 1] = Math.max(ranges[length - 1], last);
                    return this;
                }
            }
            if (length == ranges.length) ranges = Arrays.copyOf(ranges, length * 2);
            ranges[length++] = first;
            ranges[length++] = last;
            return this;
        }

        public UidSet build() {
            return length == 0 ? EMPTY : new UidSet(Arrays.copyOf(ranges, length));
        }
    }
}
