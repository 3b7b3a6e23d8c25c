package org.cartero.store.mime;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.field.DateTimeField;
import org.apache.james.mime4j.field.DateTimeFieldLenientImpl;
import org.apache.james.mime4j.stream.NameValuePair;
import org.apache.james.mime4j.stream.RawBody;
import org.apache.james.mime4j.stream.RawField;
import org.apache.james.mime4j.stream.RawFieldParser;

/**
 * Learns a message's {@link MessageStructure} while the message is being written: bytes are
 * pushed in ({@link #write}) as they stream to disk, and {@link #finish()} returns the structure.
 * Memory stays bounded whatever the message size: only the header fields IMAP needs are kept
 * (each capped), body bytes are only counted.
 *
 * <p>Why not mime4j's MimeTokenStream for the tree: it does not report byte offsets, and IMAP
 * serves BODY[1.2] and BODYSTRUCTURE sizes from exact offsets. So the entity boundaries (RFC 2046
 * section 5.1.1) are found here, line by line; mime4j parses the field values (Content-Type and
 * Content-Disposition parameters, the Date field).
 *
 * <p>Lines may end in LF or CRLF; wire offsets count every line end as CRLF. A message/rfc822
 * (or message/global, RFC 6532) part whose encoding is an identity encoding is parsed as a
 * message; nesting deeper than {@value #MAX_DEPTH} levels or more than {@value #MAX_PARTS} parts
 * are kept as opaque leaves, so a hostile message cannot exhaust the stack or the index.
 */
public final class StructureParser extends OutputStream {
    static final int MAX_DEPTH = 64;
    static final int MAX_PARTS = 10_000;
    private static final int LINE_CAPTURE = 4096;
    private static final int FIELD_CAPTURE = 64 * 1024;

    private static final List<String> CONTENT_FIELDS = List.of("content-type", "content-transfer-encoding",
            "content-id", "content-description", "content-disposition", "content-language", "content-location",
            "content-md5");
    private static final List<String> ENVELOPE_FIELDS = List.of("date", "subject", "from", "sender", "reply-to",
            "to", "cc", "bcc", "in-reply-to", "message-id", "references", "return-path");

    private enum Phase { HEADER, LEAF, MULTIPART, MESSAGE }

    /** An entity being parsed; frames nest as entities do. */
    private static final class Frame {
        final boolean isMessage;
        final int depth;
        final String defaultType;
        final long headerStoredStart, headerWireStart;
        long bodyStoredStart, bodyWireStart, lfAtBodyStart;
        Phase phase = Phase.HEADER;
        Map<String, StringBuilder> fields = new HashMap<>();
        StringBuilder currentField; // the field a continuation line extends, null when not kept
        String type = "text", subtype = "plain";
        List<Param> params = List.of();
        String boundary;
        boolean closed;
        final List<Part> children = new ArrayList<>();
        Part message;
        Envelope messageEnvelope;

        Frame(boolean isMessage, int depth, String defaultType, long storedStart, long wireStart) {
            this.isMessage = isMessage;
            this.depth = depth;
            this.defaultType = defaultType;
            this.headerStoredStart = storedStart;
            this.headerWireStart = wireStart;
        }
    }

    private final ArrayDeque<Frame> stack = new ArrayDeque<>();
    private int parts = 1;
    private Part root;

    // Position after the last complete line.
    private long storedPos, wirePos, lfCount;
    // The previous line: its line end (0 none, 1 LF, 2 CRLF) and whether it had content.
    private int prevEol;
    private boolean prevHadContent;
    // The line being read.
    private final byte[] line = new byte[LINE_CAPTURE];
    private int captured;
    private long lineLength;
    private boolean lastCr;
    private Envelope rootEnvelope;
    private String rootReturnPath;

