package org.cartero.bench.imap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cartero.core.auth.Passwords;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.directory.Directory;
import org.cartero.core.mail.MailAddress;

/**
 * Cartero as users run it: the shaded jar's "serve" in its own JVM, with a configuration that
 * listens for plain IMAP on loopback and allows many connections.
 */
final class CarteroProcess extends ServerProcess {

    private final Path jar;
    private final List<String> jvmOptions;
    private final Path config;

    /** @param jvmOptions the JVM options of the server, as bin/cartero gives them to "serve" */
    CarteroProcess(Path directory, Path jar, List<String> jvmOptions) throws Exception {
        super(directory);
        this.jar = jar;
        this.jvmOptions = jvmOptions;
        this.config = Files.writeString(directory.resolve("cartero.toml"), """
                hostname = "bench.example.test"
                data_dir = "data"
                [listen]
                imap = ["127.0.0.1:%d"]
                [limits]
                max_connections = 30000
                max_connections_per_ip = 30000
                [auth]
                plaintext_on_loopback = true
                failures_before_delay = 1000
                max_failures = 100000
                [imap]
                max_connections_per_user = 30000
                """.formatted(port));
    }

    @Override
    String name() {
        return "Cartero";
    }

    @Override
    String login(String user) {
        return user + "@" + DOMAIN;
    }

    @Override
    void addUsers(List<String> users) throws Exception {
        String hash = Passwords.hash(PASSWORD);
        try (Directory directory = Directory.open(Config.from(ConfigFile.load(config)))) {
            if (!directory.isVirtualDomain(DOMAIN)) directory.addDomain(DOMAIN);
            for (String user : users) directory.addUser(new MailAddress(user, DOMAIN), hash, 0);
        }
    }

    @Override
    void start() throws Exception {
        Path log = directory.resolve("cartero.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "serve", "--config", config.toString()));
        process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        awaitLogin("u0", Duration.ofSeconds(60), log);
    }
}
