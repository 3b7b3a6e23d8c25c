package org.cartero.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MailAddressTest {

    @Test
    void splitsAtTheLastAtAndLowersTheDomainOnly() {
        MailAddress a = MailAddress.parse("Alice.Smith@Example.TEST");
        assertThat(a.localPart()).isEqualTo("Alice.Smith");
        assertThat(a.domain()).isEqualTo("example.test");
        assertThat(a.canonical().toString()).isEqualTo("alice.smith@example.test");
    }

    @Test
    void quotedLocalPartsMayHoldAtSignsAndSpaces() {
        MailAddress a = MailAddress.parse("\"john@home doe\"@example.test");
        assertThat(a.localPart()).isEqualTo("\"john@home doe\"");
        assertThat(a.domain()).isEqualTo("example.test");
    }

    @Test
    void internationalisedAddressesNeedUtf8() {
        MailAddress a = MailAddress.parse("josé@exämple.test");
        assertThat(a.needsUtf8()).isTrue();
        assertThat(MailAddress.parse("jose@example.test").needsUtf8()).isFalse();
    }

    @Test
    void addressLiteralsAreDomains() {
        assertThat(MailAddress.parse("postmaster@[127.0.0.1]").domain()).isEqualTo("[127.0.0.1]");
        assertThat(MailAddress.parse("postmaster@[IPv6:2001:db8::1]").domain()).isEqualTo("[ipv6:2001:db8::1]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", "@example.test", "alice@", ".alice@example.test", "al..ice@example.test",
            "alice.@example.test", "al ice@example.test", "alice@exa mple.test", "alice@-example.test",
            "alice@example..test", "\"unterminated@example.test", "\"\"@example.test", "a<b@example.test"})
    void refusesMalformedAddresses(String text) {
        assertThatThrownBy(() -> MailAddress.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
