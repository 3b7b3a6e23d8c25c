package org.cartero.server;

import java.nio.file.Path;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigFile;
import org.cartero.smtp.SmtpSettings;
import org.cartero.store.embedded.EmbeddedMailStore;

/**
 * The whole configuration: the shared settings and each module's own section. Loading it reads
 * every section and then rejects any key nobody read, so a typo is an error with its line.
 */
public record Settings(Config config, EmbeddedMailStore.Settings store, SmtpSettings smtp) {

    public static Settings load(Path file) throws ConfigException {
        ConfigFile parsed = ConfigFile.load(file);
        Config config = Config.from(parsed);
        EmbeddedMailStore.Settings store = EmbeddedMailStore.Settings.from(config, parsed);
        SmtpSettings smtp = SmtpSettings.from(parsed.root().section("smtp"));
        parsed.rejectUnknownKeys();
        return new Settings(config, store, smtp);
    }
}
