package org.cartero.store.mbox;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a message out of an mbox, undoing mboxrd quoting: at the start of a line, one '>' is
 * removed from ">+From ". The inverse of {@link QuotingOutputStream}. It reads the source in
 * chunks into its own buffer and copies runs up to each line end, looking closer only at lines
 * that start with '>'.
 */
public final class UnquotingInputStream extends InputStream {
    /** How far a line start is examined: a run of '>' longer than this is never a quoted "From ". */
    private static final int LOOK = 128;
    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private boolean end;
    private boolean atLineStart = true;

    public UnquotingInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        int n = 0;
        while (n < length) {
            if (position == limit && (n > 0 || !fill(1))) break;
            if (atLineStart) {
                if (buffer[position] == '>' && isQuotedFrom()) position++; // drop the quoting '>'
                atLineStart = false;
            }
            int stop = Math.min(limit, position + length - n);
            int lf = position;
            while (lf < stop && buffer[lf] != '\n') lf++;
            if (lf < stop) {
                stop = lf + 1;
                atLineStart = true;
            }
            System.arraycopy(buffer, position, into, offset + n, stop - position);
            n += stop - position;
            position = stop;
        }
        return n == 0 && length > 0 ? -1 : n;
    }

    /** Whether the line at {@code position} is ">" + ">*From ", looking at most {@link #LOOK} octets ahead. */
    private boolean isQuotedFrom() throws IOException {
        fill(LOOK);
        int gts = 0;
        while (position + gts < limit && gts < LOOK - FROM.length && buffer[position + gts] == '>') gts++;
        if (position + gts + FROM.length > limit) return false;
        for (int i = 0; i < FROM.length; i++) {
            if (buffer[position + gts + i] != FROM[i]) return false;
        }
        return true;
    }

    /** Makes at least {@code wanted} octets available from {@code position}, unless the source ends first. */
    private boolean fill(int wanted) throws IOException {
        if (limit - position >= wanted) return true;
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        while (!end && limit < wanted) {
            int r = in.read(buffer, limit, buffer.length - limit);
            if (r < 0) end = true;
            else limit += r;
        }
        return limit > position;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
