package org.cartero.pop3.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigFile;
import org.junit.jupiter.api.Test;

class Pop3SettingsTest {
    private static final Path FILE = Path.of("/etc/cartero/cartero.toml");

    private static Pop3Settings parse(String toml) throws ConfigException {
        return Pop3Settings.from(ConfigFile.parse(FILE, toml).root().section("pop3"));
    }

    @Test
    void withoutASectionNothingIsAnnouncedAndTenBadCommandsAreAllowed() throws Exception {
        assertThat(parse("")).isEqualTo(Pop3Settings.DEFAULTS);
        assertThat(Pop3Settings.DEFAULTS).isEqualTo(new Pop3Settings(null, null, 10));
    }

    @Test
    void everyKeyIsRead() throws Exception {
        assertThat(parse("[pop3]\nlogin_delay = \"15m\"\nexpire = \"never\"\nmax_bad_commands = 3\n"))
                .isEqualTo(new Pop3Settings(Duration.ofMinutes(15), Pop3Settings.Expire.NEVER, 3));
        assertThat(parse("[pop3]\nexpire = \"retrieved\"\n").expire()).isEqualTo(Pop3Settings.Expire.RETRIEVED);
    }

    @Test
    void badValuesAreErrorsThatNameTheLineAndKey() {
        assertThatThrownBy(() -> parse("[pop3]\nexpire = \"30d\"\n"))
                .hasMessage(FILE + ":2: pop3.expire: expected \"never\" or \"retrieved\", got \"30d\"");
        assertThatThrownBy(() -> parse("[pop3]\nlogin_delay = \"0s\"\n"))
                .hasMessage(FILE + ":2: pop3.login_delay: must be at least 1s; leave it out for no delay");
        assertThatThrownBy(() -> parse("[pop3]\nmax_bad_commands = 0\n"))
                .hasMessageContaining("pop3.max_bad_commands: must be between 1 and 1000");
    }
}
