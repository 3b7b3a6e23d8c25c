package org.cartero.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.BareLineEndings;
import org.junit.jupiter.api.Test;

class SmtpSettingsTest {

    private static SmtpSettings parse(String toml) throws ConfigException {
        return SmtpSettings.from(ConfigFile.parse(Path.of("/etc/cartero/cartero.toml"), toml).root().section("smtp"));
    }

    @Test
    void anAbsentSectionMeansTheDefaults() throws ConfigException {
        SmtpSettings s = parse("");
        assertThat(s.maxMessageSize()).isEqualTo(50L << 20);
        assertThat(s.maxRecipients()).isEqualTo(1000);
        assertThat(s.bareLineEndings()).isEqualTo(BareLineEndings.NORMALIZE);
        assertThat(s.queueLifetime()).isEqualTo(Duration.ofDays(5));
        assertThat(s.delayWarning()).isEqualTo(Duration.ofHours(4));
        assertThat(s.retryMin()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.retryMax()).isEqualTo(Duration.ofHours(1));
        assertThat(s.postmaster()).isEmpty();
        assertThat(s.srsDomain("mail.example.test")).isEqualTo("mail.example.test");
    }

    @Test
    void keysAreReadWithTheirUnits() throws ConfigException {
        SmtpSettings s = parse("""
                [smtp]
                max_message_size = "10M"
                bare_newline = "reject"
                postmaster = "hostmaster@example.test"
                srs_domain = "Fwd.Example.test"
                delay_warning = 0
                data_timeout = "90s"
                """);
        assertThat(s.maxMessageSize()).isEqualTo(10L << 20);
        assertThat(s.bareLineEndings()).isEqualTo(BareLineEndings.REJECT);
        assertThat(s.postmaster()).isEqualTo(Optional.of(MailAddress.parse("hostmaster@example.test")));
        assertThat(s.srsDomain("mail.example.test")).isEqualTo("fwd.example.test");
        assertThat(s.delayWarning()).isZero();
        assertThat(s.dataTimeout()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void badValuesAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> parse("[smtp]\nbare_newline = \"maybe\"\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining(":2:").hasMessageContaining("smtp.bare_newline");
        assertThatThrownBy(() -> parse("[smtp]\nmax_errors = 5\nerrors_before_delay = 6\n"))
                .hasMessageContaining("errors_before_delay");
        assertThatThrownBy(() -> parse("[smtp]\nretry_min = \"2h\"\nretry_max = \"1h\"\n")).hasMessageContaining("retry_max");
        assertThatThrownBy(() -> parse("[smtp]\npostmaster = \"nobody\"\n")).hasMessageContaining("smtp.postmaster");
        assertThatThrownBy(() -> parse("[smtp]\nqueue_lifetime = 0\n")).hasMessageContaining("smtp.queue_lifetime");
    }
}
