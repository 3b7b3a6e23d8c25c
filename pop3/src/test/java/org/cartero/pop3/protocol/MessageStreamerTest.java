package org.cartero.pop3.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageStreamerTest {
    private final MessageStreamer streamer = new MessageStreamer();

    private String send(String message, long bodyLines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        streamer.send(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)), out, bodyLines);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private String retr(String message) throws IOException {
        return send(message, MessageStreamer.WHOLE_MESSAGE);
    }

    @Test
    void aCrlfMessageGoesOutAsItIsThenTheEndLine() throws IOException {
        assertThat(retr("Subject: hi\r\n\r\nbody\r\n")).isEqualTo("Subject: hi\r\n\r\nbody\r\n.\r\n");
    }

    @Test
    void linesBeginningWithADotAreByteStuffed() throws IOException {
        assertThat(retr(".hidden: x\r\n\r\n.\r\n..\r\na.b\r\n.end"))
                .isEqualTo("..hidden: x\r\n\r\n..\r\n...\r\na.b\r\n..end\r\n.\r\n");
    }

    @Test
    void bareLfLineEndsGoOutAsCrlf() throws IOException {
        assertThat(retr("Subject: hi\n\nline one\n.line two\n")).isEqualTo("Subject: hi\r\n\r\nline one\r\n..line two\r\n.\r\n");
    }

    @Test
    void anUnterminatedLastLineIsEnded() throws IOException {
        assertThat(retr("Subject: hi\r\n\r\nno end")).isEqualTo("Subject: hi\r\n\r\nno end\r\n.\r\n");
        assertThat(retr("Subject: hi\r\n\r\nends in CR\r")).isEqualTo("Subject: hi\r\n\r\nends in CR\r\n.\r\n");
    }

    @Test
    void aBareCrInsideALineIsKeptAndDoesNotStartALine() throws IOException {
        assertThat(retr("a\r.b\r\n")).isEqualTo("a\r.b\r\n.\r\n");
    }

    @Test
    void anEmptyMessageIsJustTheEndLine() throws IOException {
        assertThat(retr("")).isEqualTo(".\r\n");
    }

    @Test
    void topSendsTheHeaderTheBlankLineAndNBodyLines() throws IOException {
        String message = "A: 1\r\nB: 2\r\n\r\none\r\n.two\r\nthree\r\n";
        assertThat(send(message, 0)).isEqualTo("A: 1\r\nB: 2\r\n\r\n.\r\n");
        assertThat(send(message, 2)).isEqualTo("A: 1\r\nB: 2\r\n\r\none\r\n..two\r\n.\r\n");
        assertThat(send(message, 3)).isEqualTo("A: 1\r\nB: 2\r\n\r\none\r\n..two\r\nthree\r\n.\r\n");
        assertThat(send(message, 100)).isEqualTo(retr(message));
    }

    @Test
    void topOfAMessageWithoutBodySendsItAll() throws IOException {
        assertThat(send("A: 1\r\nB: 2\r\n", 0)).isEqualTo("A: 1\r\nB: 2\r\n.\r\n");
    }

    @Test
    void topStopsReadingOnceItHasItsLines() throws IOException {
        byte[] header = "A: 1\r\n\r\nfirst\r\n".getBytes(StandardCharsets.US_ASCII);
        InputStream endless = new InputStream() {
            int position;

            @Override
            public int read() {
                return position < header.length ? header[position++] : 'x';
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        streamer.send(endless, out, 1);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("A: 1\r\n\r\nfirst\r\n.\r\n");
    }

    @Test
    void linesThatSpanReadChunksAreStuffedAndEndedCorrectly() throws IOException {
        // A stream that hands out one octet per read, so every state crosses a chunk boundary.
        String message = "S: x\n\n.a\r\n.\nb\r";
        InputStream trickle = new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        streamer.send(trickle, out, MessageStreamer.WHOLE_MESSAGE);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("S: x\r\n\r\n..a\r\n..\r\nb\r\n.\r\n");
    }

    @Test
    void aLargeMessageRoundTripsThroughTheClientsUnstuffing() throws IOException {
        Random random = new Random(42);
        StringBuilder message = new StringBuilder("Subject: big\r\n\r\n");
        while (message.length() < 200_000) {
            message.append(random.nextInt(4) == 0 ? "." : "").append("x".repeat(random.nextInt(100))).append("\r\n");
        }
        String wire = retr(message.toString());
        assertThat(wire).endsWith("\r\n.\r\n");
        // What a client does (RFC 1939 section 3): drop the end line, then one leading dot per line.
        String body = wire.substring(0, wire.length() - 3).replace("\r\n..", "\r\n.");
        assertThat(body.startsWith("..") ? body.substring(1) : body).isEqualTo(message.toString());
    }
}
