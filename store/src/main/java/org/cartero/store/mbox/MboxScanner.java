package org.cartero.store.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.cartero.store.Flags;
import org.cartero.store.mime.MessageStructure;
import org.cartero.store.mime.StructureParser;

/**
 * Reads the messages of an mbox file in one sequential pass: a message starts at a line
 * beginning "From " at the start of the file, after an empty line (which then separates
 * messages and belongs to neither), or anywhere when the line carries a ctime date as From_
 * lines do (mutt's leniency, for files written without the empty line); mboxrd quoting is undone as the content goes through a
 * {@link StructureParser}. For each message it reports where it lies, its structure, the flags
 * other mail readers keep in Status and X-Status headers, and a fingerprint: a hash of the From_
 * line, the header fields other than those that readers rewrite (Status, X-Status, X-Keywords,
 * X-UID, Content-Length, Lines, X-IMAP...) and the body's length. The fingerprint is how a
 * message is recognised after another program rewrote the file, so that it keeps its UID.
 */
public final class MboxScanner {
    private static final List<String> VOLATILE_FIELDS = List.of("status", "x-status", "x-keywords", "x-uid",
            "x-imap", "x-imapbase", "content-length", "lines");
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    /** One message found in the file. */
    public record Scanned(long fromOffset, long contentOffset, long endOffset, String fromLine, Instant date,
                          Flags statusFlags, long fingerprint, MessageStructure structure) {}

    @FunctionalInterface
    public interface Visitor {
        void visit(Scanned message) throws IOException;
    }

    private final FileChannel channel;
    private final Instant fallbackDate;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private long bufStart; // file offset of buf[0]
    private long pos;      // file offset of the next unread byte
    private final long end;
    private final boolean parse;

    private MboxScanner(FileChannel channel, long start, long end, Instant fallbackDate, boolean parse) {
        this.channel = channel;
        this.parse = parse;
        this.pos = start;
        this.bufStart = start;
        this.end = end;
        this.fallbackDate = fallbackDate;
        buf.limit(0);
    }

    /**
     * Visits the messages in [start, end) of the file; {@code start} must be the offset of a
     * From_ line (or 0). Text before the first From_ line is not a message and is skipped.
     * Without {@code parse}, only positions, flags and fingerprints are reported (structure null).
     */
    public static void scan(FileChannel channel, long start, long end, Instant fallbackDate, boolean parse, Visitor visitor)
            throws IOException {
        new MboxScanner(channel, start, end, fallbackDate, parse).run(visitor);
    }

    /** One line: its bytes (LF included, capped) and where it starts. */
    private final byte[] line = new byte[8192];
    private int lineCaptured;
    private long lineLength;
    private long lineStart;

    private boolean readLine() throws IOException {
        lineStart = pos;
        lineCaptured = 0;
        lineLength = 0;
        while (pos < end) {
            if (!buf.hasRemaining()) {
                buf.clear();
                bufStart = pos;
                int limit = (int) Math.min(buf.capacity(), end - pos);
                buf.limit(limit);
                while (buf.hasRemaining()) {
                    int n = channel.read(buf, bufStart + buf.position());
                    if (n < 0) break;
                }
                buf.flip();
                if (!buf.hasRemaining()) return lineLength > 0;
            }
            byte b = buf.get();
            pos++;
            if (lineCaptured < line.length) line[lineCaptured++] = b;
            lineLength++;
            if (b == '\n') return true;
        }
        return lineLength > 0;
    }

    private boolean isBlank() {
        return (lineLength == 1 && line[0] == '\n') || (lineLength == 2 && line[0] == '\r' && line[1] == '\n');
    }

    /** A From_ line with a date: a separator even without the empty line before it, as mutt reads it. */
    private boolean hasDate() {
        int n = lineCaptured;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
        return FromLine.date(new String(line, 0, n, StandardCharsets.ISO_8859_1)) != null;
    }

    private boolean isFromLine() {
        return lineCaptured >= 5 && line[0] == 'F' && line[1] == 'r' && line[2] == 'o' && line[3] == 'm' && line[4] == ' ';
    }

    // State of the message being read.
    private long fromOffset = -1, contentOffset;
    private String fromLine;
    private StructureParser parser;
    private long hash;
    private boolean inHeader;
    private boolean skippingField;
    private int status;
    private long bodyLength;

