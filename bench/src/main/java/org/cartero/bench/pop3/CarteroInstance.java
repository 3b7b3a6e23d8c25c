package org.cartero.bench.pop3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.directory.Directory;
import org.cartero.core.mail.MailAddress;

/**
 * {@code cartero serve} as a child process, as bin/cartero runs it (G1, native access), with
 * this JVM's class path: POP3 on a free loopback port, passwords allowed on loopback without
 * TLS (as Dovecot's "disable_plaintext_auth = no"), and the benchmark users in its directory.
 */
final class CarteroInstance implements BenchServer {
    private final Process process;
    private final InetSocketAddress address;

    private CarteroInstance(Process process, InetSocketAddress address) {
        this.process = process;
        this.address = address;
    }

    /** Writes the configuration and the users' Maildirs under {@code dir}; the password hash is shared with Dovecot. */
    static void prepare(Path dir, List<String> users, String passwordHash, int messages, int size) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("aliases"), "");
        Files.writeString(dir.resolve("cartero.toml"), """
                hostname = "bench.localhost"
                data_dir = "data"
                [listen]
                pop3 = ["127.0.0.1:%d"]
                [local]
                spool_dir = "spool"
                aliases_file = "aliases"
                [auth]
                plaintext_on_loopback = true
                """.formatted(0));
        Config config = Config.from(ConfigFile.load(dir.resolve("cartero.toml")));
        try (Directory directory = Directory.open(config)) {
            for (String user : users) {
                MailAddress address = MailAddress.parse(user);
                if (!directory.isVirtualDomain(address.domain())) directory.addDomain(address.domain());
                directory.addUser(address, passwordHash, 0);
                Maildrops.write(config.dataDir().resolve("mail").resolve(address.domain()).resolve(address.localPart()),
                        user, messages, size);
            }
        }
    }

    /** @param jvmOptions further options for the server's JVM, such as a flight recording */
    static CarteroInstance start(Path dir, List<String> jvmOptions) throws Exception {
        int port = BenchServer.freePort();
        Path config = dir.resolve("cartero.toml");
        Files.writeString(config, Files.readString(config).replaceFirst("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + port));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+UseG1GC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "org.cartero.server.Main", "serve", "--config", config.toString()));
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("cartero.log").toFile())
                .start();
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        BenchServer.awaitListening(address, Duration.ofSeconds(60), process.toHandle());
        return new CarteroInstance(process, address);
    }

    @Override
    public String name() {
        return "Cartero";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: a graceful stop
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
