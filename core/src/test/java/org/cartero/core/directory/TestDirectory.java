package org.cartero.core.directory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigFile;

/**
 * A configuration for directory tests, in a temporary folder: hostname mail.example.test, local
 * domains localhost and local.test, its own passwd file (root, alice, bob) and aliases file.
 * Shared with other modules' tests through the core test-jar.
 */
public final class TestDirectory {
    public static final String PASSWD = """
            root:x:0:0:root:/root:/bin/bash
            alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash
            bob:x:1001:1001::/home/bob:/bin/sh
            """;

    private TestDirectory() {}

    /** Writes cartero.toml, passwd and aliases (empty) into {@code dir} and returns the configuration file. */
    public static Path writeConfig(Path dir) throws IOException {
        Files.writeString(dir.resolve("passwd"), PASSWD);
        Files.writeString(dir.resolve("aliases"), "");
        Path file = dir.resolve("cartero.toml");
        Files.writeString(file, """
                hostname = "mail.example.test"
                data_dir = "data"
                [local]
                domains = ["localhost", "local.test"]
                passwd_file = "passwd"
                aliases_file = "aliases"
                [auth]
                failures_before_delay = 2
                max_failures = 4
                failure_window = "15m"
                """);
        return file;
    }

    public static Config config(Path dir) throws IOException, ConfigException {
        return Config.from(ConfigFile.load(writeConfig(dir)));
    }
}