    public StructureParser() {
        stack.push(new Frame(true, 0, "text/plain", 0, 0));
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            endLine(true);
        } else {
            if (captured < LINE_CAPTURE) line[captured++] = (byte) b;
            lineLength++;
            lastCr = b == '\r';
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int lf = indexOfLf(b, i, end);
            int stop = lf < 0 ? end : lf;
            int n = stop - i;
            int room = Math.min(n, LINE_CAPTURE - captured);
            if (room > 0) {
                System.arraycopy(b, i, line, captured, room);
                captured += room;
            }
            lineLength += n;
            if (n > 0) lastCr = b[stop - 1] == '\r';
            if (lf < 0) break;
            endLine(true);
            i = lf + 1;
        }
    }

    private static int indexOfLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == '\n') return i;
        return -1;
    }

    /** Ends the input and returns the structure; the parser cannot be used afterwards. */
    public MessageStructure finish() {
        if (root != null) throw new IllegalStateException("finished already");
        if (lineLength > 0) endLine(false);
        while (!stack.isEmpty()) endTop(storedPos, wirePos, linesAtEof(stack.peek()));
        return new MessageStructure(rootEnvelope, root, storedPos, wirePos, rootReturnPath);
    }

    private void endLine(boolean hasLf) {
        boolean cr = hasLf && lastCr;
        long contentLength = cr ? lineLength - 1 : lineLength;
        int contentCaptured = (int) Math.min(captured, contentLength);
        int eol = hasLf ? (cr ? 2 : 1) : 0;
        long nextStored = storedPos + contentLength + eol;
        long nextWire = wirePos + contentLength + (hasLf ? 2 : 0);

        Frame owner = contentCaptured == contentLength ? boundaryOwner(contentCaptured) : null;
        if (owner != null) {
            while (stack.peek() != owner) endTop(endBeforeLine(true), endBeforeLine(false), linesBeforeLine(stack.peek()));
            if (isClosing(owner, contentCaptured)) {
                owner.closed = true;
            } else if (owner.phase == Phase.MULTIPART) {
                boolean digest = owner.subtype.equals("digest");
                stack.push(new Frame(false, owner.depth + 1, digest ? "message/rfc822" : "text/plain", nextStored, nextWire));
                parts++;
            }
        } else if (stack.peek().phase == Phase.HEADER) {
            headerLine(stack.peek(), contentCaptured, contentLength, hasLf, nextStored, nextWire);
        }

        storedPos = nextStored;
        wirePos = nextWire;
        if (hasLf) lfCount++;
        prevEol = eol;
        prevHadContent = contentLength > 0;
        captured = 0;
        lineLength = 0;
        lastCr = false;
    }

    // ---- header lines

    private void headerLine(Frame f, int contentCaptured, long contentLength, boolean hasLf, long nextStored, long nextWire) {
        if (contentLength == 0 && hasLf) {
            startBody(f, nextStored, nextWire, lfCount + 1);
            return;
        }
        byte first = contentCaptured > 0 ? line[0] : 0;
        if (first == ' ' || first == '\t') {
            if (f.currentField != null) append(f.currentField, 0, contentCaptured);
            return;
        }
        f.currentField = null;
        int colon = -1;
        for (int i = 0; i < contentCaptured; i++) {
            if (line[i] == ':') { colon = i; break; }
        }
        if (colon <= 0) return; // not a field: ignored, as mail readers do
        String name = new String(line, 0, colon, StandardCharsets.ISO_8859_1).trim().toLowerCase(Locale.ROOT);
        boolean wanted = CONTENT_FIELDS.contains(name) || (f.isMessage && ENVELOPE_FIELDS.contains(name));
        if (!wanted || f.fields.containsKey(name)) return; // the first occurrence counts
        StringBuilder value = new StringBuilder();
        f.fields.put(name, value);
        f.currentField = value;
        append(value, colon + 1, contentCaptured);
    }

    private void append(StringBuilder value, int from, int to) {
        int room = FIELD_CAPTURE - value.length();
        if (room <= 0) return;
        value.append(decode(line, from, Math.min(to - from, room)));
    }

    /** Header bytes are UTF-8 when they decode as such (RFC 6532), otherwise taken as Latin-1. */
    static String decode(byte[] bytes, int off, int len) {
        boolean ascii = true;
        for (int i = off; i < off + len && ascii; i++) ascii = bytes[i] >= 0;
        if (ascii) return new String(bytes, off, len, StandardCharsets.ISO_8859_1);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, off, len)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, off, len, StandardCharsets.ISO_8859_1);
        }
    }

    private void startBody(Frame f, long bodyStored, long bodyWire, long lfAtBody) {
        f.bodyStoredStart = bodyStored;
        f.bodyWireStart = bodyWire;
        f.lfAtBodyStart = lfAtBody;
        f.currentField = null;
        contentType(f);
        boolean roomForMore = f.depth < MAX_DEPTH && parts < MAX_PARTS;
        String encoding = value(f, "content-transfer-encoding");
        boolean identity = encoding == null || List.of("7bit", "8bit", "binary").contains(encoding.toLowerCase(Locale.ROOT));
        if (f.type.equals("multipart") && f.boundary != null && roomForMore) {
            f.phase = Phase.MULTIPART;
        } else if (f.type.equals("message") && (f.subtype.equals("rfc822") || f.subtype.equals("global"))
                && identity && roomForMore) {
            f.phase = Phase.MESSAGE;
            stack.push(new Frame(true, f.depth + 1, "text/plain", bodyStored, bodyWire));
            parts++;
        } else {
            f.phase = Phase.LEAF;
        }
    }

    private static void contentType(Frame f) {
        String value = value(f, "content-type");
        String type = f.defaultType;
        List<Param> params = List.of();
        if (value != null) {
            RawBody body = RawFieldParser.DEFAULT.parseRawBody(new RawField("Content-Type", value));
            String v = body.getValue() == null ? "" : body.getValue().trim().toLowerCase(Locale.ROOT);
            int slash = v.indexOf('/');
            if (slash > 0 && slash < v.length() - 1 && v.indexOf('/', slash + 1) < 0) type = v; // else RFC 2045 5.2: default
            params = params(body.getParams());
        } else if (f.defaultType.equals("text/plain")) {
            params = List.of(new Param("charset", "us-ascii")); // RFC 2045 section 5.2
        }
        int slash = type.indexOf('/');
        f.type = type.substring(0, slash);
        f.subtype = type.substring(slash + 1);
        f.params = params;
        if (f.type.equals("multipart")) {
            for (Param p : params) {
                if (p.name().equalsIgnoreCase("boundary") && !p.value().isEmpty() && p.value().length() <= 200) {
                    f.boundary = p.value();
                }
            }
            if (f.boundary == null) { // a multipart without boundary cannot be split: read it as text
                f.type = "text";
                f.subtype = "plain";
            }
        }
    }

    private static List<Param> params(List<NameValuePair> pairs) {
        List<Param> out = new ArrayList<>(pairs.size());
        for (NameValuePair p : pairs) out.add(new Param(p.getName(), p.getValue() == null ? "" : p.getValue()));
        return List.copyOf(out);
    }

    private static String value(Frame f, String name) {
        StringBuilder sb = f.fields.get(name);
        if (sb == null) return null;
        return sb.toString().strip();
    }

    // ---- boundaries

    /** The innermost open multipart whose boundary this line is (RFC 2046 section 5.1.1), or null. */
    private Frame boundaryOwner(int length) {
        if (length < 3 || line[0] != '-' || line[1] != '-') return null;
        for (Frame f : stack) {
            if (f.boundary == null || f.phase != Phase.MULTIPART || f.closed) continue;
            if (matches(f.boundary, length)) return f;
        }
        return null;
    }

    private boolean matches(String boundary, int length) {
        int n = boundary.length();
        if (length < n + 2) return false;
        for (int i = 0; i < n; i++) if (line[2 + i] != (byte) boundary.charAt(i)) return false;
        int rest = 2 + n;
        if (length >= rest + 2 && line[rest] == '-' && line[rest + 1] == '-') rest += 2;
        for (int i = rest; i < length; i++) if (line[i] != ' ' && line[i] != '\t') return false;
        return true;
    }

    private boolean isClosing(Frame f, int length) {
        int rest = 2 + f.boundary.length();
        return length >= rest + 2 && line[rest] == '-' && line[rest + 1] == '-';
    }

    // ---- ending entities

    /** Where an entity ends when the current line is a boundary: before the previous line break. */
    private long endBeforeLine(boolean stored) {
        if (prevEol == 0) return stored ? storedPos : wirePos;
        return stored ? storedPos - prevEol : wirePos - 2;
    }

    private long linesBeforeLine(Frame f) {
        if (f.phase == Phase.HEADER || endBeforeLine(true) <= f.bodyStoredStart) return 0;
        long lf = lfCount - (prevEol > 0 ? 1 : 0) - f.lfAtBodyStart;
        return lf + (prevHadContent ? 1 : 0);
    }

    private long linesAtEof(Frame f) {
        if (f.phase == Phase.HEADER || storedPos <= f.bodyStoredStart) return 0;
        return lfCount - f.lfAtBodyStart + (prevEol == 0 && prevHadContent ? 1 : 0);
    }

    private void endTop(long endStored, long endWire, long lines) {
        Frame f = stack.pop();
        if (f.phase == Phase.HEADER) { // the entity ended inside its header: no body
            endStored = Math.max(endStored, f.headerStoredStart);
            endWire = Math.max(endWire, f.headerWireStart);
            f.bodyStoredStart = endStored;
            f.bodyWireStart = endWire;
            contentType(f);
            lines = 0;
        }
        endStored = Math.max(endStored, f.bodyStoredStart);
        endWire = Math.max(endWire, f.bodyWireStart);
        List<Part> children = f.children;
        if (f.phase == Phase.MULTIPART && children.isEmpty()) { // IMAP needs one part at least
            children = List.of(emptyText(endStored, endWire));
        }
        Envelope envelope = f.isMessage ? envelope(f) : null;
        Part message = f.message;
        Part part = new Part(f.type, f.subtype, f.params,
                value(f, "content-id"), value(f, "content-description"), value(f, "content-transfer-encoding"),
                value(f, "content-md5"),
                dispositionType(f), dispositionParams(f), value(f, "content-language"), value(f, "content-location"),
                f.headerWireStart, f.bodyWireStart - f.headerWireStart, f.bodyWireStart, endWire - f.bodyWireStart, lines,
                f.headerStoredStart, f.bodyStoredStart,
                List.copyOf(children), f.messageEnvelope, message);
        Frame parent = stack.peek();
        if (parent == null) {
            root = part;
            rootEnvelope = envelope;
            String returnPath = unfolded(f, "return-path");
            if (returnPath != null) rootReturnPath = returnPath.replaceAll("[<>\\s]", "");
        } else if (parent.phase == Phase.MESSAGE) {
            parent.message = part;
            parent.messageEnvelope = envelope;
        } else {
            parent.children.add(part);
        }
    }

    private static Part emptyText(long stored, long wire) {
        return new Part("text", "plain", List.of(new Param("charset", "us-ascii")), null, null, null, null,
                null, List.of(), null, null, wire, 0, wire, 0, 0, stored, stored, List.of(), null, null);
    }

    private static String dispositionType(Frame f) {
        String value = value(f, "content-disposition");
        if (value == null) return null;
        String type = RawFieldParser.DEFAULT.parseRawBody(new RawField("Content-Disposition", value)).getValue();
        return type == null || type.isBlank() ? null : type.trim();
    }

    private static List<Param> dispositionParams(Frame f) {
        String value = value(f, "content-disposition");
        if (value == null) return List.of();
        return params(RawFieldParser.DEFAULT.parseRawBody(new RawField("Content-Disposition", value)).getParams());
    }

    private static Envelope envelope(Frame f) {
        String date = unfolded(f, "date");
        return new Envelope(date, unfolded(f, "subject"),
                AddressParser.parse(unfolded(f, "from")), AddressParser.parse(unfolded(f, "sender")),
                AddressParser.parse(unfolded(f, "reply-to")), AddressParser.parse(unfolded(f, "to")),
                AddressParser.parse(unfolded(f, "cc")), AddressParser.parse(unfolded(f, "bcc")),
                unfolded(f, "in-reply-to"), unfolded(f, "message-id"), unfolded(f, "references"), sentDate(date));
    }

    /** A field's value with folding undone (RFC 5322 section 2.2.3) and outer white space removed. */
    private static String unfolded(Frame f, String name) {
        String v = value(f, name);
        return v == null ? null : v.replace("\r", "").replace("\n", "").strip();
    }

    private static Long sentDate(String date) {
        if (date == null) return null;
        DateTimeField field = DateTimeFieldLenientImpl.PARSER.parse(new RawField("Date", date), DecodeMonitor.SILENT);
        Date d = field.getDate();
        return d == null ? null : d.getTime();
    }
}
