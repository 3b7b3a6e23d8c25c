package org.cartero.imap.protocol;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cartero.store.ModifiedUtf7;

/**
 * The tokens of one command, as the command parsers take them: a cursor over the current line
 * of the {@link CommandReader}, which reads the literals and the lines after them as the parsers
 * reach them. Every method either returns a well-formed token or throws {@link ProtocolException}
 * BAD saying what was expected and what was found (RFC 9051 section 9 names the tokens).
 */
final class Arguments {

    private final CommandReader reader;
    private int pos;
    /** A NO found while parsing (a mailbox name that is not valid), given once the syntax is known good. */
    private ProtocolException refusal;

    Arguments(CommandReader reader) {
        this.reader = reader;
    }

    // ---- character classes (RFC 9051 section 9) ---------------------------------------------

    /** ATOM-CHAR: any CHAR except atom-specials. */
    static boolean isAtomChar(int c) {
        return c > 0x20 && c < 0x7f && c != '(' && c != ')' && c != '{' && c != '%' && c != '*'
                && c != '"' && c != '\\' && c != ']';
    }

    /** ASTRING-CHAR: ATOM-CHAR or "]". */
    static boolean isAstringChar(int c) {
        return isAtomChar(c) || c == ']';
    }

    /** list-char: ATOM-CHAR, list-wildcards or "]". */
    private static boolean isListChar(int c) {
        return isAstringChar(c) || c == '%' || c == '*';
    }

    // ---- position ---------------------------------------------------------------------------

    /** The next byte of the line, or -1 at its end (where the command or a literal follows). */
    int peek() {
        return pos < reader.lineLength() ? reader.line()[pos] & 0xff : -1;
    }

    /** The byte {@code ahead} bytes after the next one, or -1 past the end of the line. */
    int peek(int ahead) {
        int at = pos + ahead;
        return at < reader.lineLength() ? reader.line()[at] & 0xff : -1;
    }

    /** True at the end of the command. */
    boolean atEnd() {
        return pos >= reader.lineLength() && reader.announced() == null;
    }

    /** True where a literal was announced: its bytes come next. */
    boolean atLiteral() {
        return pos >= reader.lineLength() && reader.announced() != null;
    }

    void expectEnd() throws ProtocolException {
        if (!atEnd()) throw bad("Unexpected arguments at the end of the command");
    }

    void sp() throws ProtocolException {
        if (peek() != ' ') throw bad("Expected a space");
        pos++;
    }

    boolean trySp() {
        if (peek() != ' ') return false;
        pos++;
        return true;
    }

    void expect(char c) throws ProtocolException {
        if (peek() != c) throw bad("Expected \"" + c + "\"");
        pos++;
    }

    boolean tryChar(char c) {
        if (peek() != c) return false;
        pos++;
        return true;
    }

    // ---- atoms and numbers ------------------------------------------------------------------

    /** tag: 1*(ASTRING-CHAR except "+"). */
    String tag() throws ProtocolException {
        int start = pos;
        while (isAstringChar(peek()) && peek() != '+') pos++;
        if (pos == start) throw bad("Expected a tag");
        return ascii(start, pos);
    }

    /** The tag at the start of the line, if there is a well-formed one followed by a space. */
    String tagOrNull() {
        int end = 0;
        byte[] line = reader.line();
        while (end < reader.lineLength() && isAstringChar(line[end] & 0xff) && line[end] != '+') end++;
        return end > 0 && end < reader.lineLength() && line[end] == ' ' ? ascii(0, end) : null;
    }

    /** atom: 1*ATOM-CHAR. */
    String atom() throws ProtocolException {
        int start = pos;
        while (isAtomChar(peek())) pos++;
        if (pos == start) throw bad("Expected an atom");
        return ascii(start, pos);
    }

    /** The next atom in upper case, for keywords of the grammar. */
    String keyword(String what) throws ProtocolException {
        int start = pos;
        while (isAtomChar(peek())) pos++;
        if (pos == start) throw bad("Expected " + what);
        return ascii(start, pos).toUpperCase(Locale.ROOT);
    }

    /**
     * A name made of letters, digits and dots, in upper case: FETCH items ("RFC822.SIZE",
     * "BODY.PEEK") and section texts ("HEADER.FIELDS"), which "[" or "&lt;" may follow.
     */
    String dottedName(String what) throws ProtocolException {
        int start = pos;
        while (peek() >= 'A' && peek() <= 'Z' || peek() >= 'a' && peek() <= 'z' || peek() >= '0' && peek() <= '9' || peek() == '.') {
            pos++;
        }
        if (pos == start) throw bad("Expected " + what);
        return ascii(start, pos).toUpperCase(Locale.ROOT);
    }

    /** Takes the keyword if the next atom is it (case-insensitive). */
    boolean tryKeyword(String keyword) {
        int end = pos;
        while (isAtomChar(end < reader.lineLength() ? reader.line()[end] & 0xff : -1)) end++;
        if (end - pos != keyword.length() || !ascii(pos, end).equalsIgnoreCase(keyword)) return false;
        pos = end;
        return true;
    }

