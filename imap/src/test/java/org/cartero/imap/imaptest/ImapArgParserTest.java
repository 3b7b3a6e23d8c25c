package org.cartero.imap.imaptest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.cartero.imap.imaptest.ImapArg.ArgList;
import org.cartero.imap.imaptest.ImapArg.Atom;
import org.cartero.imap.imaptest.ImapArg.Form;
import org.cartero.imap.imaptest.ImapArg.Nil;
import org.cartero.imap.imaptest.ImapArg.Str;
import org.junit.jupiter.api.Test;

class ImapArgParserTest {

    private static List<ImapArg> response(String bytes) throws IOException, ImapSyntaxException {
        return ImapArgParser.readResponse(new StreamSource(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.ISO_8859_1))));
    }

    @Test
    void fetchWithSectionListLiteralAndNil() throws Exception {
        List<ImapArg> args = response("* 1 FETCH (BODY[HEADER.FIELDS (FROM)] {5}\r\nab\r\nc ENVELOPE (nil \"a\\\"b\"))\r\n");

        assertThat(args).containsExactly(new Atom("*"), new Atom("1"), new Atom("FETCH"), new ArgList(List.of(
                new Atom("BODY[HEADER.FIELDS"), new ArgList(List.of(new Atom("FROM"))), new Atom("]"),
                new Str("ab\r\nc", Form.LITERAL),
                new Atom("ENVELOPE"), new ArgList(List.of(new Nil("nil"), new Str("a\"b", Form.QUOTED))))));
    }

    @Test
    void responseTextIsSplitIntoArgumentsLikeImaptestDoes() throws Exception {
        assertThat(response("a1 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n")).containsExactly(
                new Atom("a1"), new Atom("OK"), new Atom("[READ-WRITE]"), new Atom("Select"), new Atom("completed"),
                new ArgList(List.of(new Atom("0.001"), new Atom("+"), new Atom("0.000"), new Atom("secs"))), new Atom("."));
    }

    @Test
    void literal8AndTildeAtom() throws Exception {
        assertThat(response("* 1 FETCH (BINARY[1] ~{3}\r\n\0\1\2 X ~foo)\n")).element(3).isEqualTo(new ArgList(List.of(
                new Atom("BINARY[1]"), new Str("\0\1\2", Form.LITERAL8), new Atom("X"), new Atom("~foo"))));
    }

    @Test
    void closingParenthesisIsPartOfAnAtomOutsideLists() throws Exception {
        assertThat(response("* OK done :)\r\n")).containsExactly(new Atom("*"), new Atom("OK"), new Atom("done"), new Atom(":)"));
    }

    @Test
    void strayClosingParenthesisIsRefused() {
        assertThatThrownBy(() -> response("* OK all done )\r\n"))
                .isInstanceOf(ImapSyntaxException.class).hasMessage("Unexpected ')'");
    }

    @Test
    void lineEndingInsideAListIsRefused() {
        assertThatThrownBy(() -> response("* OK (unbalanced\r\n"))
                .isInstanceOf(ImapSyntaxException.class).hasMessage("Missing ')'");
    }

    @Test
    void lineBreakInsideAQuotedStringIsRefusedFromTheServer() {
        assertThatThrownBy(() -> response("* OK \"a\r\nb\"\r\n"))
                .isInstanceOf(ImapSyntaxException.class).hasMessage("Missing '\"'");
    }

    @Test
    void crWithoutLfIsRefused() {
        assertThatThrownBy(() -> response("* OK a\rb\r\n"))
                .isInstanceOf(ImapSyntaxException.class).hasMessage("CR sent without LF");
    }

    @Test
    void brokenLiteralSizeIsRefused() {
        assertThatThrownBy(() -> response("* 1 FETCH (BODY[] {1x}\r\n)\r\n"))
                .isInstanceOf(ImapSyntaxException.class).hasMessage("Invalid literal size");
    }

    @Test
    void connectionClosedInTheMiddleOfALiteral() {
        assertThatThrownBy(() -> response("* 1 FETCH (BODY[] {10}\r\nabc"))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void scriptLinesEndWithTheirTextAndMayHaveMultilineStrings() throws Exception {
        assertThat(ImapArgParser.parseScript("status $mailbox (messages 1) \"a\r\nb\""))
                .containsExactly(new Atom("status"), new Atom("$mailbox"),
                        new ArgList(List.of(new Atom("messages"), new Atom("1"))), new Str("a\r\nb", Form.QUOTED));
    }

    @Test
    void scriptLineWithUnclosedListIsRefused() {
        assertThatThrownBy(() -> ImapArgParser.parseScript("1 fetch (uid $uid"))
                .isInstanceOf(ImapSyntaxException.class).hasMessage("Missing ')'");
    }

    /** The parser's view of a stream, as the connection gives it. */
    private static final class StreamSource implements ImapArgParser.ByteSource {
        private final InputStream in;
        private int next = -2;

        StreamSource(InputStream in) {
            this.in = in;
        }

        @Override
        public int peek() throws IOException {
            if (next == -2) {
                next = in.read();
            }
            return next;
        }

        @Override
        public int read() throws IOException {
            int c = peek();
            next = -2;
            return c;
        }

        @Override
        public byte[] readFully(int length) throws IOException {
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                int c = read();
                if (c < 0) {
                    throw new EOFException();
                }
                out[i] = (byte) c;
            }
            return out;
        }
    }
}
