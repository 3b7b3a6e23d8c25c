package org.cartero.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.Service;

/**
 * Configurations for tests: a cartero.toml in a temporary directory, with hostname
 * {@value #HOSTNAME}, data_dir {@code data/} beside it and every service listening on
 * 127.0.0.1:0 (an ephemeral port; ask the NetServer which one it got).
 */
public final class TestConfigs {
    public static final String HOSTNAME = "mail.example.test";

    private TestConfigs() {}

    /** The configuration with every listener on loopback and defaults for everything else. */
    public static Config loopback(Path dir) throws IOException, ConfigException {
        return loopback(dir, "");
    }

    /**
     * The configuration with every listener on loopback, plus {@code extraToml}: further sections
     * such as {@code [limits]}, {@code [timeouts]} or {@code [tls]} (not {@code [listen]}).
     */
    public static Config loopback(Path dir, String extraToml) throws IOException, ConfigException {
        return Config.load(write(dir, extraToml));
    }

    /** Writes the file {@link #loopback(Path, String)} loads, for tests that read it themselves; returns its path. */
    public static Path write(Path dir, String extraToml) throws IOException {
        return write(dir, HOSTNAME, extraToml);
    }

    /** The same with another host name, for a second server beside the first. */
    public static Path write(Path dir, String hostname, String extraToml) throws IOException {
        String listen = Arrays.stream(Service.values())
                .map(service -> service.key() + " = [\"127.0.0.1:0\"]")
                .collect(Collectors.joining("\n"));
        Path file = dir.resolve("cartero.toml");
        Files.writeString(file, """
                hostname = "%s"
                data_dir = "data"

                [listen]
                %s

                %s
                """.formatted(hostname, listen, extraToml));
        return file;
    }

    /** A {@code [tls]} section for {@code extraToml} that names a certificate chain and key file. */
    public static String tlsSection(Path certificate, Path privateKey) {
        return "[tls]\ncertificate = " + toml(certificate) + "\nprivate_key = " + toml(privateKey) + "\n";
    }

    /** A path as a TOML basic string, quoted and escaped, for use in {@code extraToml}. */
    public static String toml(Path path) {
        return "\"" + path.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
