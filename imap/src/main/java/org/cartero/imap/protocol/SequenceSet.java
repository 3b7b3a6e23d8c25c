package org.cartero.imap.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * A sequence set of message sequence numbers or UIDs (RFC 9051 section 9, "sequence-set"): ranges
 * in either order, "*" for the largest number in use, or "$", the result saved by the last
 * SEARCH ... RETURN (SAVE) (RFC 5182). Responses use the same form, compacted by {@link #of}.
 *
 * @param ranges the ranges as written; empty only for the saved result "$"
 * @param savedResult true for "$"
 */
public record SequenceSet(List<Range> ranges, boolean savedResult) {

    /** Stands for "*" in a range: the largest number in use. */
    public static final long STAR = Long.MAX_VALUE;

    /** The largest sequence number or UID: nz-number is a 32-bit unsigned number. */
    public static final long MAX_NUMBER = 0xffff_ffffL;

    /** "$", the saved search result (RFC 5182). */
    public static final SequenceSet SAVED = new SequenceSet(List.of(), true);

    /** One number (first == last) or a range; either end may be {@link #STAR}. */
    public record Range(long first, long last) {

        /** The lower end, with "*" taken as {@code largest}. */
        public long low(long largest) {
            return Math.min(resolve(first, largest), resolve(last, largest));
        }

        /** The upper end, with "*" taken as {@code largest}. */
        public long high(long largest) {
            return Math.max(resolve(first, largest), resolve(last, largest));
        }

        private static long resolve(long n, long largest) {
            return n == STAR ? largest : n;
        }

        @Override
        public String toString() {
            return first == last ? text(first) : text(first) + ":" + text(last);
        }

        private static String text(long n) {
            return n == STAR ? "*" : Long.toString(n);
        }
    }

    public SequenceSet {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty() != savedResult) throw new IllegalArgumentException("empty sequence set");
    }

    /**
     * Parses a sequence set.
     *
     * @throws IllegalArgumentException with the reason, when the text is not a sequence set
     */
    public static SequenceSet parse(String text) {
        if (text.equals("$")) return SAVED;
        if (text.isEmpty()) throw new IllegalArgumentException("empty sequence set");
        List<Range> ranges = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                long n = number(part);
                ranges.add(new Range(n, n));
            } else {
                ranges.add(new Range(number(part.substring(0, colon)), number(part.substring(colon + 1))));
            }
        }
        return new SequenceSet(ranges, false);
    }

    private static long number(String text) {
        if (text.equals("*")) return STAR;
        if (text.isEmpty()) throw new IllegalArgumentException("missing number in sequence set");
        if (text.length() > 10) throw new IllegalArgumentException("number " + text + " is too large");
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException("\"" + c + "\" is not allowed in a sequence set");
            n = n * 10 + (c - '0');
        }
        if (n == 0) throw new IllegalArgumentException("0 is not a valid message number");
        if (n > MAX_NUMBER) throw new IllegalArgumentException("number " + text + " is too large");
        return n;
    }

    /**
     * The set of the given numbers, in their order, joining runs of consecutive ascending
     * numbers into ranges: {@code of(1, 2, 3, 5)} is "1:3,5", {@code of(5, 3, 4, 2)} is "5,3:4,2".
     */
    public static SequenceSet of(long... numbers) {
        if (numbers.length == 0) throw new IllegalArgumentException("empty sequence set");
        List<Range> ranges = new ArrayList<>();
        long first = numbers[0];
        long last = first;
        for (int i = 1; i < numbers.length; i++) {
            if (numbers[i] == last + 1) {
                last = numbers[i];
            } else {
                ranges.add(new Range(first, last));
                first = last = numbers[i];
            }
        }
        ranges.add(new Range(first, last));
        return new SequenceSet(ranges, false);
    }

    /** True when the set holds {@code n}, "*" being {@code largest}. False for "$". */
    public boolean contains(long n, long largest) {
        for (Range range : ranges) {
            if (n >= range.low(largest) && n <= range.high(largest)) return true;
        }
        return false;
    }

    @Override
    public String toString() {
        if (savedResult) return "$";
        StringBuilder out = new StringBuilder();
        for (Range range : ranges) {
            if (!out.isEmpty()) out.append(',');
            out.append(range);
        }
        return out.toString();
    }
}
