package org.cartero.smtp.message;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Passes a message through and adds a Date and a Message-ID field to its header when it has none
 * (RFC 6409 section 8.2 and 8.3: a submission server may add them; RFC 5322 section 3.6 requires
 * Date and recommends Message-ID), and a From field when asked to (for mail from local programs). The fields are inserted at the end of the header section:
 * before the empty line, or before the first line that is no header field (for a message
 * written without a header, which then gets one). Streams: only the start of each header line
 * is held, to read the field's name. Call {@link #finish()} after the last octet.
 */
public final class HeaderCompletion extends OutputStream {
    /** A header line longer than this is no header line: RFC 5322 section 2.1.1 limits lines to 998. */
    private static final int MAX_NAME = 998;

    private final OutputStream out;
    private final Supplier<String> date;
    private final Supplier<String> messageId;
    private final Supplier<String> from;
    private final byte[] lineStart = new byte[MAX_NAME + 2];
    private int held;            // octets of the current line held in lineStart
    private boolean deciding = true; // at the start of a header line, before its ":"
    private boolean inBody;
    private boolean sawDate;
    private boolean sawMessageId;
    private boolean sawFrom;
    private boolean midLine; // a header line has been passed on without its line end yet

    /**
     * @param date      the value for a missing Date field (asked for only when it is missing)
     * @param messageId the value for a missing Message-ID field
     * @param from      the value for a missing From field, or null to leave a missing From missing
     */
    public HeaderCompletion(OutputStream out, Supplier<String> date, Supplier<String> messageId, Supplier<String> from) {
        this.out = out;
        this.date = date;
        this.messageId = messageId;
        this.from = from;
        this.sawFrom = from == null;
    }

    @Override
    public void write(int b) throws IOException {
        if (inBody) {
            out.write(b);
        } else if (!deciding) {
            out.write(b);
            if (b == '\n') deciding = true;
            midLine = b != '\n';
        } else {
            decide((byte) b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (inBody) {
            out.write(b, off, len);
            return;
        }
        for (int i = 0; i < len; i++) {
            if (inBody) {
                out.write(b, off + i, len - i);
                return;
            }
            write(b[off + i]);
        }
    }

    /** One more octet at the start of a header line: is it a field, a continuation, the end of the header? */
    private void decide(byte b) throws IOException {
        lineStart[held++] = b;
        if (b == ':' && held > 1) {
            String name = new String(lineStart, 0, held - 1, StandardCharsets.US_ASCII);
            if (name.equalsIgnoreCase("Date")) sawDate = true;
            if (name.equalsIgnoreCase("Message-ID")) sawMessageId = true;
            if (name.equalsIgnoreCase("From")) sawFrom = true;
            releaseLine();
        } else if (held == 1 && (b == ' ' || b == '\t')) {
            releaseLine(); // a folded continuation of the field before
        } else if (b == '\n') {
            boolean empty = held == 1 || held == 2 && lineStart[0] == '\r';
            endHeader(!empty); // the empty line, or a line without ":" that starts the body
        } else if (b == '\r' && held == 1) {
            // possibly the empty line: wait for its LF
        } else if (b < 33 || b > 126 || held > MAX_NAME) {
            endHeader(true); // not a field name: the header ended without its empty line
        }
    }

    private void releaseLine() throws IOException {
        out.write(lineStart, 0, held);
        held = 0;
        deciding = false;
        midLine = true;
    }

    /** Writes what is missing, then (if the message lacks one) the empty line, then the held octets. */
    private void endHeader(boolean addEmptyLine) throws IOException {
        writeMissing();
        if (addEmptyLine) out.write(new byte[] {'\r', '\n'});
        out.write(lineStart, 0, held);
        held = 0;
        inBody = true;
    }

    private void writeMissing() throws IOException {
        StringBuilder s = new StringBuilder();
        if (!sawDate) s.append("Date: ").append(date.get()).append("\r\n");
        if (!sawMessageId) s.append("Message-ID: ").append(messageId.get()).append("\r\n");
        if (!sawFrom) s.append("From: ").append(from.get()).append("\r\n");
        out.write(s.toString().getBytes(StandardCharsets.UTF_8));
        sawDate = sawMessageId = sawFrom = true;
    }

    /** Completes a message that ended inside its header (a header with no body at all). */
    public void finish() throws IOException {
        if (inBody) return;
        if (held > 0) {
            out.write(lineStart, 0, held);
            held = 0;
            midLine = true;
        }
        // An unterminated last line is ended, so the added fields start lines of their own.
        if (midLine) out.write(new byte[] {'\r', '\n'});
        writeMissing();
        inBody = true;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
