package org.cartero.imap.protocol;

import java.util.Set;

/**
 * The RETURN options of SEARCH and SORT: ESEARCH (RFC 4731), SAVE (RFC 5182), CONTEXT, UPDATE and
 * PARTIAL (RFC 5267, PARTIAL as updated by RFC 9394). An empty RETURN () means ALL (RFC 4731
 * section 3.1), so {@code options} holds ALL then.
 *
 * @param partial the PARTIAL range, or null
 */
public record SearchReturn(Set<Option> options, PartialRange partial) {

    public enum Option { MIN, MAX, ALL, COUNT, SAVE, CONTEXT, UPDATE }

    public SearchReturn {
        options = Set.copyOf(options);
    }

    public boolean has(Option option) {
        return options.contains(option);
    }

    /**
     * A PARTIAL range of result positions (RFC 9394): 1-based from the start, or
     * negative from the end ("-1:-10" are the last ten); {@code first} is the end nearer to the
     * start or end of the results, whichever order the client wrote.
     */
    public record PartialRange(long first, long last) {

        @Override
        public String toString() {
            return first + ":" + last;
        }
    }
}
