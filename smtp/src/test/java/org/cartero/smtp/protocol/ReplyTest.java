package org.cartero.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {

    @Test
    void oneLineWithEnhancedCode() {
        assertThat(Reply.of(250, "2.1.0", "Sender OK").wireText()).isEqualTo("250 2.1.0 Sender OK\r\n");
    }

    @Test
    void everyLineOfAMultiLineReplyCarriesTheCodes() {
        Reply reply = Reply.of(214, "2.0.0", List.of("Commands:", "EHLO MAIL RCPT", "See RFC 5321"));
        assertThat(reply.wireText()).isEqualTo("214-2.0.0 Commands:\r\n214-2.0.0 EHLO MAIL RCPT\r\n214 2.0.0 See RFC 5321\r\n");
    }

    @Test
    void repliesWithoutEnhancedCode() {
        assertThat(Reply.of(354, "End data with <CR><LF>.<CR><LF>").wireText()).isEqualTo("354 End data with <CR><LF>.<CR><LF>\r\n");
        assertThat(new Reply(250, null, List.of("mx.example.org", "PIPELINING", "SIZE 1000")).wireText())
                .isEqualTo("250-mx.example.org\r\n250-PIPELINING\r\n250 SIZE 1000\r\n");
        assertThat(Reply.of(334, "").wireText()).isEqualTo("334 \r\n");
        assertThat(Reply.of(250, "2.0.0", "").wireText()).isEqualTo("250 2.0.0\r\n");
    }

    @Test
    void controlCharactersCannotInjectALine() {
        Reply reply = Reply.of(550, "5.1.1", "<a\r\n250 2.0.0 OK\u0000> unknown");
        assertThat(reply.wireText()).isEqualTo("550 5.1.1 <a??250 2.0.0 OK?> unknown\r\n");
        assertThat(Reply.of(250, "2.0.0", "tab\tstays").wireText()).isEqualTo("250 2.0.0 tab\tstays\r\n");
    }

    @Test
    void writesUtf8() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Reply.of(250, "2.1.5", "<jörg@example.org> OK").writeTo(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("250 2.1.5 <jörg@example.org> OK\r\n");
    }

    @Test
    void refusesCodesOutsideTheGrammar() {
        assertThatThrownBy(() -> Reply.of(199, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(600, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(260, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reply(250, null, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enhancedCodeMustBeWellFormedAndAgreeWithTheReplyCode() {
        assertThatThrownBy(() -> Reply.of(550, "4.1.1", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(550, "5.1", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reply.of(550, "5.1.1000", "x")).isInstanceOf(IllegalArgumentException.class);
        // RFC 2034 section 4: never on 3xx replies
        assertThatThrownBy(() -> Reply.of(354, "3.0.0", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Reply.of(552, "5.3.4", "x").enhancedCode()).isEqualTo("5.3.4");
        assertThat(Reply.of(452, "4.5.3", "x").enhancedCode()).isEqualTo("4.5.3");
    }

    @Test
    void classifiesReplies() {
        assertThat(Reply.of(250, "2.0.0", "x").isPositive()).isTrue();
        assertThat(Reply.of(354, "x").isIntermediate()).isTrue();
        assertThat(Reply.of(451, "4.3.0", "x").isTransientFailure()).isTrue();
        assertThat(Reply.of(550, "5.1.1", "x").isPermanentFailure()).isTrue();
        assertThat(Reply.of(221, "2.0.0", "Bye").closesConnection()).isTrue();
        assertThat(Reply.of(421, "4.4.2", "Timeout").closesConnection()).isTrue();
        assertThat(Reply.of(521, "5.5.4", "Closing").closesConnection()).isTrue();
        assertThat(Reply.of(550, "5.1.1", "x").closesConnection()).isFalse();
        assertThat(Reply.of(550, "5.1.1", List.of("a", "b"))).hasToString("550 5.1.1 a b");
    }
}