    /** number: 1*DIGIT, at most 4294967295 (RFC 9051 section 9). */
    long number() throws ProtocolException {
        return digits(SequenceSet.MAX_NUMBER, "a number");
    }

    /** nz-number: a number that is not 0. */
    long nzNumber() throws ProtocolException {
        long n = number();
        if (n == 0) throw bad("0 is not allowed here");
        return n;
    }

    /** number64: 1*DIGIT, at most 2^63 - 1 (sizes and mod-sequences, RFC 9051 and RFC 7162). */
    long number64() throws ProtocolException {
        return digits(Long.MAX_VALUE, "a number");
    }

    private long digits(long max, String what) throws ProtocolException {
        int start = pos;
        long n = 0;
        while (peek() >= '0' && peek() <= '9') {
            int digit = peek() - '0';
            if (n > (max - digit) / 10) throw bad("Number is larger than " + max);
            n = n * 10 + digit;
            pos++;
        }
        if (pos == start) throw bad("Expected " + what);
        return n;
    }

    /** sequence-set, or "$" (RFC 5182). */
    SequenceSet sequenceSet() throws ProtocolException {
        int start = pos;
        while (isSequenceChar(peek())) pos++;
        if (pos == start || isAtomChar(peek())) {
            pos = start;
            throw bad("Expected a sequence set");
        }
        try {
            return SequenceSet.parse(ascii(start, pos));
        } catch (IllegalArgumentException e) {
            pos = start;
            throw bad("Invalid sequence set: " + e.getMessage());
        }
    }

    static boolean isSequenceChar(int c) {
        return c >= '0' && c <= '9' || c == ':' || c == ',' || c == '*' || c == '$';
    }

    // ---- strings ----------------------------------------------------------------------------

    /** astring: 1*ASTRING-CHAR or string. */
    byte[] astringBytes() throws ProtocolException, IOException {
        if (atLiteral() || peek() == '"') return stringBytes();
        int start = pos;
        while (isAstringChar(peek())) pos++;
        if (pos == start) throw bad("Expected a string");
        return slice(start, pos);
    }

    /** An astring as UTF-8 text. */
    String astring() throws ProtocolException, IOException {
        int start = pos;
        byte[] bytes = astringBytes();
        return utf8(bytes, start);
    }

    /** string: quoted or literal. */
    byte[] stringBytes() throws ProtocolException, IOException {
        if (atLiteral()) {
            byte[] literal = reader.readStringLiteral();
            pos = 0;
            for (byte b : literal) {
                if (b == 0) throw bad("NUL is not allowed in a literal (use literal8 for binary data)");
            }
            return literal;
        }
        if (peek() != '"') throw bad("Expected a quoted string or a literal");
        int start = pos;
        pos++;
        var out = new java.io.ByteArrayOutputStream();
        while (true) {
            int c = peek();
            if (c < 0) {
                pos = start;
                throw bad("Quoted string is not closed");
            }
            pos++;
            if (c == '"') return out.toByteArray();
            if (c == '\\') {
                int escaped = peek();
                if (escaped != '"' && escaped != '\\') {
                    pos--;
                    throw bad("Only \\\" and \\\\ may be escaped in a quoted string");
                }
                pos++;
                c = escaped;
            } else if (c == 0 || c == '\r' || c == '\n') {
                pos--;
                throw bad("Control character in a quoted string");
            }
            out.write(c);
        }
    }

    /** A string as UTF-8 text. */
    String string() throws ProtocolException, IOException {
        int start = pos;
        byte[] bytes = stringBytes();
        return utf8(bytes, start);
    }

    /** nstring: string or NIL (null). */
    String nstring() throws ProtocolException, IOException {
        if (tryKeyword("NIL")) return null;
        return string();
    }

