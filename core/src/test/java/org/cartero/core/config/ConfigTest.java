package org.cartero.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    @TempDir
    Path dir;

    private Config load(String toml) throws Exception {
        Path file = dir.resolve("cartero.toml");
        Files.writeString(file, toml);
        return Config.load(file);
    }

    private ConfigException failure(String toml) {
        Path file = dir.resolve("cartero.toml");
        try {
            Files.writeString(file, toml);
            Config.load(file);
        } catch (ConfigException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected the configuration to be refused:\n" + toml);
    }

    @Test
    void theIssuesExampleLoadsWithEveryKey() throws Exception {
        Config c = load("""
                hostname = "Mail.Example.Test"
                data_dir = "state"
                [listen]
                smtp = ["0.0.0.0:25"]
                submission = ["0.0.0.0:587", "0.0.0.0:2525"]
                submissions = ["0.0.0.0:465"]
                imap = ["0.0.0.0:143"]
                imaps = ["[::]:993"]
                pop3 = ["0.0.0.0:110"]
                pop3s = ["0.0.0.0:995"]
                [tls]
                certificate = "/etc/ssl/certs/mail.pem"
                private_key = "/etc/ssl/private/mail.key"
                [local]
                domains = ["localhost"]
                passwd_file = "/etc/passwd"
                spool_dir = "/var/mail"
                aliases_file = "/etc/aliases"
                """);
        assertThat(c.hostname()).isEqualTo("mail.example.test");
        assertThat(c.dataDir()).isEqualTo(dir.resolve("state"));
        assertThat(c.listen().get(Service.SUBMISSION))
                .containsExactly(new HostPort("0.0.0.0", 587), new HostPort("0.0.0.0", 2525));
        assertThat(c.listen().get(Service.IMAPS)).containsExactly(new HostPort("::", 993));
        assertThat(c.tls().certificate()).isEqualTo(Path.of("/etc/ssl/certs/mail.pem"));
        assertThat(c.local().domains()).containsExactly("mail.example.test", "localhost");
        assertThat(c.local().spoolDir()).isEqualTo(Path.of("/var/mail"));
    }

    @Test
    void anEmptyFileMeansSafeDefaultsAndNoListeners() throws Exception {
        Config c = load("");
        assertThat(c.listen()).isEmpty();
        assertThat(c.dataDir()).isEqualTo(Path.of("/var/lib/cartero"));
        assertThat(c.tls().selfSigned()).isTrue();
        assertThat(c.auth().plaintextOnLoopback()).isFalse();
        assertThat(c.timeouts().of(Service.Protocol.IMAP)).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.timeouts().of(Service.Protocol.POP3)).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.recipientDelimiter()).isEqualTo("+");
    }

    @Test
    void durationsAndSizesAcceptTheirUnits() throws Exception {
        Config c = load("""
                [timeouts]
                smtp = "90s"
                imap = 120
                pop3 = "2h"
                shutdown = "500ms"
                [auth]
                failure_window = "1d"
                """);
        assertThat(c.timeouts().smtp()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.timeouts().imap()).isEqualTo(Duration.ofSeconds(120));
        assertThat(c.timeouts().pop3()).isEqualTo(Duration.ofHours(2));
        assertThat(c.timeouts().shutdown()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.auth().failureWindow()).isEqualTo(Duration.ofDays(1));

        ConfigSection s = ConfigFile.parse(dir.resolve("x.toml"), "a = \"50M\"\nb = \"512KiB\"\nc = 7\n").root();
        assertThat(s.size("a", 0)).isEqualTo(50L << 20);
        assertThat(s.size("b", 0)).isEqualTo(512L << 10);
        assertThat(s.size("c", 0)).isEqualTo(7);
    }

    @Test
    void aTypoIsReportedWithItsLineAndKey() {
        ConfigException e = failure("""
                hostname = "mail.example.test"
                [listen]
                smtp = ["127.0.0.1:25"]
                imapz = ["127.0.0.1:143"]
                """);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.key()).isEqualTo("listen.imapz");
        assertThat(e.getMessage()).isEqualTo(dir.resolve("cartero.toml") + ":4: listen.imapz: unknown key");
    }

    @Test
    void anUnknownSectionIsReported() {
        ConfigException e = failure("hostname = \"a.test\"\n\n[lisen]\nsmtp = [\"127.0.0.1:25\"]\n");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).endsWith(":3: lisen: unknown section");
    }

    @Test
    void aBadValueNamesWhatWasExpected() {
        assertThat(failure("[listen]\nsmtp = [\"127.0.0.1\"]\n").getMessage())
                .endsWith(":2: listen.smtp: expected \"host:port\", got \"127.0.0.1\"");
        assertThat(failure("[listen]\nimap = [\"::1:143\"]\n").getMessage())
                .contains("listen.imap: write an IPv6 address in brackets");
        assertThat(failure("[limits]\nmax_connections = \"many\"\n").getMessage())
                .endsWith(":2: limits.max_connections: expected an integer, got \"many\"");
        assertThat(failure("[limits]\nmax_connections = 0\n").getMessage())
                .endsWith(":2: limits.max_connections: must be between 1 and 1000000, got 0");
        assertThat(failure("[timeouts]\nsmtp = \"soon\"\n").getMessage())
                .contains(":2: timeouts.smtp: expected a duration");
        assertThat(failure("hostname = \"bad host\"\n").getMessage())
                .endsWith(":1: hostname: not a valid host name: \"bad host\"");
        assertThat(failure("listen = 3\n").getMessage()).endsWith(":1: listen: expected a table [listen]");
    }

    @Test
    void certificateWithoutKeyIsRefused() {
        ConfigException e = failure("[tls]\ncertificate = \"cert.pem\"\n");
        assertThat(e.key()).isEqualTo("tls.private_key");
        assertThat(e.problem()).isEqualTo("certificate and private_key must be given together");
    }

    @Test
    void brokenTomlIsReportedWithItsLine() {
        ConfigException e = failure("hostname = \"a.test\"\n[listen\nsmtp = []\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).contains(":2: not valid TOML:");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.toml");
        assertThatThrownBy(() -> Config.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void relativePathsAreRelativeToTheConfigFile() throws Exception {
        Config c = load("data_dir = \"../var\"\n[local]\nspool_dir = \"spool\"\n");
        assertThat(c.dataDir()).isEqualTo(dir.getParent().resolve("var"));
        assertThat(c.local().spoolDir()).isEqualTo(dir.resolve("spool"));
    }

    @Test
    void mapTablesListTheirKeysInFileOrder() throws Exception {
        ConfigFile f = ConfigFile.parse(dir.resolve("c.toml"), """
                [smtp.routes]
                "example.org" = "127.0.0.1:2526"
                "a.example" = "[::1]:25"
                """);
        ConfigSection routes = f.root().section("smtp").section("routes");
        assertThat(routes.keys()).isEqualTo(List.of("example.org", "a.example"));
        assertThat(routes.address("a.example")).isEqualTo(new HostPort("::1", 25));
        f.rejectUnknownKeys();
    }
}
