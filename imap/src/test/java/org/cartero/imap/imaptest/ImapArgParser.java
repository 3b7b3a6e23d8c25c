package org.cartero.imap.imaptest;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Splits an IMAP line into arguments exactly as imaptest does, which is Dovecot's imap-parser
 * with the flags imaptest passes. It is deliberately independent of Cartero's own IMAP grammar,
 * so that each can catch the other's mistakes, and it is as lax or strict as imaptest:
 * <ul>
 * <li>atoms take every byte up to a space or line end (and up to ')' inside a list), so
 * {@code BODY[HEADER.FIELDS (FROM)]} is the atom {@code BODY[HEADER.FIELDS}, a list and the
 * atom {@code ]}, and human-readable text after OK/NO/BAD/BYE is split into arguments too;</li>
 * <li>an atom spelled NIL in any case is {@link ImapArg.Nil};</li>
 * <li>{@code {n}} and {@code ~{n}} literals are read inline;</li>
 * <li>a ')' at the start of an argument outside any list, or a line ending inside a list, is a
 * syntax error (imaptest drops the connection then).</li>
 * </ul>
 * Server responses end at CRLF (or LF). Expected replies in a test script end where their text
 * ends, and their quoted strings may span lines.
 */
final class ImapArgParser {
    /** Larger literals are refused: the runner holds each response in memory. */
    private static final long MAX_LITERAL_SIZE = 256L * 1024 * 1024;

    private final ByteSource in;
    private final boolean script;

    private ImapArgParser(ByteSource in, boolean script) {
        this.in = in;
        this.script = script;
    }

    /** Reads one server response line, with its literals, from the connection. */
    static List<ImapArg> readResponse(ByteSource in) throws IOException, ImapSyntaxException {
        return new ImapArgParser(in, false).parseLine();
    }

    /** Parses the text of an expected reply (or APPEND arguments) from a test script. */
    static List<ImapArg> parseScript(String latin1) throws ImapSyntaxException {
        try {
            return new ImapArgParser(new ArraySource(Text.bytes(latin1)), true).parseLine();
        } catch (IOException e) {
            throw new ImapSyntaxException("Missing data");
        }
    }

    private List<ImapArg> parseLine() throws IOException, ImapSyntaxException {
        List<ImapArg> root = new ArrayList<>();
        Deque<List<ImapArg>> open = new ArrayDeque<>();
        List<ImapArg> current = root;
        while (true) {
            while (in.peek() == ' ') {
                in.read();
            }
            int c = in.peek();
            if (c == -1 && !script) {
                throw new EOFException("connection closed in the middle of a response");
            }
            if (c == '\r') {
                in.read();
                int next = in.peek();
                if (next != '\n' && !(script && next == -1)) {
                    throw new ImapSyntaxException("CR sent without LF");
                }
                c = next;
            }
            if (c == '\n' || c == -1) {
                if (c == '\n') {
                    in.read();
                }
                if (!open.isEmpty()) {
                    throw new ImapSyntaxException("Missing ')'");
                }
                return root;
            }
            switch (c) {
                case '"' -> {
                    in.read();
                    current.add(new ImapArg.Str(readQuoted(), ImapArg.Form.QUOTED));
                }
                case '{' -> {
                    in.read();
                    current.add(readLiteral(false));
                }
                case '~' -> {
                    in.read();
                    if (in.peek() == '{') {
                        in.read();
                        current.add(readLiteral(true));
                    } else {
                        current.add(readAtom(new StringBuilder("~"), !open.isEmpty()));
                    }
                }
                case '(' -> {
                    in.read();
                    List<ImapArg> list = new ArrayList<>();
                    current.add(new ImapArg.ArgList(list));
                    open.push(current);
                    current = list;
                }
                case ')' -> {
                    in.read();
                    if (open.isEmpty()) {
                        throw new ImapSyntaxException("Unexpected ')'");
                    }
                    current = open.pop();
                }
                default -> current.add(readAtom(new StringBuilder(), !open.isEmpty()));
            }
        }
    }

    private ImapArg readAtom(StringBuilder atom, boolean insideList) throws IOException {
        while (true) {
            int c = in.peek();
            if (c == -1 && !script) {
                throw new EOFException("connection closed in the middle of a response");
            }
            if (c == -1 || c == ' ' || c == '\r' || c == '\n' || c == ')' && insideList) {
                break;
            }
            atom.append((char) in.read());
        }
        String text = atom.toString();
        return Text.equalsIgnoreCase(text, "NIL") ? new ImapArg.Nil(text) : new ImapArg.Atom(text);
    }

    private String readQuoted() throws IOException, ImapSyntaxException {
        StringBuilder text = new StringBuilder();
        while (true) {
            int c = readOrFail("Missing '\"'");
            if (c == '"') {
                return text.toString();
            }
            if (c == 0) {
                throw new ImapSyntaxException("NULs not allowed in strings");
            }
            if (c == '\\') {
                c = readOrFail("Missing '\"'");
            }
            if ((c == '\r' || c == '\n') && !script) {
                throw new ImapSyntaxException("Missing '\"'");
            }
            text.append((char) c);
        }
    }

    private ImapArg readLiteral(boolean literal8) throws IOException, ImapSyntaxException {
        long size = 0;
        boolean nonSynchronizing = false;
        while (true) {
            int c = readOrFail("Missing data");
            if (c == '}') {
                break;
            }
            if (nonSynchronizing) {
                throw new ImapSyntaxException("Expecting '}' after '+'");
            }
            if (c == '+') {
                nonSynchronizing = true;
                continue;
            }
            if (c < '0' || c > '9') {
                throw new ImapSyntaxException("Invalid literal size");
            }
            size = size * 10 + (c - '0');
            if (size > MAX_LITERAL_SIZE) {
                throw new ImapSyntaxException("Literal size too large for the runner: over " + MAX_LITERAL_SIZE);
            }
        }
        int c = readOrFail("Missing data");
        if (c == '\r') {
            c = readOrFail("Missing data");
        }
        if (c != '\n') {
            throw new ImapSyntaxException("Missing LF after literal size");
        }
        String data = Text.latin1(in.readFully((int) size));
        return new ImapArg.Str(data, literal8 ? ImapArg.Form.LITERAL8 : ImapArg.Form.LITERAL);
    }

    private int readOrFail(String scriptError) throws IOException, ImapSyntaxException {
        int c = in.read();
        if (c == -1) {
            if (script) {
                throw new ImapSyntaxException(scriptError);
            }
            throw new EOFException("connection closed in the middle of a response");
        }
        return c;
    }

    /** Where the parser reads bytes from: a connection or the text of a script line. */
    interface ByteSource {
        /** The next byte without taking it, or -1 at the end. */
        int peek() throws IOException;

        /** The next byte, or -1 at the end. */
        int read() throws IOException;

        /** Exactly {@code length} bytes; an {@link EOFException} if they are not there. */
        byte[] readFully(int length) throws IOException;
    }

    private static final class ArraySource implements ByteSource {
        private final byte[] data;
        private int position;

        ArraySource(byte[] data) {
            this.data = data;
        }

        @Override
        public int peek() {
            return position < data.length ? data[position] & 0xff : -1;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xff : -1;
        }

        @Override
        public byte[] readFully(int length) throws EOFException {
            if (data.length - position < length) {
                throw new EOFException();
            }
            byte[] out = Arrays.copyOfRange(data, position, position + length);
            position += length;
            return out;
        }
    }
}
