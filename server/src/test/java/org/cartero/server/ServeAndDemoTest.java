package org.cartero.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cartero.core.testing.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The long-running commands, run as a user runs them: a child process stopped by SIGTERM. */
class ServeAndDemoTest {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void serveRunsUntilSigtermThenExitsZero() throws Exception {
        Path config = TestConfigs.write(dir, "");
        try (ServerProcess server = ServerProcess.start(dir, "serve", "--config", config.toString())) {
            server.awaitLine("Cartero " + TestConfigs.HOSTNAME + " started", START);
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
            assertThat(server.output()).contains("SIGTERM received: stopping", "Cartero stopped");
        }
    }

    @Test
    void serveRefusesABrokenConfigurationWithItsLine() throws Exception {
        Path config = dir.resolve("cartero.toml");
        Files.writeString(config, "hostname = \"mail.example.test\"\n[listen]\nsmtp = [\"127.0.0.1\"]\n");
        try (ServerProcess server = ServerProcess.start(dir, "serve", "--config", config.toString())) {
            server.awaitLine(config + ":3: listen.smtp: expected \"host:port\", got \"127.0.0.1\"", START);
            assertThat(server.terminate(Duration.ofSeconds(30))).isEqualTo(1);
        }
    }

    @Test
    void demoSetsUpItsFolderAndReusesItTheSecondTime() throws Exception {
        String firstPassword;
        try (ServerProcess demo = ServerProcess.start(dir, "demo")) {
            demo.awaitLine("Cartero demo is running", START);
            firstPassword = demo.awaitLine("password", START).trim().split("\\s+")[1];
            demo.awaitLine("swaks --server 127.0.0.1:1587", START);
            assertThat(demo.awaitLine("pop3s", START)).contains("1995");
            demo.awaitLine("fetchmail --check --ssl --sslcertck", START);
            assertThat(demo.terminate(Duration.ofSeconds(30))).isZero();
        }
        Path folder = dir.resolve("cartero-demo");
        assertThat(folder.resolve("cartero.toml")).exists();
        assertThat(folder.resolve("data/tls/self-signed.crt")).exists();
        assertThat(Files.readString(folder.resolve("demo-password")).strip()).isEqualTo(firstPassword);
        assertThat(Main.run("--config", folder.resolve("cartero.toml").toString(), "user", "list")).isZero();

        try (ServerProcess again = ServerProcess.start(dir, "demo")) {
            again.awaitLine("Cartero demo is running", START);
            assertThat(again.awaitLine("password", START)).contains(firstPassword);
            assertThat(again.terminate(Duration.ofSeconds(30))).isZero();
        }
    }
}
