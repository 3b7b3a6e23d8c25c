package org.cartero.store.mime;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a message in its stored form: CRLF line ends become LF, the Unix convention that
 * Maildir and mbox readers (mutt, Python's mailbox) expect. A CR not followed by LF is kept.
 * {@link #flush()} keeps a trailing CR back until the next byte tells what it is; close() writes it.
 */
public final class StoredFormOutputStream extends FilterOutputStream {
    private boolean pendingCr;
    private final byte[] buf = new byte[8192];

    public StoredFormOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int n = 0;
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (pendingCr) {
                pendingCr = false;
                if (c != '\n') n = put(n, (byte) '\r');
            }
            if (c == '\r') {
                pendingCr = true;
                continue;
            }
            n = put(n, c);
        }
        if (n > 0) out.write(buf, 0, n);
    }

    private int put(int n, byte c) throws IOException {
        if (n == buf.length) {
            out.write(buf, 0, n);
            n = 0;
        }
        buf[n] = c;
        return n + 1;
    }

    /** Writes a held-back CR: the message ended with it. */
    public void finish() throws IOException {
        if (pendingCr) {
            pendingCr = false;
            out.write('\r');
        }
    }

    @Override
    public void close() throws IOException {
        finish();
        super.close();
    }
}
