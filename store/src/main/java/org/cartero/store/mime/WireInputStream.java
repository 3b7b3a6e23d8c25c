package org.cartero.store.mime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a stored message in wire form: every line end becomes CRLF (RFC 5322 section 2.1;
 * IMAP and POP3 send messages so). A LF already preceded by CR is left alone. The stream must
 * start at the beginning of a line, as every offset the store seeks to does. With a limit, it
 * ends after that many wire octets (the size the index gives), whatever follows in the source.
 */
public final class WireInputStream extends FilterInputStream {
    /** Stored octets are read this many at a time (fewer for a shorter message): one read for most messages. */
    private static final int CHUNK = 16 * 1024;

    private final byte[] chunk;
    private int position;
    private int end;
    private long remaining;
    private boolean pendingLf;
    private boolean lastWasCr;

    public WireInputStream(InputStream stored) {
        this(stored, Long.MAX_VALUE);
    }

    /** At most {@code limit} wire octets of {@code stored}. */
    public WireInputStream(InputStream stored, long limit) {
        super(stored);
        this.remaining = limit;
        // a message has no more stored octets than wire octets
        this.chunk = new byte[(int) Math.max(1, Math.min(CHUNK, limit))];
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (remaining <= 0) return -1;
        int room = (int) Math.min(len, remaining);
        int n = 0;
        if (pendingLf) {
            buf[off + n++] = '\n';
            pendingLf = false;
            lastWasCr = false;
        }
        if (n < room) n += convert(buf, off + n, room - n);
        if (n == 0) return -1;
        remaining -= n;
        return n;
    }

    /**
     * Converts read-ahead octets into {@code room} octets of {@code buf}, reading more only when
     * none are left and nothing was converted yet; returns how many were written, 0 at the end.
     */
    private int convert(byte[] buf, int off, int room) throws IOException {
        int n = 0;
        while (n < room) {
            if (position == end) {
                if (n > 0) return n;
                int got = in.read(chunk, 0, chunk.length);
                if (got <= 0) return 0;
                position = 0;
                end = got;
            }
            // Runs between line ends are copied whole; only a LF without its CR adds an octet.
            int stop = Math.min(end, position + (room - n));
            int lf = ByteSearch.indexOf(chunk, position, stop, (byte) '\n');
            System.arraycopy(chunk, position, buf, off + n, lf - position);
            n += lf - position;
            if (lf > position) lastWasCr = chunk[lf - 1] == '\r';
            position = lf;
            if (lf == stop) continue; // buf is full, or the read-ahead is used up
            position++;
            if (!lastWasCr) {
                buf[off + n++] = '\r';
                if (n == room) { // the LF follows in the next read
                    pendingLf = true;
                    return n;
                }
            }
            buf[off + n++] = '\n';
            lastWasCr = false;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        byte[] buf = new byte[8192];
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) break;
            skipped += r;
        }
        return skipped;
    }

    @Override
    public int available() {
        // each read-ahead octet is at least one wire octet
        return (int) Math.min(remaining, (pendingLf ? 1 : 0) + end - position);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
