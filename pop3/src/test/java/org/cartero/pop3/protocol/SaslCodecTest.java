package org.cartero.pop3.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SaslCodecTest {

    @Test
    void challengesAreBase64AfterAPlusAndASpace() {
        assertThat(SaslCodec.challenge("Username:".getBytes(StandardCharsets.US_ASCII))).isEqualTo("+ VXNlcm5hbWU6");
        assertThat(SaslCodec.challenge(new byte[0])).isEqualTo("+ ");
    }

    @Test
    void responsesAreDecodedAndAStarCancels() throws Exception {
        assertThat(SaslCodec.decodeResponse("YWxpY2U=")).isEqualTo("alice".getBytes(StandardCharsets.US_ASCII));
        assertThat(SaslCodec.decodeResponse("")).isEmpty();
        assertThat(SaslCodec.isCancel("*")).isTrue();
        assertThat(SaslCodec.isCancel("Kg==")).isFalse();
    }

    @Test
    void aResponseThatIsNotBase64IsRefused() {
        assertThatThrownBy(() -> SaslCodec.decodeResponse("not base64!"))
                .isInstanceOfSatisfying(Pop3Exception.class,
                        e -> assertThat(e.response().line()).isEqualTo("-ERR the SASL response is not valid base64"));
    }
}
