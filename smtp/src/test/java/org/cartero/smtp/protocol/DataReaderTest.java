package org.cartero.smtp.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The DATA reader on bytes. Strings here stand for octets one to one (ISO-8859-1), so "\u00e9" is
 * the single octet 0xE9.
 */
class DataReaderTest {

    /** What a pipelining client sends right after the data. */
    private static final String NEXT_COMMAND = "QUIT\r\n";

    private static ByteArrayInputStream connection(String wire) {
        return new ByteArrayInputStream(wire.getBytes(ISO_8859_1));
    }

    private static String remaining(InputStream connection) throws IOException {
        return new String(connection.readAllBytes(), ISO_8859_1);
    }

    private static String readAll(DataReader reader) throws IOException {
        return new String(reader.readAllBytes(), ISO_8859_1);
    }

    /** The message content read from wire data, checking that the connection stays at the next command. */
    private static String content(String data, BareLineEndings policy) throws IOException {
        ByteArrayInputStream connection = connection(data + NEXT_COMMAND);
        String content = readAll(new DataReader(connection, Long.MAX_VALUE, policy));
        assertThat(remaining(connection)).isEqualTo(NEXT_COMMAND);
        return content;
    }

    @Test
    void readsAMessageUpToTheTerminatorAndNoFurther() throws IOException {
        assertThat(content("Subject: hi\r\n\r\nHello\r\n.\r\n", BareLineEndings.REJECT))
                .isEqualTo("Subject: hi\r\n\r\nHello\r\n");
    }

    @Test
    void removesTheStuffedDotFromLinesThatStartWithADot() throws IOException {
        assertThat(content("..\r\n...\r\n..leading\r\n.x\r\n. \r\nmiddle.dot\r\n.\r\n", BareLineEndings.REJECT))
                .isEqualTo(".\r\n..\r\n.leading\r\nx\r\n \r\nmiddle.dot\r\n");
    }

    @Test
    void anEmptyMessageIsTheTerminatorAlone() throws IOException {
        assertThat(content(".\r\n", BareLineEndings.REJECT)).isEmpty();
        assertThat(content("\r\n.\r\n", BareLineEndings.REJECT)).isEqualTo("\r\n");
    }

    @Test
    void aDotThatDoesNotStartALineEndsNothing() throws IOException {
        // the content cannot end without CRLF before the ".": "a.\r\n" is an ordinary line
        assertThat(content("a.\r\nb\r\n.\r\n", BareLineEndings.REJECT)).isEqualTo("a.\r\nb\r\n");
        assertThat(content("a\r\n.b.\r\n.\r\n", BareLineEndings.REJECT)).isEqualTo("a\r\nb.\r\n");
    }

    @Test
    void readsTheSameWhenTheConnectionDeliversOneOctetAtATime() throws IOException {
        InputStream trickle = new InputStream() {
            private final InputStream wire = connection("line one\r\n..two\r\n.\r\n" + NEXT_COMMAND);

            @Override
            public int read() throws IOException {
                return wire.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : wire.read(b, off, 1);
            }
        };
        DataReader reader = new DataReader(trickle, 1000, BareLineEndings.REJECT);
        StringBuilder content = new StringBuilder();
        for (int c; (c = reader.read()) >= 0; ) content.append((char) c);
        assertThat(content).hasToString("line one\r\n.two\r\n");
        assertThat(reader.read()).isEqualTo(-1);
        assertThat(remaining(trickle)).isEqualTo(NEXT_COMMAND);
    }

    /**
     * Every way of writing an end of data that is not CRLF "." CRLF: none may end the message, or the
     * forged commands after it would run (SMTP smuggling, CVE-2023-51766 and kin).
     */
    static Stream<String> falseEnds() {
        return Stream.of("\n.\n", "\r\n.\n", "\n.\r\n", "\r.\r\n", "\r\n.\r", "\r.\r", "\n.\r", "\r.\n",
                "\r\n.\r\r\n", "\r\n.\n\r\n", "\n\n.\n\n", "\r\r.\r\r", "\n.\n.\n");
    }

    private static final String SMUGGLED = "MAIL FROM:<ceo@bank.example>\r\nRCPT TO:<victim@example.org>\r\nDATA\r\n"
            + "From: ceo@bank.example\r\n\r\nforged\r\n";

    private static String smugglingAttempt(String falseEnd) {
        return "From: attacker@example.net\r\n\r\nHello" + falseEnd + SMUGGLED + ".\r\n";
    }

