package org.cartero.smtp.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import org.cartero.core.net.LineInput;

/**
 * The content of a message sent with DATA, read from the connection after the 354 reply: an
 * InputStream that yields the message with dot-stuffing undone (RFC 5321 section 4.5.2) and ends
 * exactly after the CRLF "." CRLF that ends the data (RFC 5321 section 4.1.1.4).
 *
 * <ul>
 *   <li>Only CRLF separates lines. The data ends at a line "." that follows a CRLF (or opens the
 *       data) and is itself ended by CRLF, and nowhere else: "\n.\n", "\r\n.\n", "\n.\r\n",
 *       "\r.\r\n" and their kin never end it (SMTP smuggling). A bare CR or LF is handled by the
 *       {@link BareLineEndings} policy.
 *   <li>A line that starts with "." and is not the end loses that first "." (RFC 5321 section
 *       4.5.2). The CRLF before the terminating "." belongs to the message.
 *   <li>The size limit is enforced while streaming: past it, the reader stops handing out content
 *       but reads on, discarding, to the end of the data, and then throws a
 *       {@link MessageRejectedException} with 552 5.3.4. A rejected bare line end ends the same way
 *       with 550 5.5.2. Either way the connection is left just after the data, in step with the
 *       client, and nothing more than the limit is ever held.
 *   <li>The connection closing before the end is an {@link EOFException}.
 * </ul>
 *
 * <p>The reader never consumes what follows the data (a pipelining client may send its next
 * commands at once): it takes the connection's input a line at most at a time ({@link LineInput}),
 * and hands the octets inside a line on in runs, through the state machine only where a line
 * starts or ends. Closing the reader reads and discards the rest of the data, for a session that
 * gives up on a message half way (a spool write error) and must still read the next command in step.
 */
public final class DataReader extends InputStream {

    private enum State {
        /** After a CRLF, or at the very start of the data. */
        LINE_START,
        /** After a "." at the start of a line. */
        DOT,
        /** After "." CR at the start of a line: an LF now ends the data. */
        DOT_CR,
        /** Inside a line. */
        IN_LINE,
        /** After a CR inside a line: an LF now ends the line, anything else makes the CR bare. */
        CR,
        /** The terminating CRLF "." CRLF has been read. */
        END
    }

    private final LineInput in;
    /** Octets taken from {@code in} and not yet through the state machine: never past a line's LF. */
    private final byte[] line = new byte[4096];
    private int linePosition;
    private int lineLimit;
    private final long maxSize;
    private final BareLineEndings policy;
    private final ContentSummary.Counter counter = new ContentSummary.Counter();
    /** Octets produced by the last input octet and not yet handed out: at most three. */
    private final byte[] pending = new byte[4];
    private int pendingStart;
    private int pendingEnd;
    private State state = State.LINE_START;
    private long bareLineEndings;
    private Reply rejection;

    /**
     * @param in      the connection's input, just after the DATA command line; best a {@link LineInput}
     *                or buffered, see {@link LineInput#of}
     * @param maxSize the most octets of content to accept
     * @param policy  what to do with a bare CR or LF
     */
    public DataReader(InputStream in, long maxSize, BareLineEndings policy) {
        if (maxSize < 0) throw new IllegalArgumentException("negative size limit");
        this.in = LineInput.of(in);
        this.maxSize = maxSize;
        this.policy = Objects.requireNonNull(policy);
    }

