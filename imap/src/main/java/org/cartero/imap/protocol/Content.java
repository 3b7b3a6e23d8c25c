package org.cartero.imap.protocol;

import java.io.IOException;
import java.io.InputStream;

/**
 * The value of a FETCH body item (BODY[...], BINARY[...], RFC822...) or of URLFETCH: NIL, bytes
 * in memory (written as a quoted string or a literal as they require), or a stream written as a
 * literal without being held in memory.
 */
public sealed interface Content {

    /** NIL: the section does not exist. */
    record Nil() implements Content {
    }

    /** Small content in memory. */
    record Bytes(byte[] data) implements Content {
    }

    /**
     * Content streamed from its source: exactly {@code size} bytes are copied into a literal.
     * {@code binary} says the bytes may hold NUL: BINARY items then use a literal8 (RFC 3516);
     * elsewhere a NUL, which no IMAP string may hold, is sent as 0x80.
     */
    record Stream(long size, boolean binary, Source source) implements Content {
    }

    /** Opens the content; the writer closes the stream. */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }
}
