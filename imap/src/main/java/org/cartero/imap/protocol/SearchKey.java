package org.cartero.imap.protocol;

import java.time.LocalDate;
import java.util.List;

/**
 * A search key of SEARCH, SORT and THREAD (RFC 9051 section 6.4.4, with MODSEQ of RFC 7162 and
 * OLDER/YOUNGER of RFC 5032), as a tree. Strings are already decoded from the command's CHARSET.
 * The flag keys are one kind: ANSWERED is {@code Flag("\Answered", true)}, UNSEEN is
 * {@code Flag("\Seen", false)}, OLD is {@code Flag("\Recent", false)}, NEW is RECENT and UNSEEN.
 */
public sealed interface SearchKey {

    /** ALL: every message. */
    record All() implements SearchKey {
    }

    /** A flag or keyword that is set ({@code set}) or not set. */
    record Flag(String flag, boolean set) implements SearchKey {
    }

    /** FROM, TO, CC, BCC, SUBJECT, BODY or TEXT: the field contains the string. */
    record Text(TextField field, String value) implements SearchKey {
    }

    /** The string-matching keys that are not HEADER. */
    enum TextField { FROM, TO, CC, BCC, SUBJECT, BODY, TEXT }

    /** HEADER field-name string: the header field exists and contains the string. */
    record Header(String name, String value) implements SearchKey {
    }

    /**
     * BEFORE, ON, SINCE (the internal date) and SENTBEFORE, SENTON, SENTSINCE (the Date header),
     * compared by date, disregarding time and zone.
     */
    record Date(DateField field, Comparison comparison, LocalDate date) implements SearchKey {
    }

    enum DateField { INTERNAL, SENT }

    enum Comparison { BEFORE, ON, SINCE }

    /** LARGER (larger) or SMALLER: RFC822.SIZE compared with {@code octets}. */
    record Size(boolean larger, long octets) implements SearchKey {
    }

    /** A sequence set of message numbers, or UID with a set of UIDs; "$" for the saved result. */
    record Messages(SequenceSet set, boolean uid) implements SearchKey {
    }

    record Not(SearchKey key) implements SearchKey {
    }

    record Or(SearchKey left, SearchKey right) implements SearchKey {
    }

    /** Keys that must all match: the search program, or a parenthesised list. */
    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }

    /**
     * MODSEQ (RFC 7162 section 3.1.5): messages whose mod-sequence is at least {@code modSeq}.
     * {@code flag} and {@code entryType} ("priv", "shared" or "all") are the optional metadata
     * entry, a flag's own mod-sequence; null when not given.
     */
    record ModSeq(long modSeq, String flag, String entryType) implements SearchKey {
    }

    /** OLDER (older) or YOUNGER (RFC 5032): internal date more, or less, than {@code seconds} ago. */
    record Age(boolean older, long seconds) implements SearchKey {
    }
}
