package org.cartero.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The request receiver: framing of lines and literals, limits and resynchronisation, on bytes. */
class CommandReaderTest {

    private static final ReaderLimits SMALL = new ReaderLimits(1024, 100, Long.MAX_VALUE);

    @Test
    void readsPipelinedCommandsInOrder() {
        Wire wire = new Wire("a1 NOOP\r\na2 capability\r\na3 LOGOUT\r\n");
        assertThat(wire.request()).isEqualTo(new Received.Request("a1", new Command.Noop()));
        assertThat(wire.request()).isEqualTo(new Received.Request("a2", new Command.Capability()));
        assertThat(wire.request()).isEqualTo(new Received.Request("a3", new Command.Logout()));
        assertThat(wire.next()).isInstanceOf(Received.Closed.class);
    }

    @Test
    void acceptsBareLineFeedsAndSkipsEmptyLines() {
        Wire wire = new Wire("\r\n\na1 NOOP\n");
        assertThat(wire.request().tag()).isEqualTo("a1");
    }

    @Test
    void closedConnectionInTheMiddleOfACommandIsTheEnd() {
        assertThat(new Wire("a1 NOO").next()).isInstanceOf(Received.Closed.class);
        assertThat(new Wire("a1 LOGIN {5}\r\nab").next()).isInstanceOf(Received.Closed.class);
    }

    @Test
    void synchronizingLiteralIsAskedForWithAContinuation() {
        Wire wire = new Wire("a1 LOGIN {4}\r\nfred {6}\r\nsecret\r\n");
        assertThat(wire.request().command()).isEqualTo(new Command.Login("fred", "secret"));
        assertThat(wire.continuations).isEqualTo(2);
    }

    @Test
    void literalIsReadOnlyAfterTheContinuationWasSent() throws Exception {
        // a client that sends each literal only once it has seen "+", as RFC 9051 section 4.3 says
        Client client = new Client("a1 LOGIN {4}\r\n", "fred {6}\r\n", "secret\r\na2 APPEND INBOX {5}\r\n", "hello\r\n");
        CommandReader reader = new CommandReader(client, ReaderLimits.DEFAULT, client::continuation);
        assertThat(((Received.Request) reader.next()).command()).isEqualTo(new Command.Login("fred", "secret"));
        Command.Append append = (Command.Append) ((Received.Request) reader.next()).command();
        assertThat(readAll(((AppendReader.Literal) append.messages().next().data()).open())).isEqualTo("hello");
        assertThat(append.messages().next()).isNull();
        assertThat(client.continuations).isEqualTo(3);
    }

    @Test
    void nonSynchronizingLiteralNeedsNoContinuation() {
        Wire wire = new Wire("a1 LOGIN {4+}\r\nfred {6+}\r\nsecret\r\n");
        assertThat(wire.request().command()).isEqualTo(new Command.Login("fred", "secret"));
        assertThat(wire.continuations).isZero();
    }

    @Test
    void literalMayHoldAnyByteButNul() {
        Wire wire = new Wire("a1 LOGIN {6}\r\nA\r\n\"(\\ \"\"\r\n");
        assertThat(wire.request().command()).isEqualTo(new Command.Login("A\r\n\"(\\", ""));
        assertThat(Wire.refuse("LOGIN {3}\r\na\0b \"x\"").text()).contains("NUL is not allowed");
    }

    @Test
    void zeroLengthLiteral() {
        assertThat(Wire.parse("LOGIN {0}\r\n {0+}\r\n")).isEqualTo(new Command.Login("", ""));
    }

    @Test
    void literal8IsRefusedWhereAStringIsExpected() {
        Wire wire = new Wire("a1 LOGIN ~{4}\r\na2 NOOP\r\n");
        StatusResponse refused = wire.refused();
        assertThat(refused.kind()).isEqualTo(StatusResponse.Kind.BAD);
        assertThat(refused.text()).contains("literal8");
        assertThat(wire.continuations).isZero();
        assertThat(wire.request().tag()).isEqualTo("a2");
    }

