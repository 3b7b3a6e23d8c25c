package org.cartero.store.mbox;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a message into an mbox with mboxrd quoting: a line that starts with zero or more '>'
 * followed by "From " gets one more '>' (RFC 4155 appendix; the mboxrd convention), so that no
 * line of the message can be taken for a message separator and the quoting can be undone
 * exactly. Counts the bytes written.
 */
public final class QuotingOutputStream extends FilterOutputStream {
    private static final byte[] FROM = "From ".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final byte[] held = new byte[64];
    private int heldLength;
    private boolean atLineStart = true; // the bytes held so far are the start of a line
    private long written;
    private int lastByte = -1;

    public QuotingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (atLineStart) {
            held[heldLength++] = (byte) b;
            decide();
        } else {
            emit(b);
            if (b == '\n') atLineStart = true;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int i = off, end = off + len;
        while (i < end) {
            if (atLineStart) {
                write(b[i++]);
                continue;
            }
            int lf = i;
            while (lf < end && b[lf] != '\n') lf++;
            int stop = lf < end ? lf + 1 : end;
            out.write(b, i, stop - i);
            written += stop - i;
            lastByte = b[stop - 1] & 0xff;
            if (lf < end) atLineStart = true;
            i = stop;
        }
    }

    /** Decides about the held start of a line once it shows whether it is ">*From ". */
    private void decide() throws IOException {
        int gt = 0;
        while (gt < heldLength && held[gt] == '>') gt++;
        int k = heldLength - gt; // bytes held after the '>'s
        boolean couldBeFrom = true;
        for (int i = 0; i < k && i < FROM.length; i++) if (held[gt + i] != FROM[i]) couldBeFrom = false;
        if (couldBeFrom && k < FROM.length && heldLength < held.length) return; // need more bytes
        if (couldBeFrom && k >= FROM.length) emit('>');
        flushHeld();
    }

    private void flushHeld() throws IOException {
        int n = heldLength;
        heldLength = 0;
        atLineStart = false;
        for (int i = 0; i < n; i++) {
            emit(held[i] & 0xff);
            if (held[i] == '\n') atLineStart = true;
        }
        if (atLineStart && n > 0 && held[n - 1] != '\n') atLineStart = false;
    }

    private void emit(int b) throws IOException {
        out.write(b);
        written++;
        lastByte = b;
    }

    /** Writes what is held back (a line start shorter than "From "). */
    public void finish() throws IOException {
        if (heldLength > 0) flushHeld();
    }

    public long written() {
        return written;
    }

    /** The last byte written, or -1. */
    public int lastByte() {
        return lastByte;
    }
}
