package org.cartero.store.mime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a stored message in wire form: every line end becomes CRLF (RFC 5322 section 2.1;
 * IMAP and POP3 send messages so). A LF already preceded by CR is left alone. The stream must
 * start at the beginning of a line, as every offset the store seeks to does.
 */
public final class WireInputStream extends FilterInputStream {
    private final byte[] chunk = new byte[8192];
    private boolean pendingLf;
    private boolean lastWasCr;

    public WireInputStream(InputStream stored) {
        super(stored);
    }

    @Override
    public int read() throws IOException {
        if (pendingLf) {
            pendingLf = false;
            lastWasCr = false;
            return '\n';
        }
        int b = in.read();
        if (b == '\n' && !lastWasCr) {
            pendingLf = true;
            lastWasCr = true;
            return '\r';
        }
        lastWasCr = b == '\r';
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) return 0;
        int n = 0;
        if (pendingLf) {
            buf[off + n++] = '\n';
            pendingLf = false;
            lastWasCr = false;
        }
        // Read at most half the room, so each LF can be widened in place.
        int want = Math.max(1, (len - n) / 2);
        if (len - n == 0) return n;
        byte[] tmp = chunk;
        int got = in.read(tmp, 0, Math.min(want, tmp.length));
        if (got < 0) return n == 0 ? -1 : n;
        for (int i = 0; i < got; i++) {
            byte b = tmp[i];
            if (b == '\n' && !lastWasCr) {
                if (n + 2 <= len) {
                    buf[off + n++] = '\r';
                    buf[off + n++] = '\n';
                } else {
                    buf[off + n++] = '\r';
                    pendingLf = true;
                }
                lastWasCr = false;
            } else {
                buf[off + n++] = b;
                lastWasCr = b == '\r';
            }
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
        return pendingLf ? 1 : 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