    @Test
    void tooBigSynchronizingLiteralIsRefusedBeforeTheClientSendsIt() {
        Wire wire = new Wire("a1 LOGIN {5000}\r\na2 NOOP\r\n", SMALL);
        StatusResponse refused = wire.refused();
        assertThat(refused).isEqualTo(new StatusResponse("a1", StatusResponse.Kind.BAD, ResponseCode.TOOBIG,
                "Literal of 5000 bytes makes the command longer than 1024 bytes"));
        assertThat(wire.continuations).isZero();
        // the client took the tagged response as the end of a1: the next line is a new command
        assertThat(wire.request()).isEqualTo(new Received.Request("a2", new Command.Noop()));
    }

    @Test
    void tooBigNonSynchronizingLiteralClosesTheConnection() {
        Received received = new Wire("a1 LOGIN {5000+}\r\nxxxx", SMALL).next();
        assertThat(received).isInstanceOf(Received.Refused.class);
        Received.Refused refused = (Received.Refused) received;
        assertThat(refused.closeConnection()).isTrue();
        assertThat(refused.response().code()).isEqualTo(ResponseCode.TOOBIG);
    }

    @Test
    void literalMinusLimitsNonSynchronizingLiteralsTo4096Bytes() {
        ReaderLimits literalMinus = new ReaderLimits(64 * 1024, 1 << 20, ReaderLimits.LITERAL_MINUS);
        String big = "x".repeat(4097);
        Received received = new Wire("a1 LOGIN {4097+}\r\n" + big + " p\r\n", literalMinus).next();
        Received.Refused refused = (Received.Refused) received;
        assertThat(refused.response().kind()).isEqualTo(StatusResponse.Kind.BAD);
        assertThat(refused.response().code()).isEqualTo(ResponseCode.TOOBIG);
        assertThat(refused.closeConnection()).isTrue();

        Wire fits = new Wire("a1 LOGIN {4096+}\r\n" + "x".repeat(4096) + " p\r\n", literalMinus);
        assertThat(((Command.Login) fits.request().command()).user()).hasSize(4096);
        Wire synchronizing = new Wire("a1 LOGIN {4097}\r\n" + big + " p\r\n", literalMinus);
        assertThat(((Command.Login) synchronizing.request().command()).user()).hasSize(4097);
    }

    @Test
    void overLongLineGetsBadWithItsTagAndTheNextLineIsRead() {
        String longLine = "a1 LOGIN " + "x".repeat(2000) + " y\r\n";
        Wire wire = new Wire(longLine + "a2 NOOP\r\n", SMALL);
        assertThat(wire.refused()).isEqualTo(StatusResponse.bad("a1", "Command line is longer than 1024 bytes"));
        assertThat(wire.request().tag()).isEqualTo("a2");
    }

    @Test
    void overLongLineEndingInANonSynchronizingLiteralSkipsTheLiteralToo() {
        String input = "a1 SEARCH TEXT " + "x".repeat(2000) + " {11+}\r\na2 NOOP\r\nxx\r\na3 NOOP\r\n";
        Wire wire = new Wire(input, SMALL);
        assertThat(wire.refused().tag()).isEqualTo("a1");
        // "a2 NOOP\r\nxx" was the literal's content, then the rest of a1's line
        assertThat(wire.request().tag()).isEqualTo("a3");
    }

    @Test
    void commandSpreadOverLinesCountsAgainstTheLimitAsAWhole() {
        String input = "a1 LOGIN {700+}\r\n" + "u".repeat(700) + " {700+}\r\n" + "p".repeat(700) + "\r\na2 NOOP\r\n";
        Wire wire = new Wire(input, SMALL);
        Received.Refused refused = (Received.Refused) wire.next();
        assertThat(refused.response().code()).isEqualTo(ResponseCode.TOOBIG);
        assertThat(refused.closeConnection()).isTrue();
    }

