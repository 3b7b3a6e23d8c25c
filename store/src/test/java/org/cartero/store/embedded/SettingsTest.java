package org.cartero.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigFile;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void readsTheSharedKeysAndTheStoreSection() throws Exception {
        ConfigFile file = ConfigFile.parse(Path.of("/etc/cartero/cartero.toml"), """
                hostname = "mail.example.test"
                data_dir = "/srv/cartero"
                [local]
                spool_dir = "/var/spool/mail"
                maildir = "Mail"
                [store]
                lock_timeout = "5s"
                """);
        EmbeddedMailStore.Settings s = EmbeddedMailStore.Settings.from(Config.from(file), file);
        file.rejectUnknownKeys();
        assertThat(s.dataDir()).isEqualTo(Path.of("/srv/cartero"));
        assertThat(s.spoolDir()).isEqualTo(Path.of("/var/spool/mail"));
        assertThat(s.localMaildir()).isEqualTo("Mail");
        assertThat(s.hostname()).isEqualTo("mail.example.test");
        assertThat(s.lockTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void lockTimeoutDefaultsToThirtySecondsAndRejectsNonsense() throws Exception {
        ConfigFile file = ConfigFile.parse(Path.of("/c.toml"), "hostname = \"h.test\"\n");
        assertThat(EmbeddedMailStore.Settings.from(Config.from(file), file).lockTimeout()).isEqualTo(Duration.ofSeconds(30));
        ConfigFile bad = ConfigFile.parse(Path.of("/c.toml"), "hostname = \"h.test\"\n[store]\nlock_timeout = \"soon\"\n");
        assertThatThrownBy(() -> EmbeddedMailStore.Settings.from(Config.from(bad), bad))
                .isInstanceOf(ConfigException.class).hasMessageContaining("lock_timeout");
    }
}
