package org.cartero.smtp.srs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.cartero.core.mail.MailAddress;
import org.junit.jupiter.api.Test;

class SrsTest {
    private static final Instant DAY = Instant.parse("2026-11-26T10:00:00Z"); // day 20783: timestamp "JP"
    private final AtomicReference<Instant> now = new AtomicReference<>(DAY);
    private final Srs srs = new Srs("secret".getBytes(StandardCharsets.US_ASCII), "fwd.example.test", () -> now.get());

    @Test
    void forwardingWritesTheLibsrs2Format() {
        // The hash: base64 of HMAC-SHA1("secret", "jp" "elsewhere.test" "user"), first four characters,
        // as libsrs2 and postsrsd compute it.
        assertThat(srs.forward(MailAddress.parse("User@elsewhere.test")))
                .isEqualTo(MailAddress.parse("SRS0=lnHX=JP=elsewhere.test=User@fwd.example.test"));
    }

    @Test
    void theReverseLeadsBackEvenWhenCaseWasChanged() {
        MailAddress forwarded = srs.forward(MailAddress.parse("User@elsewhere.test"));
        assertThat(srs.reverse(forwarded)).contains(MailAddress.parse("User@elsewhere.test"));
        MailAddress lowered = MailAddress.parse(forwarded.toString().toLowerCase());
        assertThat(srs.reverse(lowered)).contains(MailAddress.parse("user@elsewhere.test"));
    }

    @Test
    void aForgedOrStaleAddressLeadsNowhere() {
        assertThat(srs.reverse(MailAddress.parse("SRS0=AAAA=JP=elsewhere.test=user@fwd.example.test"))).isEmpty();
        assertThat(srs.reverse(MailAddress.parse("SRS0=lnHX=JP=elsewhere.test@fwd.example.test"))).isEmpty();
        assertThat(srs.reverse(MailAddress.parse("plain@fwd.example.test"))).isEmpty();
        MailAddress forwarded = srs.forward(MailAddress.parse("User@elsewhere.test"));
        now.set(DAY.plus(Duration.ofDays(Srs.MAX_AGE_DAYS)));
        assertThat(srs.reverse(forwarded)).isPresent();
        now.set(DAY.plus(Duration.ofDays(Srs.MAX_AGE_DAYS + 1)));
        assertThat(srs.reverse(forwarded)).isEmpty();
    }

    @Test
    void anotherForwardersSrs0BecomesSrs1AndLeadsBackToIt() {
        MailAddress theirs = MailAddress.parse("SRS0=AbCd=6C=orig.test=joe@first.test");
        MailAddress ours = srs.forward(theirs);
        assertThat(ours).isEqualTo(MailAddress.parse("SRS1=k5VV=first.test==AbCd=6C=orig.test=joe@fwd.example.test"));
        assertThat(srs.reverse(ours)).contains(theirs);
        // Forwarded again by us: still one SRS1 pointing at the first forwarder.
        Srs second = new Srs("other".getBytes(StandardCharsets.US_ASCII), "third.test", InstantSource.fixed(DAY));
        MailAddress again = second.forward(ours);
        assertThat(again.localPart()).startsWith("SRS1=").endsWith("=first.test==AbCd=6C=orig.test=joe");
        assertThat(second.reverse(again)).contains(theirs);
    }

    @Test
    void ourOwnAddressesAreNotRewritten() {
        MailAddress local = MailAddress.parse("alice@fwd.example.test");
        assertThat(srs.forward(local)).isEqualTo(local);
        assertThat(Srs.isSrs("SRS0=x=y=z=w")).isTrue();
        assertThat(Srs.isSrs("srs0-x")).isTrue();
        assertThat(Srs.isSrs("SRS2=x")).isFalse();
    }
}
