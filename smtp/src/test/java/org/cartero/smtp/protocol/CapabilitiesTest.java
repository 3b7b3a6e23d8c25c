package org.cartero.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    private static Capabilities parse(String wire) throws IOException {
        return Capabilities.parse(new ReplyReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII))).read());
    }

    @Test
    void readsKeywordsAndTheirParameters() throws IOException {
        Capabilities capabilities = parse("""
                250-mx.example.org Hello client.example.com\r
                250-PIPELINING\r
                250-SIZE 52428800\r
                250-8bitmime\r
                250-AUTH PLAIN login\r
                250-ENHANCEDSTATUSCODES\r
                250-X-CUSTOM a b c\r
                250 SMTPUTF8\r
                """);
        assertThat(capabilities.greeting()).isEqualTo("mx.example.org Hello client.example.com");
        assertThat(capabilities.supports(Extension.PIPELINING)).isTrue();
        assertThat(capabilities.supports(Extension.EIGHT_BIT_MIME)).isTrue();
        assertThat(capabilities.supports(Extension.SMTPUTF8)).isTrue();
        assertThat(capabilities.supports(Extension.CHUNKING)).isFalse();
        assertThat(capabilities.sizeLimit()).hasValue(52_428_800);
        assertThat(capabilities.authMechanisms()).containsExactly("PLAIN", "LOGIN");
        assertThat(capabilities.extensions()).containsEntry("X-CUSTOM", List.of("a", "b", "c"));
    }

    @Test
    void sizeWithoutANumberOrZeroMeansNoFixedLimit() throws IOException {
        assertThat(parse("250-mx\r\n250 SIZE\r\n").sizeLimit()).isEmpty();
        assertThat(parse("250-mx\r\n250 SIZE 0\r\n").sizeLimit()).isEmpty();
        assertThat(parse("250-mx\r\n250 SIZE lots\r\n").sizeLimit()).isEmpty();
        assertThat(parse("250 mx\r\n").sizeLimit()).isEmpty();
    }

    @Test
    void theServersReplyReadsBackTheSame() throws IOException {
        Map<String, List<String>> extensions = new LinkedHashMap<>();
        extensions.put("PIPELINING", List.of());
        extensions.put("SIZE", List.of("10485760"));
        extensions.put("AUTH", List.of("PLAIN", "LOGIN"));
        extensions.put("CHUNKING", List.of());
        Capabilities offered = new Capabilities("mx.example.org greets client.example.com", extensions);
        assertThat(offered.toReply().wireText()).isEqualTo("""
                250-mx.example.org greets client.example.com\r
                250-PIPELINING\r
                250-SIZE 10485760\r
                250-AUTH PLAIN LOGIN\r
                250 CHUNKING\r
                """);
        assertThat(parse(offered.toReply().wireText())).isEqualTo(offered);
    }

    @Test
    void onlyAPositiveReplyIsAnEhloReply() {
        assertThatThrownBy(() -> Capabilities.parse(Reply.of(502, "5.5.1", "EHLO not supported")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
