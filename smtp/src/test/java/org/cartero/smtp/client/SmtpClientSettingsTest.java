package org.cartero.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.config.HostPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpClientSettingsTest {

    @TempDir
    Path dir;

    private SmtpClientSettings read(String toml) throws ConfigException {
        ConfigFile file = ConfigFile.parse(dir.resolve("cartero.toml"), toml);
        SmtpClientSettings settings = SmtpClientSettings.from(file.root().section("smtp"));
        file.rejectUnknownKeys();
        return settings;
    }

    @Test
    void defaultsToMxDeliveryWithTheTimeoutsOfRfc5321() throws ConfigException {
        SmtpClientSettings settings = read("");

        assertThat(settings.relayHost()).isEmpty();
        assertThat(settings.relayCredentials()).isEmpty();
        assertThat(settings.relayRequireTls()).isFalse();
        assertThat(settings.routes()).isEmpty();
        assertThat(settings.tlsRequiredDomains()).isEmpty();
        assertThat(settings.dnsResolver()).isEmpty();
        assertThat(settings.dnsTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.ipv6()).isTrue();
        assertThat(settings.mxPort()).isEqualTo(25);
        assertThat(settings.maxConnectionsPerDestination()).isEqualTo(5);
        assertThat(settings.maxOutboundConnections()).isEqualTo(100);
        assertThat(settings.timeouts()).isEqualTo(new SmtpClientSettings.Timeouts(Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(10)));
    }

    @Test
    void readsEveryKey() throws Exception {
        Files.writeString(dir.resolve("relay.secret"), "pa ss word\nignored second line\n");

        SmtpClientSettings settings = read("""
                [smtp]
                relay_host = "smtp.provider.example:587"
                relay_user = "alice@provider.example"
                relay_password_file = "relay.secret"
                tls_required_domains = ["Bank.Example"]
                dns_resolver = "[::1]:5353"
                dns_timeout = "3s"
                ipv6 = false
                mx_port = 2525
                max_connections_per_destination = 2
                max_outbound_connections = 20

                [smtp.routes]
                "example.org" = "10.0.0.5:25"
                "B\u00fccher.example" = "[2001:db8::25]:25"

                [smtp.client_timeouts]
                connect = "10s"
                data_done = "15m"
                """);

        assertThat(settings.relayHost()).contains(new HostPort("smtp.provider.example", 587));
        assertThat(settings.relayCredentials()).hasValueSatisfying(c -> {
            assertThat(c.user()).isEqualTo("alice@provider.example");
            assertThat(c.password()).isEqualTo("pa ss word");
            assertThat(c.toString()).doesNotContain("pa ss word");
        });
        assertThat(settings.relayRequireTls()).as("credentials only go over TLS").isTrue();
        assertThat(settings.tlsRequiredDomains()).isEqualTo(Set.of("bank.example"));
        assertThat(settings.routes()).isEqualTo(Map.of(
                "example.org", new HostPort("10.0.0.5", 25),
                "xn--bcher-kva.example", new HostPort("2001:db8::25", 25)));
        assertThat(settings.dnsResolver()).contains(new HostPort("::1", 5353));
        assertThat(settings.dnsTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(settings.ipv6()).isFalse();
        assertThat(settings.mxPort()).isEqualTo(2525);
        assertThat(settings.maxConnectionsPerDestination()).isEqualTo(2);
        assertThat(settings.maxOutboundConnections()).isEqualTo(20);
        assertThat(settings.timeouts().connect()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.timeouts().dataDone()).isEqualTo(Duration.ofMinutes(15));
        assertThat(settings.timeouts().greeting()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesCredentialsWithoutTheirPartnerOrWithoutTls() throws Exception {
        Files.writeString(dir.resolve("secret"), "x\n");

        assertThatThrownBy(() -> read("[smtp]\nrelay_host = \"r.example:25\"\nrelay_user = \"a\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cartero.toml:3: smtp.relay_user: relay_user and relay_password_file go together");
        assertThatThrownBy(() -> read("[smtp]\nrelay_user = \"a\"\nrelay_password_file = \"secret\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("relay credentials need a relay_host");
        assertThatThrownBy(() -> read("[smtp]\nrelay_host = \"r.example:25\"\nrelay_user = \"a\"\nrelay_password_file = \"secret\"\nrelay_require_tls = false\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("only ever sent over TLS");
        assertThatThrownBy(() -> read("[smtp]\nrelay_host = \"r.example:25\"\nrelay_user = \"a\"\nrelay_password_file = \"missing\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.relay_password_file: cannot read");
    }

    @Test
    void explainsARouteWrittenWithoutQuotes() {
        assertThatThrownBy(() -> read("[smtp.routes]\nexample.org = \"10.0.0.5:25\"\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("smtp.routes.example: expected a string, got a table (write the domain in quotes");
    }

    @Test
    void refusesBadValues() {
        assertThatThrownBy(() -> read("[smtp.routes]\n\"example.org\" = \"10.0.0.5\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected \"host:port\"");
        assertThatThrownBy(() -> read("[smtp.routes]\n\"not a domain\" = \"10.0.0.5:25\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a domain");
        assertThatThrownBy(() -> read("[smtp]\ndns_resolver = \"dns.example:53\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.dns_resolver: must be an IP address and port");
        assertThatThrownBy(() -> read("[smtp]\nmax_connections_per_destination = 0\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be between 1 and");
        assertThatThrownBy(() -> read("[smtp.client_timeouts]\nrcpt = \"5m\"\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("smtp.client_timeouts.rcpt: unknown key");
    }
}
