package org.cartero.server;

import java.nio.file.Path;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.config.ConfigSection;
import org.cartero.imap.server.ImapSettings;
import org.cartero.pop3.server.Pop3Settings;
import org.cartero.smtp.SmtpSettings;
import org.cartero.smtp.client.SmtpClientSettings;
import org.cartero.store.embedded.EmbeddedMailStore;

/**
 * The whole configuration: the shared settings and each module's own section. Loading it reads
 * every section and then rejects any key nobody read, so a typo is an error with its line.
 */
public record Settings(Config config, EmbeddedMailStore.Settings store, SmtpSettings smtp,
                       SmtpClientSettings smtpClient, Pop3Settings pop3, ImapSettings imap) {

    public static Settings load(Path file) throws ConfigException {
        ConfigFile parsed = ConfigFile.load(file);
        Config config = Config.from(parsed);
        EmbeddedMailStore.Settings store = EmbeddedMailStore.Settings.from(config, parsed);
        // The SMTP server and queue and the outbound client each read their own keys of [smtp].
        ConfigSection smtpSection = parsed.root().section("smtp");
        SmtpSettings smtp = SmtpSettings.from(smtpSection);
        SmtpClientSettings smtpClient = SmtpClientSettings.from(smtpSection);
        Pop3Settings pop3 = Pop3Settings.from(parsed.root().section("pop3"));
        ImapSettings imap = ImapSettings.from(parsed.root().section("imap"));
        parsed.rejectUnknownKeys();
        return new Settings(config, store, smtp, smtpClient, pop3, imap);
    }
}
