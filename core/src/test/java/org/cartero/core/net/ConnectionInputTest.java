package org.cartero.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;

class ConnectionInputTest {
    private static final int MAX = 1024;

    private static ConnectionInput input(String text) {
        return new ConnectionInput(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), MAX);
    }

    /** Hands out at most {@code chunk} bytes per read, as a slow network does. */
    private static ConnectionInput trickling(byte[] bytes, int chunk) {
        InputStream source = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] into, int offset, int length) {
                return super.read(into, offset, Math.min(length, chunk));
            }
        };
        return new ConnectionInput(source, MAX);
    }

    @Test
    void linesEndWithCrlfOrBareLf() throws IOException {
        ConnectionInput in = input("EHLO a\r\nNOOP\nQUIT\r\n");
        assertThat(in.readLine()).isEqualTo("EHLO a");
        assertThat(in.readLine()).isEqualTo("NOOP");
        assertThat(in.readLine()).isEqualTo("QUIT");
        assertThat(in.readLine()).isNull();
    }

    @Test
    void aBareCrStaysInsideTheLine() throws IOException {
        assertThat(input("a\rb\r\n").readLine()).isEqualTo("a\rb");
    }

    @Test
    void emptyLinesAreLines() throws IOException {
        ConnectionInput in = input("\r\n\n");
        assertThat(in.readLine()).isEmpty();
        assertThat(in.readLine()).isEmpty();
        assertThat(in.readLine()).isNull();
    }

    @Test
    void linesAreUtf8() throws IOException {
        assertThat(input("ECHO Grüße 日本\r\n").readLine()).isEqualTo("ECHO Grüße 日本");
    }

    @Test
    void anUnterminatedLastFragmentIsNoLine() throws IOException {
        ConnectionInput in = input("QUIT\r\nDAT");
        assertThat(in.readLine()).isEqualTo("QUIT");
        assertThat(in.readLine()).isNull();
    }

    @Test
    void aLineSplitAcrossReadsIsJoined() throws IOException {
        byte[] bytes = ("A".repeat(700) + "\r\nB\r\n").getBytes(StandardCharsets.US_ASCII);
        ConnectionInput in = trickling(bytes, 3);
        assertThat(in.readLine()).isEqualTo("A".repeat(700));
        assertThat(in.readLine()).isEqualTo("B");
    }

    @Test
    void aCrAndItsLfInDifferentReadsEndOneLine() throws IOException {
        ConnectionInput in = trickling("ab\r\ncd\r\n".getBytes(StandardCharsets.US_ASCII), 3);
        assertThat(in.readLine()).isEqualTo("ab");
        assertThat(in.readLine()).isEqualTo("cd");
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() throws IOException {
        String longest = "x".repeat(MAX);
        ConnectionInput in = trickling((longest + "\r\n" + longest + "\n").getBytes(StandardCharsets.US_ASCII), 100);
        assertThat(in.readLine()).isEqualTo(longest);
        assertThat(in.readLine()).isEqualTo(longest);
    }

    @Test
    void aLongerLineIsDroppedWholeAndTheNextLineReads() throws IOException {
        String tooLong = "y".repeat(MAX + 1);
        ConnectionInput in = input(tooLong + "\r\nNEXT\r\n");
        assertThatThrownBy(in::readLine).isInstanceOf(LineTooLongException.class)
                .hasMessageContaining(String.valueOf(MAX));
        assertThat(in.readLine()).isEqualTo("NEXT");
    }

    @Test
    void aHugeLineArrivingInPiecesIsDroppedWithoutHoldingIt() throws IOException {
        byte[] bytes = ("z".repeat(200_000) + "\r\nNEXT\r\n").getBytes(StandardCharsets.US_ASCII);
        ConnectionInput in = trickling(bytes, 4096);
        assertThatThrownBy(in::readLine).isInstanceOf(LineTooLongException.class);
        assertThat(in.readLine()).isEqualTo("NEXT");
    }

    @Test
    void anEndlessLineEndsTheStream() throws IOException {
        ConnectionInput in = input("z".repeat(5000));
        assertThatThrownBy(in::readLine).isInstanceOf(LineTooLongException.class);
        assertThat(in.readLine()).isNull();
    }

    @Test
    void linesAndBytesComeFromTheSameBuffer() throws IOException {
        ConnectionInput in = input("APPEND {5}\r\nHELLO rest\r\nNEXT\r\n");
        assertThat(in.readLine()).isEqualTo("APPEND {5}");
        byte[] literal = in.readNBytes(5);
        assertThat(new String(literal, StandardCharsets.US_ASCII)).isEqualTo("HELLO");
        assertThat(in.readLine()).isEqualTo(" rest");
        assertThat(in.read()).isEqualTo('N');
        assertThat(in.readLine()).isEqualTo("EXT");
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void largeReadsAfterALineGetEveryByteInOrder() throws IOException {
        byte[] body = new byte[100_000];
        for (int i = 0; i < body.length; i++) body[i] = (byte) i;
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write("DATA\r\n".getBytes(StandardCharsets.US_ASCII));
        all.write(body);
        ConnectionInput in = trickling(all.toByteArray(), 1500);
        assertThat(in.readLine()).isEqualTo("DATA");
        assertThat(in.readAllBytes()).isEqualTo(body);
    }

    @Test
    void aLinePartStopsAfterItsLfAndLeavesTheRestForTheNextRead() throws IOException {
        ConnectionInput in = trickling("ab\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII), 3);
        byte[] part = new byte[100];
        assertThat(new String(part, 0, in.readLinePart(part, 0, 100), StandardCharsets.US_ASCII)).isEqualTo("ab\r");
        assertThat(new String(part, 0, in.readLinePart(part, 0, 100), StandardCharsets.US_ASCII)).isEqualTo("\n");
        assertThat(new String(part, 0, in.readLinePart(part, 0, 1), StandardCharsets.US_ASCII)).isEqualTo(".");
        // what has arrived of the line, and no more
        assertThat(new String(part, 0, in.readLinePart(part, 0, 100), StandardCharsets.US_ASCII)).isEqualTo("\r");
        assertThat(new String(part, 0, in.readLinePart(part, 0, 100), StandardCharsets.US_ASCII)).isEqualTo("\n");
        assertThat(in.readLine()).isEqualTo("QUIT");
        assertThat(in.readLinePart(part, 0, 100)).isEqualTo(-1);
    }

    @Test
    void otherStreamsGiveLinePartsThroughMarkAndResetOrOctetByOctet() throws IOException {
        byte[] wire = "first line\r\nsecond\r\n".getBytes(StandardCharsets.US_ASCII);
        InputStream withoutMark = new InputStream() {
            private final InputStream in = new ByteArrayInputStream(wire);

            @Override
            public int read() throws IOException {
                return in.read();
            }
        };
        for (InputStream stream : new InputStream[] {new ByteArrayInputStream(wire), withoutMark}) {
            LineInput lines = LineInput.of(stream);
            byte[] part = new byte[100];
            assertThat(new String(part, 0, lines.readLinePart(part, 0, 100), StandardCharsets.US_ASCII)).isEqualTo("first line\r\n");
            assertThat(new String(part, 0, lines.readLinePart(part, 0, 3), StandardCharsets.US_ASCII)).isEqualTo("sec");
            assertThat(new String(stream.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ond\r\n");
            assertThat(lines.readLinePart(part, 0, 100)).isEqualTo(-1);
        }
    }

    @Test
    void discardingDropsWhatWasReceivedButNotRead() throws IOException {
        ConnectionInput in = input("STARTTLS\r\nECHO injected\r\n");
        assertThat(in.readLine()).isEqualTo("STARTTLS");
        assertThat(in.discardBuffered()).isEqualTo("ECHO injected\r\n".length());
        in.replaceSource(new ByteArrayInputStream("ECHO after\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(in.readLine()).isEqualTo("ECHO after");
    }

    @Test
    void aLayerDecodesTheBytesAlreadyReceivedAndTheRest() throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, new Deflater(6, true), true)) {
            deflate.write("ECHO one\r\nECHO two\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write("COMPRESS DEFLATE\r\n".getBytes(StandardCharsets.US_ASCII));
        compressed.writeTo(wire);
        ConnectionInput in = trickling(wire.toByteArray(), 4096); // one read takes the command and compressed bytes
        assertThat(in.readLine()).isEqualTo("COMPRESS DEFLATE");
        in.addLayer(below -> new InflaterInputStream(below, new Inflater(true)));
        assertThat(in.readLine()).isEqualTo("ECHO one");
        assertThat(in.readLine()).isEqualTo("ECHO two");
    }
}
