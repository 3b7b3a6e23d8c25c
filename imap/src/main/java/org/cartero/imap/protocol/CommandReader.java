package org.cartero.imap.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads IMAP commands off a connection (RFC 9051 section 2.2.1), for a session that blocks on a
 * virtual thread: {@link #next()} returns the next complete command, parsed into a typed
 * {@link Command}, or the response that refuses it.
 *
 * <p>A command is a sequence of lines, each but the last ending in a literal announcement
 * "{n}", "{n+}" (non-synchronising, RFC 7888) or "~{n}" (literal8, RFC 3516). The reader keeps
 * the framing in an explicit state: the line being parsed, a literal announced at its end and
 * not yet accepted, or a message literal being streamed. A synchronising literal is accepted by
 * asking the {@link Continuation} to send "+" just before its bytes are read; one that is too big
 * is refused instead, before the client sends it. String literals are read into memory, within
 * {@link ReaderLimits#maxCommandLength()}; APPEND's message literals are handed to the session
 * as a stream bounded to the literal. After a refused or half-read command the reader skips what
 * the client still sends of it (the rest of the line and its non-synchronising literals) and
 * stops where the client waits for a continuation that will not come, so the next command is
 * read from its start.
 */
public final class CommandReader {

    /** The framing position within the client's byte stream. */
    private enum State {
        /** The last command is complete: the next byte starts a command. */
        BETWEEN_COMMANDS,
        /** A line of a command is loaded; {@link #announced} is the literal ending it, if any. */
        IN_LINE,
        /** A message literal is being streamed; {@link #literalRemaining} bytes are left. */
        IN_MESSAGE_LITERAL,
    }

    /** A literal announced at the end of a line: "{n}", "{n+}" (not synchronising) or "~{n}" (binary). */
    record Announcement(long size, boolean synchronizing, boolean binary) {
    }

    private static final int TAIL = 32;

    private InputStream in;
    private final Continuation continuation;
    /**
     * What was received and not yet parsed. Small, as an idle connection holds it: long lines
     * gather in {@link #line}, and message literals are read past it ({@link LiteralStream}).
     */
    private final byte[] buffer = new byte[2048];
    private int head;
    private int tail;
    private ReaderLimits limits;
    private boolean utf8;

    private static final int LINE_START = 512;
    private static final int LINE_KEPT = 4096;

    private State state = State.BETWEEN_COMMANDS;
    private byte[] line = new byte[LINE_START];
    private int lineLength;
    private Announcement announced;
    private long literalRemaining;
    /** Bytes the current command may still hold in memory. */
    private long budget;
    /** Counts commands, so a stale {@link AppendReader} cannot read into a later command. */
    private long commandNumber;
    /** Counts message literals, so a stale literal stream cannot read into a later literal. */
    private long literalNumber;
    private final byte[] tailBytes = new byte[TAIL];
    private int tailLength;
    /** Length of the literal announcement found at the end of the line. */
    private int markerLength;

    public CommandReader(InputStream in, ReaderLimits limits, Continuation continuation) {
        this.in = in;
        this.limits = limits;
        this.continuation = continuation;
    }

    /** Changes the limits, e.g. the APPENDLIMIT once the user is known; applies to the next literal. */
    public void setLimits(ReaderLimits limits) {
        this.limits = limits;
    }

    /**
     * Reads mailbox names as UTF-8 instead of modified UTF-7, once the client has enabled
     * UTF8=ACCEPT (RFC 6855 section 3) or IMAP4rev2 (RFC 9051 section 5.1).
     */
    public void enableUtf8() {
        utf8 = true;
    }

    boolean utf8() {
        return utf8;
    }

    /**
     * Reads the next command. Returns {@link Received.Request} for a well-formed command,
     * {@link Received.Refused} with the response to send for one that is not (the reader is then
     * ready for the next command, unless the refusal says the connection must close), or
     * {@link Received.Closed} when the client closed the connection.
     *
     * @throws IOException when reading from the connection fails
     */
    public Received next() throws IOException {
        try {
            skipRestOfCommand();
            if (line.length > LINE_KEPT) line = new byte[LINE_START]; // a long command's room is not kept
            commandNumber++;
            budget = limits.maxCommandLength();
            boolean complete;
            do {
                complete = readLine();
            } while (lineLength == 0 && announced == null && complete);
            Arguments arguments = new Arguments(this);
            String tag = null;
            try {
                if (!complete) throw ProtocolException.bad("Command line is longer than " + limits.maxCommandLength() + " bytes");
                tag = arguments.tag();
                return new Received.Request(tag, CommandParser.parse(arguments));
            } catch (ProtocolException e) {
                if (tag == null) tag = arguments.tagOrNull();
                return new Received.Refused(e.response(tag), e.closeConnection());
            }
        } catch (EOFException e) {
            return new Received.Closed();
        }
    }

    /**
     * Reads the line that ends IDLE (RFC 2177, RFC 9051 section 6.3.13). Returns true when it is
     * "DONE", false when it is anything else (the session answers BAD).
     *
     * @throws EOFException when the client closed the connection
     */
    public boolean readIdleDone() throws IOException {
        String line = readClientLine();
        return line != null && line.equalsIgnoreCase("DONE");
    }

    /**
     * Reads a client's answer to an AUTHENTICATE challenge (RFC 9051 section 6.2.2): BASE64 data,
     * or "*" to cancel the exchange.
     *
     * @return the decoded data, or null when the client cancelled
     * @throws ProtocolException BAD when the line is not BASE64 or too long
     * @throws EOFException when the client closed the connection
     */
    public byte[] readSaslResponse() throws IOException, ProtocolException {
        String line = readClientLine();
        if (line == null) throw ProtocolException.bad("Authentication response is longer than " + limits.maxCommandLength() + " bytes");
        if (line.equals("*")) return null;
        try {
            return Base64.getDecoder().decode(line);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.bad("Authentication response is not BASE64: " + e.getMessage());
        }
    }

    /** Reads one line between commands; null when it is too long. */
    private String readClientLine() throws IOException {
        skipRestOfCommand();
        budget = limits.maxCommandLength();
        boolean complete = readLine();
        // a line here ends the exchange: what looks like a literal announcement is part of it
        if (announced != null && complete) lineLength += markerLength;
        announced = null;
        state = State.BETWEEN_COMMANDS;
        if (!complete) return null;
        return new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
    }

    /**
     * Discards the bytes received but not yet read. After STARTTLS the client must wait for the
     * server's response before sending anything else: bytes already here were sent in plain
     * text before the switch and MUST NOT be taken as commands (a STARTTLS command injection).
     * Returns how many bytes were discarded.
     */
    public int discardBuffered() {
        int discarded = tail - head;
        head = tail = 0;
        return discarded;
    }

    /**
     * Removes and returns the bytes received but not yet read. After COMPRESS (RFC 4978 section
     * 3) the client compresses from the byte after the command, so bytes already here must be
     * decompressed before they are read.
     */
    public byte[] takeBuffered() {
        byte[] taken = Arrays.copyOfRange(buffer, head, tail);
        head = tail = 0;
        return taken;
    }

    /** Continues reading from another stream (TLS, or inflated data after COMPRESS DEFLATE). */
    public void replaceInput(InputStream replacement) {
        if (head != tail) throw new IllegalStateException("buffered bytes must be discarded first");
        in = replacement;
    }

    // ---- used by Arguments and AppendReader -------------------------------------------------

    byte[] line() {
        return line;
    }

    int lineLength() {
        return lineLength;
    }

    Announcement announced() {
        return announced;
    }

    long commandNumber() {
        return commandNumber;
    }

    /**
     * Accepts the string literal announced at the end of the current line, reads it, and loads
     * the line that follows it.
     */
    byte[] readStringLiteral() throws IOException, ProtocolException {
        Announcement literal = announced;
        if (literal.binary()) throw ProtocolException.bad("A literal8 (~{n}) is only allowed for message data");
        checkNonSynchronizing(literal);
        if (literal.size() > budget) {
            throw ProtocolException.tooBig(StatusResponse.Kind.BAD, "Literal of " + literal.size()
                    + " bytes makes the command longer than " + limits.maxCommandLength() + " bytes",
                    !literal.synchronizing());
        }
        if (literal.synchronizing()) continuation.requestLiteral();
        announced = null;
        byte[] bytes = new byte[(int) literal.size()];
        readFully(bytes);
        budget -= bytes.length;
        if (!readLine()) throw ProtocolException.bad("Command is longer than " + limits.maxCommandLength() + " bytes");
        return bytes;
    }

    /**
     * Checks the message literal announced at the end of the current line against the limits,
     * without accepting it yet: the session may still refuse it (no such mailbox, over quota).
     */
    Announcement checkMessageLiteral() throws ProtocolException {
        Announcement literal = announced;
        checkNonSynchronizing(literal);
        if (literal.size() > limits.maxMessageSize()) {
            // RFC 7889: an APPEND over the limit fails with NO [TOOBIG] (RFC 4469); here before the client sends it
            throw ProtocolException.tooBig(StatusResponse.Kind.NO, "Message of " + literal.size()
                    + " bytes is larger than the limit of " + limits.maxMessageSize() + " bytes",
                    !literal.synchronizing());
        }
        return literal;
    }

    /** Accepts the message literal checked by {@link #checkMessageLiteral()}: its bytes come next. */
    InputStream openMessageLiteral() throws IOException {
        Announcement literal = announced;
        if (literal.synchronizing()) continuation.requestLiteral();
        announced = null;
        literalRemaining = literal.size();
        state = State.IN_MESSAGE_LITERAL;
        return new LiteralStream(++literalNumber);
    }

    /**
     * Ends a streamed message literal, skipping what the session did not read of it, and loads
     * the line that follows it. Each message of a MULTIAPPEND gets a fresh command budget: only
     * one message's options are held at a time.
     */
    void finishMessageLiteral() throws IOException, ProtocolException {
        skip(literalRemaining);
        literalRemaining = 0;
        budget = limits.maxCommandLength();
        if (!readLine()) throw ProtocolException.bad("Command is longer than " + limits.maxCommandLength() + " bytes");
    }

    /** RFC 7888: with LITERAL-, a non-synchronising literal of more than 4096 bytes gets BAD [TOOBIG]. */
    private void checkNonSynchronizing(Announcement literal) throws ProtocolException {
        if (!literal.synchronizing() && literal.size() > limits.maxNonSynchronizingLiteral()) {
            throw ProtocolException.tooBig(StatusResponse.Kind.BAD, "Non-synchronizing literals may have at most "
                    + limits.maxNonSynchronizingLiteral() + " bytes", true);
        }
    }

    // ---- framing ----------------------------------------------------------------------------

    /**
     * Skips what is left of the previous command: the rest of a streamed literal, then each
     * non-synchronising literal and the line after it. A synchronising literal ends the skipping:
     * the client waits for a "+" and takes the command's response as the end of it.
     */
    private void skipRestOfCommand() throws IOException {
        while (state != State.BETWEEN_COMMANDS) {
            if (state == State.IN_MESSAGE_LITERAL) {
                skip(literalRemaining);
                literalRemaining = 0;
                skipLine();
            } else if (announced == null || announced.synchronizing()) {
                announced = null;
                state = State.BETWEEN_COMMANDS;
            } else {
                skip(announced.size());
                skipLine();
            }
        }
    }

    /**
     * Loads the next line into {@link #line}, within the command's budget, and finds the literal
     * announced at its end. Returns false when the line is longer than the budget: its start is
     * kept (for the tag) and the rest is skipped.
     */
    private boolean readLine() throws IOException {
        lineLength = 0;
        tailLength = 0;
        boolean complete = true;
        long seen = 0;
        while (true) {
            if (head == tail && !fill()) throw new EOFException("connection closed in the middle of a command");
            int end = indexOfLf();
            int stop = end >= 0 ? end : tail;
            int n = stop - head;
            seen += n + (end >= 0 ? 1 : 0);
            if (complete && seen > budget) complete = false;
            append((int) Math.min(n, Math.max(0, budget - lineLength)));
            rememberTail(head, n);
            head = stop;
            if (end >= 0) {
                head++;
                break;
            }
        }
        budget -= Math.min(seen, budget);
        if (tailLength > 0 && tailBytes[tailLength - 1] == '\r') {
            tailLength--;
            if (complete) lineLength--;
        }
        announced = literalAnnouncement();
        if (announced != null && complete) lineLength -= markerLength;
        state = State.IN_LINE;
        return complete;
    }

    /** Skips a line, keeping only the literal that may end it. */
    private void skipLine() throws IOException {
        lineLength = 0;
        tailLength = 0;
        while (true) {
            if (head == tail && !fill()) throw new EOFException("connection closed in the middle of a command");
            int end = indexOfLf();
            int stop = end >= 0 ? end : tail;
            rememberTail(head, stop - head);
            head = stop;
            if (end >= 0) {
                head++;
                break;
            }
        }
        if (tailLength > 0 && tailBytes[tailLength - 1] == '\r') tailLength--;
        announced = literalAnnouncement();
        state = State.IN_LINE;
    }

    /** Finds "{n}", "{n+}" or "~{n}" at the end of the line (RFC 9051 "literal", RFC 3516 "literal8"). */
    private Announcement literalAnnouncement() {
        int i = tailLength - 1;
        if (i < 0 || tailBytes[i] != '}') return null;
        i--;
        boolean synchronizing = true;
        if (i >= 0 && tailBytes[i] == '+') {
            synchronizing = false;
            i--;
        }
        int lastDigit = i;
        while (i >= 0 && tailBytes[i] >= '0' && tailBytes[i] <= '9') i--;
        if (i == lastDigit || i < 0 || tailBytes[i] != '{') return null;
        long size = 0;
        for (int k = i + 1; k <= lastDigit; k++) {
            size = size > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : size * 10 + (tailBytes[k] - '0');
        }
        boolean binary = i > 0 && tailBytes[i - 1] == '~';
        markerLength = tailLength - i + (binary ? 1 : 0);
        return new Announcement(size, synchronizing, binary);
    }

    private void rememberTail(int from, int n) {
        if (n >= TAIL) {
            System.arraycopy(buffer, from + n - TAIL, tailBytes, 0, TAIL);
            tailLength = TAIL;
        } else {
            int keep = Math.min(tailLength, TAIL - n);
            System.arraycopy(tailBytes, tailLength - keep, tailBytes, 0, keep);
            System.arraycopy(buffer, from, tailBytes, keep, n);
            tailLength = keep + n;
        }
    }

    private void append(int n) {
        if (n <= 0) return;
        if (lineLength + n > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        System.arraycopy(buffer, head, line, lineLength, n);
        lineLength += n;
    }

    private int indexOfLf() {
        for (int i = head; i < tail; i++) {
            if (buffer[i] == '\n') return i;
        }
        return -1;
    }

    private boolean fill() throws IOException {
        head = 0;
        tail = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) return false;
        tail = n;
        return true;
    }

    private void readFully(byte[] target) throws IOException {
        int done = 0;
        while (done < target.length) {
            if (head == tail && !fill()) throw new EOFException("connection closed in the middle of a literal");
            int n = Math.min(tail - head, target.length - done);
            System.arraycopy(buffer, head, target, done, n);
            head += n;
            done += n;
        }
    }

    private void skip(long count) throws IOException {
        long left = count;
        while (left > 0) {
            if (head == tail && !fill()) throw new EOFException("connection closed in the middle of a literal");
            int n = (int) Math.min(tail - head, left);
            head += n;
            left -= n;
        }
    }

    /** The bytes of a message literal: ends after the literal, fails if the connection closes before. */
    private final class LiteralStream extends InputStream {

        private final long literal;

        LiteralStream(long literal) {
            this.literal = literal;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int length) throws IOException {
            if (literal != literalNumber || state != State.IN_MESSAGE_LITERAL) {
                throw new IllegalStateException("the literal is over: the command has moved on");
            }
            if (literalRemaining == 0) return -1;
            if (length == 0) return 0;
            if (head == tail && length >= buffer.length) {
                // a large read goes straight to the connection, not through the small buffer
                int n = in.read(target, offset, (int) Math.min(length, literalRemaining));
                if (n < 0) throw new EOFException("connection closed in the middle of a literal");
                literalRemaining -= n;
                return n;
            }
            if (head == tail && !fill()) throw new EOFException("connection closed in the middle of a literal");
            int n = (int) Math.min(Math.min(tail - head, length), literalRemaining);
            System.arraycopy(buffer, head, target, offset, n);
            head += n;
            literalRemaining -= n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(tail - head, literalRemaining);
        }
    }
}
