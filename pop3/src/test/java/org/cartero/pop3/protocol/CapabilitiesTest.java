package org.cartero.pop3.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    private final Capabilities plain = new Capabilities(-1, null, List.of("PLAIN", "LOGIN"));

    @Test
    void beforeLoginOverTlsEverythingForLoggingInIsListedButStls() {
        assertThat(plain.lines(true, true, true)).containsExactly(
                "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "USER", "SASL PLAIN LOGIN",
                "UTF8 USER", "IMPLEMENTATION Cartero");
    }

    @Test
    void beforeTlsWithoutPasswordsNeitherUserNorSaslButStls() {
        assertThat(plain.lines(true, false, false)).containsExactly(
                "TOP", "UIDL", "RESP-CODES", "PIPELINING", "AUTH-RESP-CODE", "STLS", "UTF8", "IMPLEMENTATION Cartero");
    }

    @Test
    void afterLoginOnlyWhatConcernsTheTransactionState() {
        assertThat(plain.lines(false, true, true)).containsExactly(
                "TOP", "UIDL", "RESP-CODES", "PIPELINING", "UTF8", "IMPLEMENTATION Cartero");
    }

    @Test
    void expireAndLoginDelayOnlyWhenConfigured() {
        Capabilities configured = new Capabilities(900, "NEVER", List.of("PLAIN"));
        assertThat(configured.lines(false, true, true)).contains("EXPIRE NEVER", "LOGIN-DELAY 900");
        assertThat(configured.lines(true, true, true)).contains("EXPIRE NEVER", "LOGIN-DELAY 900");
        assertThat(plain.lines(false, true, true)).noneMatch(l -> l.startsWith("EXPIRE") || l.startsWith("LOGIN-DELAY"));
    }
}