    @Override
    public int read() throws IOException {
        while (pendingStart == pendingEnd) {
            if (state == State.END) {
                if (rejection != null) throw new MessageRejectedException(rejection);
                return -1;
            }
            pendingStart = pendingEnd = 0;
            step(nextOctet());
        }
        return pending[pendingStart++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        int n = 0;
        while (n < len) {
            if (pendingStart < pendingEnd) {
                b[off + n++] = pending[pendingStart++];
            } else if (state == State.IN_LINE && linePosition < lineLimit && rejection == null) {
                n += copyRun(b, off + n, len - n);
            } else {
                int c = read();
                if (c < 0) break;
                b[off + n++] = (byte) c;
            }
        }
        return n == 0 && len > 0 ? -1 : n;
    }

    /**
     * Inside a line, hands on the octets up to the next CR or LF at once: what the state machine
     * would do with each of them ({@link #inLine}: emit it, stay in the line). Stops short of the
     * size limit, where the state machine takes over again.
     */
    private int copyRun(byte[] b, int off, int len) {
        long room = maxSize - counter.size();
        int end = linePosition + (int) Math.min(Math.min(lineLimit - linePosition, len), room);
        int i = linePosition;
        boolean eightBit = false;
        for (; i < end; i++) {
            byte c = line[i];
            if (c == '\r' || c == '\n') break;
            eightBit |= c < 0;
        }
        int run = i - linePosition;
        if (run == 0) {
            // a CR or LF, or the limit: one octet through the state machine
            pendingStart = pendingEnd = 0;
            step(line[linePosition++] & 0xff);
            return 0;
        }
        System.arraycopy(line, linePosition, b, off, run);
        counter.addRun(run, eightBit);
        linePosition = i;
        return run;
    }

    /** Reads and discards the rest of the data, so the connection is left just after it. */
    @Override
    public void close() throws IOException {
        while (state != State.END) {
            pendingStart = pendingEnd = 0;
            step(nextOctet());
        }
        pendingStart = pendingEnd = 0;
    }

    /** What the content was like; complete once the reader has reached the end. */
    public ContentSummary summary() {
        return counter.summary();
    }

    /** How many bare CRs and LFs the data held (turned into CRLF under {@link BareLineEndings#NORMALIZE}). */
    public long bareLineEndings() {
        return bareLineEndings;
    }

    private int nextOctet() throws IOException {
        if (linePosition == lineLimit) {
            int n = in.readLinePart(line, 0, line.length);
            if (n < 0) throw new EOFException("the connection closed before the end of the message data (CRLF.CRLF)");
            linePosition = 0;
            lineLimit = n;
        }
        return line[linePosition++] & 0xff;
    }

    private void step(int c) {
        switch (state) {
            case LINE_START -> {
                if (c == '.') {
                    state = State.DOT;
                } else {
                    inLine(c);
                }
            }
            case DOT -> {
                if (c == '\r') {
                    state = State.DOT_CR;
                } else {
                    // RFC 5321 section 4.5.2: the line has more than the ".", so the "." goes.
                    inLine(c);
                }
            }
            case DOT_CR -> {
                if (c == '\n') {
                    state = State.END;
                } else {
                    // ".\r" and more: the stuffed "." goes, the CR is bare.
                    bareLineEnding();
                    inLine(c);
                }
            }
            case IN_LINE -> inLine(c);
            case CR -> {
                if (c == '\n') {
                    emit('\r');
                    emit('\n');
                    state = State.LINE_START;
                } else {
                    bareLineEnding();
                    inLine(c);
                }
            }
            case END -> throw new IllegalStateException("read past the end of the data");
        }
    }

    private void inLine(int c) {
        if (c == '\r') {
            state = State.CR;
        } else if (c == '\n') {
            bareLineEnding();
            state = State.IN_LINE;
        } else {
            emit(c);
            state = State.IN_LINE;
        }
    }

    /**
     * A CR or LF outside a CRLF pair. It starts no line (so no "." after it can end the data); it
     * is turned into CRLF or makes the message refused.
     */
    private void bareLineEnding() {
        bareLineEndings++;
        if (policy == BareLineEndings.REJECT) {
            reject(Reply.of(550, "5.5.2", "Message refused: bare CR or LF in the data, lines must end with CRLF"));
        } else {
            emit('\r');
            emit('\n');
        }
    }

    private void emit(int octet) {
        if (rejection != null) return;
        if (counter.size() >= maxSize) {
            reject(MessageRejectedException.tooBig(maxSize));
            return;
        }
        counter.add(octet);
        pending[pendingEnd++] = (byte) octet;
    }

    private void reject(Reply reply) {
        if (rejection == null) rejection = reply;
    }
}
