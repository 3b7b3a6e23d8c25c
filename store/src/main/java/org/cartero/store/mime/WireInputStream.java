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
    private final byte[] chunk = new byte[8192];
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

    /** Reads and converts into {@code room} octets of {@code buf}; returns how many were written, 0 at the end. */
    private int convert(byte[] buf, int off, int room) throws IOException {
        // Read at most half the room, so that each LF can be widened in place.
        int got = in.read(chunk, 0, Math.min(Math.max(1, room / 2), chunk.length));
        if (got <= 0) return 0;
        int n = 0;
        int i = 0;
        // Runs between line ends are copied whole; only a LF without its CR adds an octet.
        while (i < got) {
            int lf = ByteSearch.indexOf(chunk, i, got, (byte) '\n');
            System.arraycopy(chunk, i, buf, off + n, lf - i);
            n += lf - i;
            if (lf > i) lastWasCr = chunk[lf - 1] == '\r';
            if (lf == got) break;
            if (!lastWasCr) {
                buf[off + n++] = '\r';
                if (n == room) { // only when room was 1: the LF follows in the next read
                    pendingLf = true;
                    return n;
                }
            }
            buf[off + n++] = '\n';
            lastWasCr = false;
            i = lf + 1;
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
        return pendingLf && remaining > 0 ? 1 : 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