    /** A string in the given charset (SEARCH CHARSET), an error if its bytes are not of that charset. */
    String astring(Charset charset) throws ProtocolException, IOException {
        int start = pos;
        byte[] bytes = astringBytes();
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            if (start <= pos) pos = start;
            throw bad("Search string is not valid " + charset.name());
        }
    }

    /** Decodes a string read from {@code start} (where the error points, unless it was a literal). */
    private String utf8(byte[] bytes, int start) throws ProtocolException {
        try {
            return decodeUtf8(bytes);
        } catch (CharacterCodingException e) {
            if (start <= pos) pos = start;
            throw bad("String is not valid UTF-8");
        }
    }

    private static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    // ---- mailbox names ----------------------------------------------------------------------

    /**
     * mailbox: an astring holding a mailbox name in modified UTF-7 (RFC 3501 section 5.1.3), or in
     * UTF-8 once enabled (RFC 6855, RFC 9051 section 5.1). Any case of "INBOX" is INBOX (RFC 9051
     * section 5.1). A name that is not valid is refused with NO once the command is parsed.
     */
    String mailbox() throws ProtocolException, IOException {
        byte[] raw = astringBytes();
        String name = decodeMailbox(raw);
        if (name == null) {
            refuseLater(ProtocolException.no(null, reader.utf8()
                    ? "Mailbox name is not valid UTF-8"
                    : "Mailbox name is not valid modified UTF-7 (RFC 3501 section 5.1.3)"));
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
        return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
    }

    /**
     * list-mailbox, a LIST pattern or reference: 1*list-char or a string. A pattern that is not
     * valid modified UTF-7 is kept as written, so it matches no mailbox instead of failing.
     */
    String listMailbox() throws ProtocolException, IOException {
        byte[] raw;
        if (atLiteral() || peek() == '"') {
            raw = stringBytes();
        } else {
            int start = pos;
            while (isListChar(peek())) pos++;
            if (pos == start) throw bad("Expected a mailbox name or pattern");
            raw = slice(start, pos);
        }
        String name = decodeMailbox(raw);
        return name != null ? name : new String(raw, StandardCharsets.ISO_8859_1);
    }

    private String decodeMailbox(byte[] raw) {
        if (reader.utf8()) {
            try {
                return decodeUtf8(raw);
            } catch (CharacterCodingException e) {
                return null;
            }
        }
        for (byte b : raw) {
            if (b < 0) return null;
        }
        try {
            return ModifiedUtf7.decode(new String(raw, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Notes a NO found while parsing (a mailbox name that is not valid, an unknown charset), to
     * be given once the whole command is known to be well-formed: syntax errors come first.
     */
    void refuseLater(ProtocolException no) {
        if (refusal == null) refusal = no;
    }

    /** The first NO noted by {@link #refuseLater}, or null. */
    ProtocolException refusal() {
        return refusal;
    }

    // ---- flags and dates --------------------------------------------------------------------

    /** flag: "\" atom (system flags and flag-extension) or a keyword atom. */
    String flag() throws ProtocolException {
        if (tryChar('\\')) {
            if (!isAtomChar(peek())) throw bad("Expected a flag name after \"\\\"");
            return "\\" + atom();
        }
        if (!isAtomChar(peek())) throw bad("Expected a flag");
        return atom();
    }

    /** flag-list: "(" [flag *(SP flag)] ")". */
    List<String> flagList() throws ProtocolException {
        expect('(');
        List<String> flags = new ArrayList<>();
        if (tryChar(')')) return flags;
        do {
            flags.add(flag());
        } while (trySp());
        expect(')');
        return flags;
    }

    /** date: date-text, bare or in quotes ("1-Feb-2024"). */
    LocalDate date() throws ProtocolException {
        boolean quoted = tryChar('"');
        int start = pos;
        while (isAtomChar(peek())) pos++;
        String text = ascii(start, pos);
        if (quoted) expect('"');
        try {
            return ImapDates.parseDate(text);
        } catch (IllegalArgumentException e) {
            pos = start;
            throw bad("Invalid date: " + e.getMessage());
        }
    }

    /** date-time: a quoted "01-Feb-2024 13:05:00 +0100". */
    OffsetDateTime dateTime() throws ProtocolException {
        int start = pos;
        expect('"');
        int end = pos;
        while (end < reader.lineLength() && reader.line()[end] != '"') end++;
        if (end == reader.lineLength()) {
            pos = start;
            throw bad("Date-time is not closed by a quote");
        }
        String text = ascii(pos, end);
        try {
            OffsetDateTime time = ImapDates.parseDateTime(text);
            pos = end + 1;
            return time;
        } catch (IllegalArgumentException e) {
            pos = start;
            throw bad("Invalid date-time: " + e.getMessage());
        }
    }

    // ---- literals of messages ---------------------------------------------------------------

    CommandReader reader() {
        return reader;
    }

    /** Starts the cursor over the line the reader loaded after a literal. */
    void lineReloaded() {
        pos = 0;
    }

    // ---- errors -----------------------------------------------------------------------------

    /** BAD with the reason and what the cursor is on. */
    ProtocolException bad(String reason) {
        return ProtocolException.bad(reason + found());
    }

    private String found() {
        if (atEnd()) return ", but the command ended";
        if (atLiteral()) return ", but found a literal";
        if (pos >= reader.lineLength()) return "";
        int end = Math.min(reader.lineLength(), pos + 24);
        StringBuilder text = new StringBuilder();
        for (int i = pos; i < end; i++) {
            int c = reader.line()[i] & 0xff;
            if (c == '"' || c == '\\') text.append('\\');
            text.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return ", but found \"" + text + (end < reader.lineLength() ? "...\"" : "\"");
    }

    private byte[] slice(int from, int to) {
        return java.util.Arrays.copyOfRange(reader.line(), from, to);
    }

    private String ascii(int from, int to) {
        return new String(reader.line(), from, to - from, StandardCharsets.ISO_8859_1);
    }
}