    @ParameterizedTest
    @MethodSource("falseEnds")
    void smugglingUnderNormalizeKeepsTheForgedPartInsideTheMessageWithCrlfOnly(String falseEnd) throws IOException {
        ByteArrayInputStream connection = connection(smugglingAttempt(falseEnd) + NEXT_COMMAND);
        DataReader reader = new DataReader(connection, Long.MAX_VALUE, BareLineEndings.NORMALIZE);
        String content = readAll(reader);

        assertThat(remaining(connection)).as("the data ends only at CRLF.CRLF").isEqualTo(NEXT_COMMAND);
        assertThat(content).startsWith("From: attacker@example.net\r\n\r\nHello").endsWith(SMUGGLED);
        assertThat(content.replace("\r\n", "")).as("only CRLF line ends are stored").doesNotContain("\r", "\n");
        assertThat(reader.bareLineEndings()).isPositive();
    }

    @ParameterizedTest
    @MethodSource("falseEnds")
    void smugglingUnderRejectRefusesTheWholeMessageAfterItsRealEnd(String falseEnd) throws IOException {
        ByteArrayInputStream connection = connection(smugglingAttempt(falseEnd) + NEXT_COMMAND);
        DataReader reader = new DataReader(connection, Long.MAX_VALUE, BareLineEndings.REJECT);

        assertThatThrownBy(() -> reader.readAllBytes()).isInstanceOfSatisfying(MessageRejectedException.class,
                e -> assertThat(e.reply()).extracting(Reply::code, Reply::enhancedCode).containsExactly(550, "5.5.2"));
        assertThat(remaining(connection)).as("the session stays in step").isEqualTo(NEXT_COMMAND);
    }

    @Test
    void aNulBeforeTheDotIsContent() throws IOException {
        // servers that drop NUL octets would see CRLF.CRLF here; Cartero sees an ordinary line
        assertThat(content("a\r\n\u0000.\r\nb\r\n.\r\n", BareLineEndings.REJECT)).isEqualTo("a\r\n\u0000.\r\nb\r\n");
    }

    @Test
    void normalizesEachBareLineEndToCrlf() throws IOException {
        assertThat(content("a\nb\rc\r\r\nd\n\r\n.\r\n", BareLineEndings.NORMALIZE)).isEqualTo("a\r\nb\r\nc\r\n\r\nd\r\n\r\n");
        // after a bare line end a "." is content, not a stuffed dot
        assertThat(content("a\n..b\r\n.\r\n", BareLineEndings.NORMALIZE)).isEqualTo("a\r\n..b\r\n");
        // ".\n" after CRLF: a line longer than "." whose "." goes, then the bare LF
        assertThat(content("a\r\n.\nb\r\n.\r\n", BareLineEndings.NORMALIZE)).isEqualTo("a\r\n\r\nb\r\n");
    }

