package org.cartero.imap.protocol;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.OptionalLong;

/** A data item of a FETCH response (RFC 9051 section 7.5.2, RFC 3516, RFC 7162). */
public sealed interface FetchItem {

    record Uid(long uid) implements FetchItem {
    }

    record Flags(List<String> flags) implements FetchItem {
        public Flags {
            flags = List.copyOf(flags);
        }
    }

    record InternalDate(OffsetDateTime date) implements FetchItem {
    }

    record Rfc822Size(long size) implements FetchItem {
    }

    record EnvelopeItem(Envelope envelope) implements FetchItem {
    }

    /** BODYSTRUCTURE when {@code extensible}, else BODY (without extension data). */
    record Structure(BodyStructure structure, boolean extensible) implements FetchItem {
    }

    /** MODSEQ (RFC 7162). */
    record ModSeq(long modSeq) implements FetchItem {
    }

    /** BODY[section]&lt;origin&gt;: origin is the partial fetch's offset, when one was asked. */
    record BodySection(Section section, OptionalLong origin, Content content) implements FetchItem {
    }

    /** BINARY[part]&lt;origin&gt; (RFC 3516). */
    record Binary(List<Integer> part, OptionalLong origin, Content content) implements FetchItem {
        public Binary {
            part = List.copyOf(part);
        }
    }

    /** BINARY.SIZE[part] (RFC 3516). */
    record BinarySize(List<Integer> part, long size) implements FetchItem {
        public BinarySize {
            part = List.copyOf(part);
        }
    }

    /** RFC822, RFC822.HEADER or RFC822.TEXT (IMAP4rev1). */
    record Rfc822(Rfc822Part which, Content content) implements FetchItem {
    }

    enum Rfc822Part {
        WHOLE("RFC822"), HEADER("RFC822.HEADER"), TEXT("RFC822.TEXT");

        private final String atom;

        Rfc822Part(String atom) {
            this.atom = atom;
        }

        public String atom() {
            return atom;
        }
    }
}
