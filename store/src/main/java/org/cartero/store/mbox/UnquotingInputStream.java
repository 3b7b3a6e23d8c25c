package org.cartero.store.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a message out of an mbox, undoing mboxrd quoting: at the start of a line, one '>' is
 * removed from ">+From ". The inverse of {@link QuotingOutputStream}.
 */
public final class UnquotingInputStream extends InputStream {
    private static final int LOOK = 128;

    private final PushbackInputStream in;
    private boolean atLineStart = true;

    public UnquotingInputStream(InputStream in) {
        this.in = new PushbackInputStream(in, LOOK);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) return -1;
        if (!atLineStart || b != '>') {
            atLineStart = b == '\n';
            return b;
        }
        // A line starting with '>': read the run of '>' and five more bytes to see "From ".
        byte[] look = new byte[LOOK];
        int n = 0;
        look[n++] = '>';
        int c;
        while (n < LOOK - 5 && (c = in.read()) >= 0) {
            look[n++] = (byte) c;
            if (c != '>') break;
        }
        int gts = 0;
        while (gts < n && look[gts] == '>') gts++;
        while (n < gts + 5 && look[n - 1] != '\n' && (c = in.read()) >= 0) look[n++] = (byte) c;
        boolean quoted = n >= gts + 5
                && new String(look, gts, 5, StandardCharsets.ISO_8859_1).equals("From ");
        int first = quoted ? 1 : 0;
        if (n - first - 1 > 0) in.unread(look, first + 1, n - first - 1);
        atLineStart = false;
        return look[first] & 0xff;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) return 0;
        int n = 0;
        while (n < len) {
            if (atLineStart || n == 0) {
                int b = read();
                if (b < 0) return n == 0 ? -1 : n;
                buf[off + n++] = (byte) b;
                continue;
            }
            // copy up to the end of the line without per-byte quoting checks
            int r = in.read(buf, off + n, len - n);
            if (r <= 0) return n;
            int lf = -1;
            for (int i = 0; i < r; i++) {
                if (buf[off + n + i] == '\n') { lf = i; break; }
            }
            if (lf >= 0 && lf < r - 1) {
                in.unread(buf, off + n + lf + 1, r - lf - 1);
                r = lf + 1;
            }
            n += r;
            atLineStart = buf[off + n - 1] == '\n';
            if (atLineStart) break;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