    @Test
    void countsBareLineEndings() throws IOException {
        DataReader reader = new DataReader(connection("a\nb\rc\r\n.\r\n"), 100, BareLineEndings.NORMALIZE);
        reader.readAllBytes();
        assertThat(reader.bareLineEndings()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(BareLineEndings.class)
    void enforcesTheSizeLimitMidStreamAndStaysInStep(BareLineEndings policy) throws IOException {
        String body = "0123456789\r\n".repeat(100);
        ByteArrayInputStream connection = connection(body + ".\r\n" + NEXT_COMMAND);
        DataReader reader = new DataReader(connection, 50, policy);
        byte[] buffer = new byte[4096];
        long handedOut = 0;
        MessageRejectedException rejected = null;
        try {
            for (int n; (n = reader.read(buffer)) >= 0; ) handedOut += n;
        } catch (MessageRejectedException e) {
            rejected = e;
        }
        assertThat(rejected).isNotNull();
        assertThat(rejected.reply()).extracting(Reply::code, Reply::enhancedCode).containsExactly(552, "5.3.4");
        assertThat(handedOut).isLessThanOrEqualTo(50);
        assertThat(remaining(connection)).isEqualTo(NEXT_COMMAND);
        assertThatThrownBy(reader::read).as("the refusal stands").isInstanceOf(MessageRejectedException.class);
    }

    @Test
    void aMessageOfExactlyTheLimitIsAccepted() throws IOException {
        // the stuffed dot does not count: the limit is on the content
        ByteArrayInputStream connection = connection("..234567\r\n.\r\n" + NEXT_COMMAND);
        assertThat(readAll(new DataReader(connection, 9, BareLineEndings.REJECT))).isEqualTo(".234567\r\n");
        assertThat(remaining(connection)).isEqualTo(NEXT_COMMAND);

        assertThatThrownBy(() -> new DataReader(connection("..234567\r\n.\r\n"), 8, BareLineEndings.REJECT).readAllBytes())
                .isInstanceOf(MessageRejectedException.class);
        assertThat(readAll(new DataReader(connection(".\r\n"), 0, BareLineEndings.REJECT))).isEmpty();
    }

    @Test
    void normalizedLineEndsCountTowardsTheLimit() {
        assertThatThrownBy(() -> new DataReader(connection("a\nb\r\n.\r\n"), 5, BareLineEndings.NORMALIZE).readAllBytes())
                .isInstanceOf(MessageRejectedException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Subject: x\r\n", "a\r\n.", "a\r\n.\r", "a\r\n..\r\n", "a\n.\n", "\r\n.\n"})
    void aConnectionThatClosesBeforeTheEndIsAnError(String data) {
        assertThatThrownBy(() -> new DataReader(connection(data), 1000, BareLineEndings.NORMALIZE).readAllBytes())
                .isInstanceOf(EOFException.class);
    }

    @Test
    void aConnectionThatClosesAfterTheLimitIsStillAnEofNotARefusal() {
        assertThatThrownBy(() -> new DataReader(connection("x".repeat(100)), 10, BareLineEndings.NORMALIZE).readAllBytes())
                .isInstanceOf(EOFException.class)
                .isNotInstanceOf(MessageRejectedException.class);
    }

    @Test
    void closingReadsTheRestOfTheDataSoTheSessionStaysInStep() throws IOException {
        ByteArrayInputStream connection = connection("first line\r\nsecond line\r\n.\r\n" + NEXT_COMMAND);
        DataReader reader = new DataReader(connection, 1000, BareLineEndings.REJECT);
        assertThat(reader.readNBytes(5)).isEqualTo("first".getBytes(ISO_8859_1));
        reader.close();
        assertThat(remaining(connection)).isEqualTo(NEXT_COMMAND);
        assertThat(reader.read()).isEqualTo(-1);
    }

    @Test
    void reportsEightBitContent() throws IOException {
        DataReader seven = new DataReader(connection("plain\r\n.\r\n"), 100, BareLineEndings.REJECT);
        seven.readAllBytes();
        assertThat(seven.summary()).isEqualTo(new ContentSummary(7, false, 0));

        DataReader eight = new DataReader(connection("caf\u00e9\r\n.\r\n"), 100, BareLineEndings.REJECT);
        eight.readAllBytes();
        assertThat(eight.summary()).isEqualTo(new ContentSummary(6, true, 0));
    }

    @Test
    void letsLongLinesThroughButCountsThem() throws IOException {
        String fits = "x".repeat(ContentSummary.MAX_LINE_LENGTH);
        String tooLong = "y".repeat(ContentSummary.MAX_LINE_LENGTH + 1);
        String veryLong = "z".repeat(10 * ContentSummary.MAX_LINE_LENGTH);
        String data = fits + "\r\n" + tooLong + "\r\n" + fits + "\r\n" + veryLong + "\r\n";
        DataReader reader = new DataReader(connection(data + ".\r\n"), 1 << 20, BareLineEndings.REJECT);
        assertThat(readAll(reader)).isEqualTo(data);
        assertThat(reader.summary().longLines()).isEqualTo(2);
    }

    @Test
    void streamsALargeMessageWithoutHoldingIt() throws IOException {
        long lines = 200_000;
        String line = "The quick brown fox jumps over the lazy dog, again and again\r\n";
        InputStream generated = new InputStream() {
            private long sent;
            private int position;
            private final byte[] terminator = ".\r\nQUIT\r\n".getBytes(ISO_8859_1);

            @Override
            public int read() {
                if (sent < lines) {
                    int c = line.charAt(position++);
                    if (position == line.length()) {
                        position = 0;
                        sent++;
                    }
                    return c;
                }
                return position < terminator.length ? terminator[position++] & 0xff : -1;
            }
        };
        DataReader reader = new DataReader(generated, Long.MAX_VALUE, BareLineEndings.REJECT);
        byte[] buffer = new byte[8192];
        long total = 0;
        for (int n; (n = reader.read(buffer)) >= 0; ) total += n;
        assertThat(total).isEqualTo(lines * line.length());
        assertThat(reader.summary().size()).isEqualTo(total);
        assertThat(new String(generated.readAllBytes(), ISO_8859_1)).isEqualTo("QUIT\r\n");
    }
}