    private void run(Visitor visitor) throws IOException {
        boolean atStart = true;
        boolean pendingBlank = false;
        long pendingBlankStart = 0;
        long pendingBlankLength = 0;
        while (readLine()) {
            boolean blank = isBlank();
            if (isFromLine() && (atStart || pendingBlank || hasDate())) {
                if (fromOffset >= 0) finish(visitor, pendingBlank ? pendingBlankStart : lineStart);
                pendingBlank = false;
                begin();
                atStart = false;
                continue;
            }
            atStart = false;
            if (fromOffset < 0) continue; // junk before the first message
            if (pendingBlank) {
                feedBlank(pendingBlankLength);
                pendingBlank = false;
            }
            if (blank) {
                pendingBlank = true;
                pendingBlankStart = lineStart;
                pendingBlankLength = lineLength;
                continue;
            }
            content();
        }
        if (fromOffset >= 0) finish(visitor, pendingBlank ? pendingBlankStart : pos);
    }

    private void begin() {
        fromOffset = lineStart;
        contentOffset = lineStart + lineLength;
        int n = lineCaptured;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) n--;
        fromLine = new String(line, 0, n, StandardCharsets.ISO_8859_1);
        parser = parse ? new StructureParser() : null;
        hash = fnv(FNV_OFFSET, line, 0, n);
        inHeader = true;
        skippingField = false;
        status = 0;
        bodyLength = 0;
    }

    private void feedBlank(long length) {
        byte[] blank = length == 2 ? new byte[] {'\r', '\n'} : new byte[] {'\n'};
        if (parser != null) parser.write(blank, 0, blank.length);
        if (inHeader) inHeader = false;
        else bodyLength += blank.length;
    }

    private void content() throws IOException {
        // Undo mboxrd quoting: ">From " -> "From ", ">>From " -> ">From ".
        int off = 0;
        if (lineCaptured > 5 && line[0] == '>') {
            int gts = 0;
            while (gts < lineCaptured && line[gts] == '>') gts++;
            if (lineCaptured >= gts + 5 && new String(line, gts, 5, StandardCharsets.ISO_8859_1).equals("From ")) off = 1;
        }
        int captured = lineCaptured - off;
        long length = lineLength - off;
        if (parser != null) parser.write(line, off, captured);
        if (parser != null && length > captured) feedRest(lineStart + off + captured, length - captured);
        if (inHeader) header(off, captured);
        else bodyLength += length;
    }

    /** Feeds the part of an over-long line that did not fit the line buffer. */
    private void feedRest(long from, long length) throws IOException {
        ByteBuffer rest = ByteBuffer.allocate((int) Math.min(length, 64 * 1024));
        long at = from;
        long left = length;
        while (left > 0) {
            rest.clear();
            rest.limit((int) Math.min(rest.capacity(), left));
            int n = channel.read(rest, at);
            if (n <= 0) throw new IOException("mbox shrank while being read");
            parser.write(rest.array(), 0, n);
            at += n;
            left -= n;
        }
    }

    private void header(int off, int captured) {
        boolean continuation = captured > 0 && (line[off] == ' ' || line[off] == '\t');
        if (!continuation) {
            int colon = -1;
            for (int i = off; i < off + captured; i++) if (line[i] == ':') { colon = i; break; }
            String name = colon > off ? new String(line, off, colon - off, StandardCharsets.ISO_8859_1).trim().toLowerCase(Locale.ROOT) : "";
            skippingField = VOLATILE_FIELDS.contains(name);
            if (name.equals("status") || name.equals("x-status")) {
                String value = new String(line, colon + 1, off + captured - colon - 1, StandardCharsets.ISO_8859_1).trim();
                status |= statusBits(name, value);
            }
        }
        if (!skippingField) hash = fnv(hash, line, off, captured);
    }

    /** Flags kept in headers by mutt, mailx and UW-IMAP: Status R (read), X-Status A, F, T, D. */
    static int statusBits(String field, String value) {
        int bits = 0;
        for (char c : value.toCharArray()) {
            if (field.equals("status") && c == 'R') bits |= Flags.SEEN;
            if (field.equals("x-status")) {
                switch (c) {
                    case 'A' -> bits |= Flags.ANSWERED;
                    case 'F' -> bits |= Flags.FLAGGED;
                    case 'T' -> bits |= Flags.DRAFT;
                    case 'D' -> bits |= Flags.DELETED;
                    default -> { }
                }
            }
        }
        return bits;
    }

    private void finish(Visitor visitor, long endOffset) throws IOException {
        MessageStructure structure = parser == null ? null : parser.finish();
        long fp = hash;
        for (int i = 0; i < 8; i++) fp = (fp ^ ((bodyLength >>> (8 * i)) & 0xff)) * FNV_PRIME;
        Instant date = FromLine.date(fromLine);
        visitor.visit(new Scanned(fromOffset, contentOffset, endOffset, fromLine, date == null ? fallbackDate : date,
                new Flags(status, List.of()), fp, structure));
        fromOffset = -1;
    }

    private static long fnv(long h, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            h ^= b[i] & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }
}
