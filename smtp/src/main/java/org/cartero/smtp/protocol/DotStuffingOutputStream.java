package org.cartero.smtp.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The sending side of DATA, for Cartero's SMTP client: writes message content dot-stuffed
 * (RFC 5321 section 4.5.2) with every bare CR and bare LF turned into CRLF, and {@link #finish()}
 * ends it with CRLF "." CRLF. Whatever a stored message holds (one that came in by BDAT, or from
 * sendmail), it leaves as CRLF lines that no server can take for an early end of the data: Cartero
 * never passes smuggled content on.
 *
 * <p>{@link #close()} does not finish the data (nor close the connection): a writer that fails
 * half way must never send the end marker and have a cut-off message accepted. The connection is
 * then out of step and must be closed.
 */
public final class DotStuffingOutputStream extends OutputStream {

    private final OutputStream out;
    private boolean atLineStart = true;
    private boolean pendingCr;
    private boolean finished;

    /** @param out the connection's output, just after the 354 reply to DATA; best buffered */
    public DotStuffingOutputStream(OutputStream out) {
        this.out = Objects.requireNonNull(out);
    }

    @Override
    public void write(int octet) throws IOException {
        if (finished) throw new IOException("the message data is already finished");
        int c = octet & 0xff;
        if (pendingCr) {
            pendingCr = false;
            lineEnd();
            if (c == '\n') return;
        }
        if (c == '\r') {
            pendingCr = true;
        } else if (c == '\n') {
            lineEnd();
        } else {
            if (atLineStart && c == '.') out.write('.');
            out.write(c);
            atLineStart = false;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (finished) throw new IOException("the message data is already finished");
        // Octets inside a line need no change: pass them on in runs.
        int run = off;
        for (int i = off; i < off + len; i++) {
            int c = b[i];
            if (atLineStart || pendingCr || c == '\r' || c == '\n') {
                out.write(b, run, i - run);
                write(c);
                run = i + 1;
            }
        }
        out.write(b, run, off + len - run);
    }

    /** Ends the last line if it is open and writes the terminating "." CRLF; does not flush. */
    public void finish() throws IOException {
        if (finished) return;
        if (pendingCr) {
            pendingCr = false;
            lineEnd();
        }
        if (!atLineStart) lineEnd();
        out.write(new byte[] {'.', '\r', '\n'});
        finished = true;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Does nothing: see the class comment. */
    @Override
    public void close() {
    }

    private void lineEnd() throws IOException {
        out.write('\r');
        out.write('\n');
        atLineStart = true;
    }
}
