package org.cartero.smtp.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Random input into every reader of the grammar, from fixed seeds so a failure repeats. Each
 * reader must either succeed or refuse cleanly (an SmtpException, a ProtocolException, an EOF, an
 * IllegalArgumentException where that is the documented refusal), never throw anything else; and
 * what succeeds is checked against a plain model of the grammar.
 */
class ProtocolFuzzTest {

    private static final int ROUNDS = 20_000;

    /** Pieces that steer random lines into the grammar's corners. */
    private static final String[] COMMAND_PIECES = {
            "MAIL FROM:", "RCPT TO:", "EHLO ", "HELO ", "DATA", "BDAT ", "RSET", "NOOP", "VRFY ", "EXPN ", "HELP",
            "QUIT", "STARTTLS", "AUTH ", "mail from:", "<", ">", "<>", "@", ":", ",", "\"", "\\", " ", "  ", ".",
            "a", "Z", "0", "9", "example.com", "[", "]", "IPv6:", "::", "192.0.2.1", "SIZE=", "BODY=", "8BITMIME",
            "SMTPUTF8", "RET=", "HDRS", "ENVID=", "AUTH=", "NOTIFY=", "SUCCESS,", "NEVER", "ORCPT=", "rfc822;",
            "utf-8;", "\\x{", "}", "+", "+2B", "=", "LAST", "PLAIN", "=", "é", "名", "\u0000", "\t", "\uFFFD", "Postmaster"};

