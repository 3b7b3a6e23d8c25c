package org.cartero.core.net;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * An input that hands out octets up to the end of the current line and never past it. A reader of
 * data that ends with a line of its own (SMTP's "." after DATA, the last line of a reply) can so
 * take whole runs of octets at once without ever consuming what follows the end, which the peer
 * may already have sent (a pipelining client's next commands). A connection's input is one.
 */
public interface LineInput {

    /**
     * Reads up to {@code length} octets into {@code into}, stopping after the first LF, which is
     * included; at least one octet unless {@code length} is 0, blocking until one arrives.
     *
     * @return the number of octets read, or -1 at the end of the stream
     */
    int readLinePart(byte[] into, int offset, int length) throws IOException;

    /**
     * The line input of {@code in}: {@code in} itself when it is one; for a stream that supports
     * mark and reset (a BufferedInputStream), runs read at once and the rest given back; for any
     * other stream, one octet at a time.
     */
    static LineInput of(InputStream in) {
        Objects.requireNonNull(in);
        if (in instanceof LineInput lines) return lines;
        if (in.markSupported()) {
            return (into, offset, length) -> {
                Objects.checkFromIndexSize(offset, length, into.length);
                if (length == 0) return 0;
                in.mark(length);
                int n = in.read(into, offset, length);
                if (n <= 0) return n;
                for (int i = offset; i < offset + n; i++) {
                    if (into[i] == '\n') {
                        in.reset();
                        in.skipNBytes(i + 1 - offset);
                        return i + 1 - offset;
                    }
                }
                return n;
            };
        }
        return (into, offset, length) -> {
            Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) return 0;
            int n = 0;
            for (int c; n < length; ) {
                c = in.read();
                if (c < 0) return n == 0 ? -1 : n;
                into[offset + n++] = (byte) c;
                if (c == '\n') break;
            }
            return n;
        };
    }
}
