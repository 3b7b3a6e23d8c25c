package org.cartero.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cartero.core.testing.TestConfigs;
import org.junit.jupiter.api.Assumptions;
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
            assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
        }
    }

    @Test
    void demoSetsUpItsFolderAndReusesItTheSecondTime() throws Exception {
        String firstPassword;
        try (ServerProcess demo = ServerProcess.start(dir, "demo")) {
            demo.awaitLine("Cartero demo is running", START);
            firstPassword = demo.awaitLine("password", START).trim().split("\\s+")[1];
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

    @Test
    void theSwaksLineTheDemoPrintsDeliversAMessageThatItsSnailLineReads() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/swaks")), "swaks is not installed (apt-get install swaks)");
        try (ServerProcess demo = ServerProcess.start(dir, "demo")) {
            demo.awaitLine("Cartero demo is running", START);
            // The instructions work: the swaks line it prints sends a message that lands in the demo's mailbox.
            String swaks = demo.awaitLine("swaks --server 127.0.0.1:1587", START).trim();
            List<String> command = Arrays.stream(swaks.split(" +")).map(word -> word.replace("'", "")).toList();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String transcript = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(transcript).isZero();
            assertThat(transcript).contains("250 2.0.0 OK: queued as");
            demo.awaitLine("status=sent", START);
            try (var delivered = Files.list(dir.resolve("cartero-demo/data/mail/example.test/demo/new"))) {
                assertThat(delivered.count()).isEqualTo(1);
            }
            if (Files.isExecutable(Path.of("/usr/bin/s-nail"))) {
                // And the s-nail line reads it over IMAPS, checking the demo's certificate; batch mode
                // (-#) with the password given as a variable instead of typed at the prompt.
                String password = Files.readString(dir.resolve("cartero-demo/demo-password")).strip();
                List<String> snail = new ArrayList<>(Arrays.stream(
                        demo.awaitLine("s-nail -S v15-compat", START).trim().split(" +")).map(word -> word.replace("'", "")).toList());
                snail.addAll(1, List.of("-#", "-S", "password=" + password));
                Process reader = new ProcessBuilder(snail).redirectErrorStream(true).start();
                reader.getOutputStream().write("print 1\nquit\n".getBytes(StandardCharsets.US_ASCII));
                reader.getOutputStream().close();
                String read = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(reader.waitFor()).as(read).isZero();
                assertThat(read).contains("From: demo@example.test", "This is a test mailing");
            }
            assertThat(demo.terminate(Duration.ofSeconds(30))).isZero();
        }
    }
}
