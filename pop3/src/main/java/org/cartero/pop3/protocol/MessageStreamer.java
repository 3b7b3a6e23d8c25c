package org.cartero.pop3.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Sends a message as the body of a multi-line response (RFC 1939 section 3), the way RETR and
 * TOP answer: every line end goes out as CRLF whatever the store holds (a bare LF gets its CR),
 * every line that begins with "." gets another "." in front, an unterminated last line is ended,
 * and the "." line closes the response. The message is read and written in buffer-sized pieces,
 * so a 50 MB message costs two buffers, not 50 MB.
 *
 * <p>For TOP (RFC 1939 section 7) it sends the header, the blank line that ends it, and then at
 * most the given number of body lines; the rest of the message is never read.
 *
 * <p>An instance keeps its buffers between messages; it belongs to one session.
 */
public final class MessageStreamer {
    /** The body line count for RETR: everything. */
    public static final long WHOLE_MESSAGE = Long.MAX_VALUE;
    private static final int CHUNK = 16 * 1024;

    private final byte[] in = new byte[CHUNK];
    // Each input octet becomes at most two ("." before "." at a line start, CR before a bare LF).
    private final byte[] out = new byte[2 * CHUNK + 5];

    /**
     * Streams {@code message} to {@code target} and writes the terminating line; does not flush.
     *
     * @param bodyLines how many lines of the body to send after the header: {@link #WHOLE_MESSAGE}
     *                  for RETR, TOP's argument for TOP
     */
    public void send(InputStream message, OutputStream target, long bodyLines) throws IOException {
        boolean lineStart = true;  // the next octet begins a line
        long lineLength = 0;       // octets of the current line so far
        byte last = 0;             // the last octet read
        boolean inHeader = true;
        long linesLeft = bodyLines;
        boolean done = false;
        while (!done) {
            int n = message.read(in, 0, CHUNK);
            if (n < 0) break;
            int o = 0;
            int i = 0;
            // Octets are copied in runs; only a "." at a line start and a LF without its CR add one.
            while (i < n) {
                if (lineStart && in[i] == '.') out[o++] = '.';
                lineStart = false;
                int lf = i;
                while (lf < n && in[lf] != '\n') lf++;
                System.arraycopy(in, i, out, o, lf - i);
                o += lf - i;
                lineLength += lf - i;
                if (lf > i) last = in[lf - 1];
                if (lf == n) break;
                if (last != '\r') out[o++] = '\r';
                out[o++] = '\n';
                boolean empty = lineLength == 0 || lineLength == 1 && last == '\r';
                if (inHeader) {
                    inHeader = !empty; // the empty line ends the header (RFC 5322 section 2.1)
                    done = !inHeader && linesLeft == 0;
                } else {
                    done = --linesLeft == 0;
                }
                lineStart = true;
                lineLength = 0;
                last = '\n';
                i = lf + 1;
                if (done) break;
            }
            target.write(out, 0, o);
        }
        int o = 0;
        if (!lineStart) {
            if (last != '\r') out[o++] = '\r';
            out[o++] = '\n';
        }
        out[o++] = '.';
        out[o++] = '\r';
        out[o++] = '\n';
        target.write(out, 0, o);
    }
}