    @Test
    void commandParserAcceptsOrRefusesCleanlyAndWhatItAcceptsFormatsBack() {
        Random random = new Random(5321);
        CommandParser[] parsers = {
                new CommandParser("mx.example.org", EnumSet.allOf(Extension.class)),
                new CommandParser("mx.example.org", Set.of())};
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            String line = round % 4 == 0 ? randomUtf8Line(random) : randomCommandLine(random);
            CommandParser parser = parsers[round % 2];
            boolean utf8 = random.nextBoolean();
            try {
                Command command = parser.parse(line, utf8);
                accepted++;
                assertThat(parser.parse(command.line(), utf8)).as("formatted back from %s", line).isEqualTo(command);
            } catch (SmtpException e) {
                assertThat(e.reply().isPermanentFailure()).as(line).isTrue();
            } catch (RuntimeException e) {
                fail("parsing " + escape(line) + " threw " + e, e);
            }
        }
        assertThat(accepted).as("the generator reaches valid commands too").isGreaterThan(ROUNDS / 50);
    }

    @Test
    void dataReaderEndsExactlyAtTheFirstCrlfDotCrlfAndMatchesTheModel() throws IOException {
        Random random = new Random(2023_51766);
        String alphabet = "\r\n.\r\n.a\u0000\u00e9";
        for (int round = 0; round < ROUNDS; round++) {
            String input = randomText(random, alphabet, 40) + (random.nextInt(10) == 0 ? "" : "\r\n.\r\n") + "NEXT";
            BareLineEndings policy = random.nextBoolean() ? BareLineEndings.NORMALIZE : BareLineEndings.REJECT;
            long limit = random.nextInt(5) == 0 ? random.nextInt(20) : Long.MAX_VALUE;
            checkAgainstModel(input, policy, limit);
        }
    }

    /**
     * The model: the data is everything before the first "." CRLF line that follows a CRLF (the
     * DATA command's own CRLF counting for the start); its CRLF-separated lines lose a leading ".",
     * and every CR or LF left inside a line is bare.
     */
    private static void checkAgainstModel(String input, BareLineEndings policy, long limit) throws IOException {
        int end = ("\r\n" + input).indexOf("\r\n.\r\n");
        ByteArrayInputStream connection = new ByteArrayInputStream(input.getBytes(ISO_8859_1));
        DataReader reader = new DataReader(connection, limit, policy);
        if (end < 0) {
            assertThatThrownBy(reader::readAllBytes).as(escape(input)).isInstanceOf(EOFException.class);
            return;
        }
        String raw = input.substring(0, end);
        String expected = unstuffAndNormalize(raw);
        boolean bare = !raw.replace("\r\n", "").chars().noneMatch(c -> c == '\r' || c == '\n');
        boolean tooBig = expected.length() > limit;
        if (bare && policy == BareLineEndings.REJECT || tooBig) {
            assertThatThrownBy(reader::readAllBytes).as(escape(input)).isInstanceOfSatisfying(MessageRejectedException.class,
                    e -> assertThat(e.reply().code()).isIn(bare && policy == BareLineEndings.REJECT ? List.of(550, 552) : List.of(552)));
        } else {
            assertThat(new String(reader.readAllBytes(), ISO_8859_1)).as(escape(input)).isEqualTo(expected);
        }
        assertThat(new String(connection.readAllBytes(), ISO_8859_1)).as(escape(input)).isEqualTo(input.substring(end + 3));
    }

    private static String unstuffAndNormalize(String raw) {
        if (raw.isEmpty()) return "";
        StringBuilder out = new StringBuilder();
        // raw ends with CRLF, so the last piece of the split is empty and dropped
        for (String line : raw.substring(0, raw.length() - 2).split("\r\n", -1)) {
            String unstuffed = line.startsWith(".") ? line.substring(1) : line;
            unstuffed.chars().forEach(c -> out.append(c == '\r' || c == '\n' ? "\r\n" : String.valueOf((char) c)));
            out.append("\r\n");
        }
        return out.toString();
    }

    @Test
    void whatTheClientSendsTheServerReadsBack() throws IOException {
        Random random = new Random(4_5_2);
        String alphabet = "\r\n..a\u00e9\u0000 ";
        for (int round = 0; round < ROUNDS; round++) {
            String content = randomText(random, alphabet, 50);
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
            data.write(content.getBytes(ISO_8859_1));
            data.finish();
            wire.write("QUIT\r\n".getBytes(ISO_8859_1));

            ByteArrayInputStream connection = new ByteArrayInputStream(wire.toByteArray());
            // what the client sends is clean: even the strict policy accepts it
            DataReader reader = new DataReader(connection, Long.MAX_VALUE, BareLineEndings.REJECT);
            String received = new String(reader.readAllBytes(), ISO_8859_1);
            String expected = withCrlfOnly(content);
            if (!expected.isEmpty() && !expected.endsWith("\r\n")) expected += "\r\n";
            assertThat(received).as(escape(content)).isEqualTo(expected);
            assertThat(new String(connection.readAllBytes(), ISO_8859_1)).isEqualTo("QUIT\r\n");
        }
    }

    private static String withCrlfOnly(String s) {
        return s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
    }

    @Test
    void replyReaderReadsOrRefusesCleanly() {
        Random random = new Random(2034);
        String[] pieces = {"250", "550", "354", "-", " ", "2.1.0", "5.5.4", "4.0.0", "text", "\r\n", "\n", "\r", "x", "199", "é"};
        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder wire = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) wire.append(pieces[random.nextInt(pieces.length)]);
            ReplyReader reader = new ReplyReader(new ByteArrayInputStream(wire.toString().getBytes(UTF_8)));
            try {
                Reply reply = reader.read();
                assertThat(new ReplyReader(new ByteArrayInputStream(reply.wireText().getBytes(UTF_8))).read())
                        .as("read back from %s", escape(wire.toString())).isEqualTo(reply);
            } catch (ProtocolException | EOFException e) {
                // a clean refusal
            } catch (IOException | RuntimeException e) {
                fail("reading " + escape(wire.toString()) + " threw " + e, e);
            }
        }
    }

    @Test
    void xtextAndOriginalRecipientDecodeOrRefuseCleanly() {
        Random random = new Random(3461);
        String[] pieces = {"a", "+", "2B", "3D", "0A", "C3", "B6", "=", ";", "rfc822", "utf-8", "\\x{", "F6", "}", "D800", " ", "é", "\\"};
        for (int round = 0; round < ROUNDS; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(10); i > 0; i--) text.append(pieces[random.nextInt(pieces.length)]);
            String value = text.toString();
            try {
                String decoded = Xtext.decode(value);
                assertThat(Xtext.decode(Xtext.encode(decoded))).isEqualTo(decoded);
            } catch (IllegalArgumentException e) {
                // a clean refusal
            }
            try {
                OriginalRecipient parsed = OriginalRecipient.parse(value, random.nextBoolean());
                assertThat(OriginalRecipient.parse(parsed.encode(), false)).isEqualTo(parsed);
            } catch (IllegalArgumentException e) {
                // a clean refusal
            }
        }
    }

    /** Up to {@code maxLength} characters drawn from the alphabet. */
    private static String randomText(Random random, String alphabet, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength); i > 0; i--) text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return text.toString();
    }

    private static String randomCommandLine(Random random) {
        StringBuilder line = new StringBuilder();
        for (int i = 1 + random.nextInt(8); i > 0; i--) line.append(COMMAND_PIECES[random.nextInt(COMMAND_PIECES.length)]);
        return line.toString();
    }

    /** Random octets, decoded the way a session decodes a command line. */
    private static String randomUtf8Line(Random random) {
        byte[] octets = new byte[random.nextInt(60)];
        random.nextBytes(octets);
        return new String(octets, UTF_8);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
