package org.cartero.imap.protocol;

import java.util.List;

/**
 * A FETCH data item the client asks for (RFC 9051 section 6.4.5, BINARY of RFC 3516, MODSEQ of
 * RFC 7162). The macros ALL, FAST and FULL are expanded by the parser.
 */
public sealed interface FetchAttribute {

    /** The items without arguments; {@link #BODY} is the non-extensible body structure. */
    enum Simple implements FetchAttribute {
        ENVELOPE("ENVELOPE"), FLAGS("FLAGS"), INTERNALDATE("INTERNALDATE"), RFC822("RFC822"),
        RFC822_HEADER("RFC822.HEADER"), RFC822_SIZE("RFC822.SIZE"), RFC822_TEXT("RFC822.TEXT"),
        BODY("BODY"), BODYSTRUCTURE("BODYSTRUCTURE"), UID("UID"), MODSEQ("MODSEQ");

        private final String atom;

        Simple(String atom) {
            this.atom = atom;
        }

        public String atom() {
            return atom;
        }
    }

    /** BODY[section]&lt;partial&gt; or BODY.PEEK[...] (peek: \Seen is not set). */
    record BodySection(Section section, boolean peek, Partial partial) implements FetchAttribute {
    }

    /** BINARY[part]&lt;partial&gt; or BINARY.PEEK[...] (RFC 3516): the part's decoded content. */
    record Binary(List<Integer> part, boolean peek, Partial partial) implements FetchAttribute {
        public Binary {
            part = List.copyOf(part);
        }
    }

    /** BINARY.SIZE[part] (RFC 3516): the size of the decoded content. */
    record BinarySize(List<Integer> part) implements FetchAttribute {
        public BinarySize {
            part = List.copyOf(part);
        }
    }

    /** &lt;offset.length&gt;: a substring of the section. */
    record Partial(long offset, long length) {
    }
}
