package org.cartero.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyReaderTest {

    private static ReplyReader reader(String wire) {
        return new ReplyReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }

    private static Reply read(String wire) throws IOException {
        return reader(wire).read();
    }

    @Test
    void readsAOneLineReply() throws IOException {
        assertThat(read("220 mx.example.org ESMTP ready\r\n")).isEqualTo(new Reply(220, null, List.of("mx.example.org ESMTP ready")));
    }

    @Test
    void takesTheEnhancedCodeFromTheText() throws IOException {
        assertThat(read("250 2.1.0 Sender OK\r\n")).isEqualTo(Reply.of(250, "2.1.0", "Sender OK"));
        assertThat(read("550 5.1.1\r\n")).isEqualTo(Reply.of(550, "5.1.1", ""));
    }

    @Test
    void leavesATextThatOnlyLooksLikeACodeAlone() throws IOException {
        // the class disagrees with the reply code
        assertThat(read("550 2.0.0 odd\r\n")).isEqualTo(new Reply(550, null, List.of("2.0.0 odd")));
        // not followed by a space
        assertThat(read("250 2.0.0.1 version\r\n")).isEqualTo(new Reply(250, null, List.of("2.0.0.1 version")));
    }

    @Test
    void readsAMultiLineReply() throws IOException {
        Reply reply = read("250-mx.example.org greets you\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n");
        assertThat(reply.code()).isEqualTo(250);
        assertThat(reply.enhancedCode()).isNull();
        assertThat(reply.lines()).containsExactly("mx.example.org greets you", "PIPELINING", "SIZE 10240000", "8BITMIME");
    }

    @Test
    void stripsTheEnhancedCodeFromEveryLineThatCarriesIt() throws IOException {
        Reply reply = read("452-4.5.3 Too many recipients\r\n452-4.5.3 try again\r\n452 later\r\n");
        assertThat(reply).isEqualTo(Reply.of(452, "4.5.3", List.of("Too many recipients", "try again", "later")));
    }

    @Test
    void readsACodeWithoutText() throws IOException {
        assertThat(read("250\r\n")).isEqualTo(new Reply(250, null, List.of("")));
        assertThat(read("250-\r\n250\r\n").lines()).containsExactly("", "");
    }

    @Test
    void takesABareLfAsALineEnd() throws IOException {
        assertThat(read("250-a\n250 b\n").lines()).containsExactly("a", "b");
    }

    @Test
    void readsPipelinedRepliesOneByOne() throws IOException {
        ReplyReader reader = reader("250 2.1.0 OK\r\n250 2.1.5 OK\r\n354 Go ahead\r\n");
        assertThat(reader.read().enhancedCode()).isEqualTo("2.1.0");
        assertThat(reader.read().enhancedCode()).isEqualTo("2.1.5");
        assertThat(reader.read()).isEqualTo(Reply.of(354, "Go ahead"));
        assertThatThrownBy(reader::read).isInstanceOf(EOFException.class);
    }

    @Test
    void readsBackWhatReplyWrites() throws IOException {
        for (Reply reply : new Reply[] {
                Reply.of(250, "2.0.0", List.of("first", "second", "third")),
                Reply.of(221, "2.0.0", "Bye"),
                Reply.of(354, "Start mail input"),
                Reply.of(550, "5.7.1", "<jörg@example.org>: relay access denied"),
                new Reply(250, null, List.of("mx.example.org", "SIZE 100", "AUTH PLAIN LOGIN"))}) {
            assertThat(read(reply.wireText())).isEqualTo(reply);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "hello\r\n", "25\r\n", "2500 x\r\n", "250x\r\n", "199 x\r\n", "600 x\r\n", "260 x\r\n", "2a0 x\r\n",
            "250-a\r\n251 b\r\n", "250-a\r\n550 b\r\n", "\r\n", " 250 x\r\n"})
    void refusesMalformedReplies(String wire) {
        assertThatThrownBy(() -> read(wire)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void aConnectionThatClosesMidReplyIsAnEof() {
        assertThatThrownBy(() -> read("")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("250-a\r\n")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> read("250 a")).isInstanceOf(EOFException.class);
    }

    @Test
    void boundsLinesAndReplies() throws IOException {
        String longest = "250 " + "x".repeat(ReplyReader.MAX_LINE_OCTETS - 6) + "\r\n";
        assertThat(read(longest).lines().getFirst()).hasSize(ReplyReader.MAX_LINE_OCTETS - 6);
        assertThatThrownBy(() -> read("250 " + "x".repeat(ReplyReader.MAX_LINE_OCTETS - 5) + "\r\n"))
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read("250-x\r\n".repeat(ReplyReader.MAX_LINES) + "250 x\r\n"))
                .isInstanceOf(ProtocolException.class);
    }
}
