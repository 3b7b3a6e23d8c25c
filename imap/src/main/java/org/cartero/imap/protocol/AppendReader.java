package org.cartero.imap.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The messages of an APPEND command, read from the connection as the session takes them, so a
 * message is streamed to the store and never held in memory whole:
 *
 * <pre>
 * append         = "APPEND" SP mailbox 1*append-message          (RFC 3502 MULTIAPPEND)
 * append-message = [SP flag-list] [SP date-time] SP append-data
 * append-data    = literal / literal8                             (RFC 3516)
 *                / "CATENATE" SP "(" cat-part *(SP cat-part) ")"  (RFC 4469)
 *                / "UTF8" SP "(" literal8 ")"                     (RFC 6855)
 * cat-part       = "URL" SP astring / "TEXT" SP literal / "UTF8" SP "(" literal8 ")"
 * </pre>
 *
 * The first message's options are parsed with the command, so a malformed APPEND is refused at
 * once. A message literal is accepted (the "+" continuation sent) only when the session opens
 * it: the session can first check the mailbox and the literal's size, and refuse the command
 * instead. Taking the next message skips what the session did not read of the previous one.
 */
public final class AppendReader {

    /** One message: its flags, its internal date (null if not given) and its content. */
    public record Message(List<String> flags, OffsetDateTime internalDate, Data data) {
        public Message {
            flags = List.copyOf(flags);
        }
    }

    /** A message's content: one literal, or the parts of a CATENATE. */
    public sealed interface Data permits Literal, Catenation {
    }

    /** A part of a CATENATE: a URL of a message or part to copy, or literal text. */
    public sealed interface Part permits Url, Literal {
    }

    /** "URL" SP astring: an IMAP URL (RFC 5092) the session resolves. */
    public record Url(String url) implements Part {
    }

    private final Arguments a;
    private final CommandReader reader;
    private final long command;
    private Message first;
    private Object unfinished;

    private AppendReader(Arguments a) {
        this.a = a;
        this.reader = a.reader();
        this.command = reader.commandNumber();
    }

    static Command parse(Arguments a) throws ProtocolException, IOException {
        a.sp();
        String mailbox = a.mailbox();
        AppendReader messages = new AppendReader(a);
        messages.first = messages.message();
        if (messages.first == null) throw ProtocolException.bad("APPEND needs a message");
        return new Command.Append(mailbox, messages);
    }

    /**
     * The next message of the command, or null when there is none left. Skips what the session
     * did not read of the previous message.
     *
     * @throws ProtocolException BAD when the rest of the command is malformed, or a refusal of a
     *     literal that is too big; the session abandons the APPEND (MULTIAPPEND is atomic,
     *     RFC 3502)
     * @throws IllegalStateException when the previous message's synchronising literal was never
     *     opened (the client still waits for a continuation), or the command is over
     */
    public Message next() throws ProtocolException, IOException {
        checkCurrent();
        if (first != null) {
            Message message = first;
            first = null;
            unfinished = message.data();
            return message;
        }
        finishUnfinished();
        Message message = message();
        unfinished = message == null ? null : message.data();
        return message;
    }

    private void finishUnfinished() throws ProtocolException, IOException {
        if (unfinished instanceof Literal literal) {
            literal.finish();
        } else if (unfinished instanceof Catenation catenation) {
            while (catenation.next() != null) {
                // each part is finished by taking the next
            }
        }
        unfinished = null;
    }

    private Message message() throws ProtocolException, IOException {
        if (a.atEnd()) return null;
        a.sp();
        List<String> flags = List.of();
        OffsetDateTime date = null;
        if (a.peek() == '(') {
            flags = a.flagList();
            a.sp();
        }
        if (a.peek() == '"') {
            date = a.dateTime();
            a.sp();
        }
        if (a.atLiteral()) return new Message(flags, date, new Literal(false));
        String name = a.keyword("a message literal, CATENATE or UTF8");
        a.sp();
        return switch (name) {
            case "CATENATE" -> {
                a.expect('(');
                yield new Message(flags, date, new Catenation());
            }
            case "UTF8" -> new Message(flags, date, utf8Literal());
            default -> throw ProtocolException.bad("Expected a message literal, CATENATE or UTF8, not " + name);
        };
    }

    /** RFC 6855: "UTF8" SP "(" literal8 ")". */
    private Literal utf8Literal() throws ProtocolException {
        a.expect('(');
        if (!a.atLiteral() || !reader.announced().binary()) throw a.bad("UTF8 needs a literal8 (~{n})");
        return new Literal(true);
    }

    private void checkCurrent() {
        if (reader.commandNumber() != command) throw new IllegalStateException("the APPEND command is over");
    }

    /**
     * A message literal: its size is known before it is accepted. {@link #open()} accepts it
     * and returns its bytes.
     */
    public final class Literal implements Data, Part {

        private final long size;
        private final boolean binary;
        private final boolean utf8;
        private final boolean synchronizing;
        private boolean opened;
        private boolean finished;

        private Literal(boolean utf8) throws ProtocolException {
            CommandReader.Announcement literal = reader.checkMessageLiteral();
            this.size = literal.size();
            this.binary = literal.binary();
            this.synchronizing = literal.synchronizing();
            this.utf8 = utf8;
        }

        /** The size in octets. */
        public long size() {
            return size;
        }

        /** True for a literal8 (~{n}, RFC 3516): the data may hold NUL and any octets. */
        public boolean binary() {
            return binary;
        }

        /** True for "UTF8 (~{n})" (RFC 6855): a message with UTF-8 headers. */
        public boolean utf8() {
            return utf8;
        }

        /**
         * Accepts the literal (sends the "+" continuation if it is synchronising) and returns its
         * bytes, exactly {@link #size()} of them; reading fails with EOFException if the client
         * closes the connection before the end. Close is not needed.
         */
        public InputStream open() throws IOException {
            checkCurrent();
            if (opened) throw new IllegalStateException("the literal is already open");
            opened = true;
            return reader.openMessageLiteral();
        }

        private void finish() throws ProtocolException, IOException {
            if (finished) return;
            if (!opened) {
                if (synchronizing) throw new IllegalStateException("the literal was never accepted");
                open();
            }
            finished = true;
            reader.finishMessageLiteral();
            a.lineReloaded();
            if (utf8) a.expect(')');
        }
    }

    /** The parts of a CATENATE (RFC 4469), read as the session takes them. */
    public final class Catenation implements Data {

        private boolean started;
        private boolean ended;
        private Literal unfinishedText;

        private Catenation() {
        }

        /** The next part, or null after the last. Skips what the session did not read of the previous one. */
        public Part next() throws ProtocolException, IOException {
            checkCurrent();
            if (ended) return null;
            if (unfinishedText != null) {
                unfinishedText.finish();
                unfinishedText = null;
            }
            if (started) {
                if (a.tryChar(')')) {
                    ended = true;
                    return null;
                }
                a.sp();
            }
            started = true;
            String name = a.keyword("URL, TEXT or UTF8");
            a.sp();
            switch (name) {
                case "URL" -> {
                    return new Url(a.astring());
                }
                case "TEXT" -> {
                    if (!a.atLiteral()) throw a.bad("TEXT needs a literal");
                    unfinishedText = new Literal(false);
                    return unfinishedText;
                }
                case "UTF8" -> {
                    unfinishedText = utf8Literal();
                    return unfinishedText;
                }
                default -> throw ProtocolException.bad("Unknown CATENATE part " + name);
            }
        }
    }
}