    @Test
    void syntaxErrorSkipsTheRestOfTheCommandWithItsNonSynchronizingLiterals() {
        Wire wire = new Wire("a1 LOGIN ( {3+}\r\nabc {4+}\r\ndefg\r\na2 NOOP\r\n");
        assertThat(wire.refused().tag()).isEqualTo("a1");
        assertThat(wire.request().tag()).isEqualTo("a2");
    }

    @Test
    void syntaxErrorBeforeASynchronizingLiteralEndsTheCommandThere() {
        // the client waits for "+", gets the tagged BAD, and goes on with its next command
        Wire wire = new Wire("a1 LOGIN ( {3}\r\na2 NOOP\r\n");
        assertThat(wire.refused().kind()).isEqualTo(StatusResponse.Kind.BAD);
        assertThat(wire.continuations).isZero();
        assertThat(wire.request().tag()).isEqualTo("a2");
    }

    @Test
    void unreadableTagGetsAnUntaggedBad() {
        Wire wire = new Wire("+a NOOP\r\n(x)\r\na2 NOOP\r\n");
        StatusResponse first = wire.refused();
        assertThat(first.tag()).isNull();
        assertThat(first.text()).isEqualTo("Expected a tag, but found \"+a NOOP\"");
        assertThat(wire.refused().tag()).isNull();
        assertThat(wire.request().tag()).isEqualTo("a2");
    }

    @Test
    void errorsSayWhatWasExpectedAndWhatWasFound() {
        assertThat(new Wire("A1\r\n").refused().text()).isEqualTo("Expected a space and a command name after the tag, but the command ended");
        assertThat(Wire.refuse("").text()).isEqualTo("Expected a command name, but the command ended");
        assertThat(Wire.refuse("FROB x").text()).isEqualTo("Unknown command FROB");
        assertThat(Wire.refuse("UID CREATE x").text()).isEqualTo("UID cannot be used with CREATE");
        assertThat(Wire.refuse("NOOP now").text()).isEqualTo("Unexpected arguments at the end of the command, but found \" now\"");
        assertThat(Wire.refuse("LOGIN fred").text()).isEqualTo("Expected a space, but the command ended");
        assertThat(Wire.refuse("LOGIN \"fred").text()).isEqualTo("Quoted string is not closed, but found \"\\\"fred\"");
        assertThat(Wire.refuse("LOGIN \"a\\b\" c").text()).startsWith("Only \\\" and \\\\ may be escaped");
        assertThat(Wire.refuse("SELECT inbox extra").text()).isEqualTo("Expected \"(\", but found \"extra\"");
    }

    @Test
    void idleEndsWithDone() throws IOException {
        Wire wire = new Wire("a1 IDLE\r\ndone\r\na2 IDLE\r\nnope\r\n");
        assertThat(wire.request().command()).isEqualTo(new Command.Idle());
        assertThat(wire.reader.readIdleDone()).isTrue();
        assertThat(wire.request().command()).isEqualTo(new Command.Idle());
        assertThat(wire.reader.readIdleDone()).isFalse();
        assertThatThrownBy(wire.reader::readIdleDone).isInstanceOf(EOFException.class);
    }

    @Test
    void saslResponsesAreBase64OrACancel() throws Exception {
        Wire wire = new Wire("a1 AUTHENTICATE PLAIN\r\nAGZyZWQAc2VjcmV0\r\n*\r\n!!\r\n");
        assertThat(wire.request().command()).isInstanceOf(Command.Authenticate.class);
        assertThat(new String(wire.reader.readSaslResponse(), StandardCharsets.UTF_8)).isEqualTo("\0fred\0secret");
        assertThat(wire.reader.readSaslResponse()).isNull();
        assertThatThrownBy(wire.reader::readSaslResponse).isInstanceOf(ProtocolException.class)
                .hasMessageStartingWith("Authentication response is not BASE64");
    }

    @Test
    void bytesBufferedBeforeStartTlsAreDiscarded() throws IOException {
        // a STARTTLS command injection: the plain-text NOOP must not run inside TLS
        ByteArrayInputStream plain = new ByteArrayInputStream("a1 STARTTLS\r\na2 NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
        CommandReader reader = new CommandReader(plain, ReaderLimits.DEFAULT, () -> { });
        assertThat(((Received.Request) reader.next()).command()).isEqualTo(new Command.StartTls());
        assertThat(reader.discardBuffered()).isEqualTo("a2 NOOP\r\n".length());
        reader.replaceInput(new ByteArrayInputStream("a3 CAPABILITY\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(((Received.Request) reader.next()).tag()).isEqualTo("a3");
    }

    // ---- APPEND ---------------------------------------------------------------------------

    @Test
    void appendStreamsTheMessageAfterTheContinuation() throws Exception {
        Wire wire = new Wire("a1 APPEND saved (\\Seen $Work) \"05-Mar-2024 10:00:00 +0100\" {12}\r\nSubject: hi\n\r\na2 NOOP\r\n");
        Command.Append append = (Command.Append) wire.request().command();
        assertThat(append.mailbox()).isEqualTo("saved");
        AppendReader.Message message = append.messages().next();
        assertThat(message.flags()).containsExactly("\\Seen", "$Work");
        assertThat(message.internalDate()).isEqualTo(java.time.OffsetDateTime.parse("2024-03-05T10:00:00+01:00"));
        AppendReader.Literal literal = (AppendReader.Literal) message.data();
        assertThat(literal.size()).isEqualTo(12);
        assertThat(wire.continuations).as("not accepted before the session opens it").isZero();
        assertThat(readAll(literal.open())).isEqualTo("Subject: hi\n");
        assertThat(wire.continuations).isEqualTo(1);
        assertThat(append.messages().next()).isNull();
        assertThat(wire.request().tag()).isEqualTo("a2");
    }

    @Test
    void multiappendReadsMessagesOneAfterTheOther() throws Exception {
        Wire wire = new Wire("a1 APPEND INBOX {3+}\r\none (\\Draft) {3+}\r\ntwo ~{3+}\r\nt\0o\r\n");
        Command.Append append = (Command.Append) wire.request().command();
        AppendReader.Message first = append.messages().next();
        assertThat(readAll(((AppendReader.Literal) first.data()).open())).isEqualTo("one");
        AppendReader.Message second = append.messages().next();
        assertThat(second.flags()).containsExactly("\\Draft");
        assertThat(readAll(((AppendReader.Literal) second.data()).open())).isEqualTo("two");
        AppendReader.Literal third = (AppendReader.Literal) append.messages().next().data();
        assertThat(third.binary()).isTrue();
        assertThat(readAll(third.open())).isEqualTo("t\0o");
        assertThat(append.messages().next()).isNull();
        assertThat(wire.continuations).isZero();
    }

    @Test
    void appendSkipsWhatTheSessionDidNotRead() throws Exception {
        Wire wire = new Wire("a1 APPEND INBOX {10+}\r\n0123456789 {2+}\r\nab\r\na2 NOOP\r\n");
        Command.Append append = (Command.Append) wire.request().command();
        InputStream body = ((AppendReader.Literal) append.messages().next().data()).open();
        assertThat(body.read()).isEqualTo('0');
        AppendReader.Message second = append.messages().next();
        assertThat(readAll(((AppendReader.Literal) second.data()).open())).isEqualTo("ab");
        assertThatThrownBy(body::read).isInstanceOf(IllegalStateException.class);
        assertThat(wire.request().tag()).isEqualTo("a2");
    }

    @Test
    void appendRefusedBeforeItsLiteralIsOpenedResynchronises() {
        // synchronising: the client waits for "+" that never comes (the session answered NO [TRYCREATE])
        Wire sync = new Wire("a1 APPEND nobox {5}\r\na2 NOOP\r\n");
        assertThat(sync.request().command()).isInstanceOf(Command.Append.class);
        assertThat(sync.request().tag()).isEqualTo("a2");
        assertThat(sync.continuations).isZero();
        // non-synchronising: the message comes anyway and is skipped
        Wire nonSync = new Wire("a1 APPEND nobox {9+}\r\na2 NOOP\r\n {3+}\r\nabc\r\na3 NOOP\r\n");
        assertThat(nonSync.request().command()).isInstanceOf(Command.Append.class);
        assertThat(nonSync.request().tag()).isEqualTo("a3");
    }

    @Test
    void appendOverTheLimitIsRefusedWithTooBigBeforeTheClientSendsIt() {
        Wire wire = new Wire("a1 APPEND INBOX {101}\r\na2 NOOP\r\n", SMALL);
        assertThat(wire.refused()).isEqualTo(StatusResponse.no("a1", ResponseCode.TOOBIG,
                "Message of 101 bytes is larger than the limit of 100 bytes"));
        assertThat(wire.continuations).isZero();
        assertThat(wire.request().tag()).isEqualTo("a2");
    }

    @Test
    void laterMessageOverTheLimitFailsTheAppend() throws Exception {
        Wire wire = new Wire("a1 APPEND INBOX {2+}\r\nok {500}\r\na2 NOOP\r\n", SMALL);
        Command.Append append = (Command.Append) wire.request().command();
        readAll(((AppendReader.Literal) append.messages().next().data()).open());
        assertThatThrownBy(() -> append.messages().next()).isInstanceOf(ProtocolException.class)
                .satisfies(e -> assertThat(((ProtocolException) e).response("a1").code()).isEqualTo(ResponseCode.TOOBIG));
        assertThat(wire.request().tag()).isEqualTo("a2");
    }

    @Test
    void appendWithoutAMessageIsBad() {
        assertThat(Wire.refuse("APPEND INBOX").text()).isEqualTo("APPEND needs a message");
        assertThat(Wire.refuse("APPEND INBOX (\\Seen)").text()).startsWith("Expected a space");
        assertThat(Wire.refuse("APPEND INBOX \"31-Feb-2024 00:00:00 +0000\" {1}").text())
                .isEqualTo("Invalid date-time: day 31 does not exist in Feb 2024, but found \"\\\"31-Feb-2024 00:00:00 +0...\"");
        assertThat(Wire.refuse("APPEND INBOX {3}x").text()).isEqualTo("Expected a message literal, CATENATE or UTF8, but found \"{3}x\"");
    }

    @Test
    void malformedSecondMessageFailsTheAppend() throws Exception {
        Wire wire = new Wire("a1 APPEND INBOX {1+}\r\nx (\\Seen {1+}\r\ny\r\na2 NOOP\r\n");
        Command.Append append = (Command.Append) wire.request().command();
        append.messages().next();
        assertThatThrownBy(() -> append.messages().next()).isInstanceOf(ProtocolException.class)
                .hasMessage("Expected a flag, but found a literal");
        assertThat(wire.request().tag()).isEqualTo("a2");
    }

    @Test
    void catenatePartsAreReadInOrder() throws Exception {
        Wire wire = new Wire("a1 APPEND Drafts CATENATE (URL \"/INBOX;UIDVALIDITY=9/;UID=3/;SECTION=HEADER\""
                + " TEXT {6}\r\nbody\r\n URL \"/INBOX/;UID=3/;SECTION=1\") CATENATE (TEXT {2+}\r\nhi)\r\n");
        Command.Append append = (Command.Append) wire.request().command();
        AppendReader.Catenation first = (AppendReader.Catenation) append.messages().next().data();
        assertThat(first.next()).isEqualTo(new AppendReader.Url("/INBOX;UIDVALIDITY=9/;UID=3/;SECTION=HEADER"));
        AppendReader.Literal text = (AppendReader.Literal) first.next();
        assertThat(readAll(text.open())).isEqualTo("body\r\n");
        assertThat(first.next()).isEqualTo(new AppendReader.Url("/INBOX/;UID=3/;SECTION=1"));
        assertThat(first.next()).isNull();
        AppendReader.Catenation second = (AppendReader.Catenation) append.messages().next().data();
        // the session may skip a part without reading it
        assertThat(second.next()).isInstanceOf(AppendReader.Literal.class);
        assertThat(second.next()).isNull();
        assertThat(append.messages().next()).isNull();
        assertThat(wire.continuations).isEqualTo(1);
    }

    @Test
    void utf8AppendNeedsALiteral8() throws Exception {
        Wire wire = new Wire("a1 APPEND INBOX UTF8 (~{4+}\r\nd\u00e9!)\r\n");
        Command.Append append = (Command.Append) wire.request().command();
        AppendReader.Literal literal = (AppendReader.Literal) append.messages().next().data();
        assertThat(literal.utf8()).isTrue();
        assertThat(readAll(literal.open())).isEqualTo("d\u00e9!");
        assertThat(append.messages().next()).isNull();
        assertThat(Wire.refuse("APPEND INBOX UTF8 ({4}").text()).startsWith("UTF8 needs a literal8");
    }

    @Test
    void connectionClosedInTheMiddleOfAMessageFailsTheRead() throws Exception {
        Wire wire = new Wire("a1 APPEND INBOX {10+}\r\nshort");
        Command.Append append = (Command.Append) wire.request().command();
        InputStream body = ((AppendReader.Literal) append.messages().next().data()).open();
        assertThatThrownBy(() -> body.readAllBytes()).isInstanceOf(EOFException.class);
    }

    @Test
    void largeMessageIsStreamedThroughASmallBuffer() throws Exception {
        long size = 5L * 1024 * 1024;
        InputStream input = new SequenceInputStream(
                new ByteArrayInputStream(("a1 APPEND INBOX {" + size + "+}\r\n").getBytes(StandardCharsets.US_ASCII)),
                new SequenceInputStream(new Zeros(size), new ByteArrayInputStream("\r\n".getBytes(StandardCharsets.US_ASCII))));
        CommandReader reader = new CommandReader(input, new ReaderLimits(4096, size, Long.MAX_VALUE), () -> { });
        Command.Append append = (Command.Append) ((Received.Request) reader.next()).command();
        InputStream body = ((AppendReader.Literal) append.messages().next().data()).open();
        assertThat(body.transferTo(OutputStream.nullOutputStream())).isEqualTo(size);
        assertThat(append.messages().next()).isNull();
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /**
     * A client's bytes in turns: each turn after the first is sent only after a continuation
     * request; reading it sooner would wait forever on a real connection, so it fails here.
     */
    private static final class Client extends InputStream {
        private final byte[][] turns;
        private int turn;
        private int position;
        int continuations;

        Client(String... turns) {
            this.turns = new byte[turns.length][];
            for (int i = 0; i < turns.length; i++) this.turns[i] = turns[i].getBytes(StandardCharsets.US_ASCII);
        }

        void continuation() {
            continuations++;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position == turns[turn].length) {
                if (turn + 1 == turns.length) return -1;
                if (continuations < turn + 1) throw new AssertionError("read the client's next turn before asking for it");
                turn++;
                position = 0;
            }
            int n = Math.min(len, turns[turn].length - position);
            System.arraycopy(turns[turn], position, b, off, n);
            position += n;
            return n;
        }
    }

    /** An endless supply of zero bytes, cut at a size. */
    private static final class Zeros extends InputStream {
        private long left;

        Zeros(long size) {
            left = size;
        }

        @Override
        public int read() {
            return left-- > 0 ? 0 : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) return -1;
            int n = (int) Math.min(len, left);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            left -= n;
            return n;
        }
    }
}
