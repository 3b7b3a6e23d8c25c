package org.cartero.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Cartero as its users run it: {@code java -jar cartero.jar serve} in its own process, with a
 * configuration that listens for SMTP on a loopback port, the bench domain as a virtual domain
 * and its users delivered into Maildirs under data_dir. Its heap is watched with jstat.
 */
final class CarteroServer implements BenchServer {
    private final Path dir;
    private final int port;
    private final List<String> users;
    private final Process process;
    private final AtomicLong peakHeap = new AtomicLong();
    private Process jstat;

    private CarteroServer(Path dir, int port, List<String> users, Process process) {
        this.dir = dir;
        this.port = port;
        this.users = users;
        this.process = process;
    }

    static CarteroServer start(Path dir, Path jar, int port, List<String> users, List<String> jvmOptions) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(dir.resolve("aliases"), "");
        Path config = dir.resolve("cartero.toml");
        Files.writeString(config, """
                hostname = "cartero.bench.localhost"
                data_dir = "data"
                [listen]
                smtp = ["127.0.0.1:%d"]
                [local]
                passwd_file = "passwd"
                aliases_file = "aliases"
                spool_dir = "spool"
                """.formatted(port));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cli = List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "--config", config.toString());
        Bench.run(concat(cli, List.of("domain", "add", "bench.test")));
        for (String user : users) {
            Bench.runWithInput(concat(cli, List.of("user", "add", user + "@bench.test", "--password-stdin")), "bench\n");
        }
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--config", config.toString(), "serve"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("cartero.log").toFile());
        Process process = builder.start();
        Bench.awaitPort(port);
        return new CarteroServer(dir, port, users, process);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Override
    public String name() {
        return "Cartero";
    }

    @Override
    public InetSocketAddress smtp() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public long delivered() throws IOException {
        return BenchServer.countMaildirFiles(dir.resolve("data/mail/bench.test"), users);
    }

    /** Samples the heap in use (survivor, eden and old generation) every 200 ms with jstat. */
    @Override
    public void startHeapWatch() throws IOException {
        if (jstat != null) jstat.destroy();
        peakHeap.set(0);
        Path jstatCommand = Path.of(System.getProperty("java.home"), "bin", "jstat");
        jstat = new ProcessBuilder(jstatCommand.toString(), "-gc", String.valueOf(process.pid()), "200").redirectErrorStream(true).start();
        Process watched = jstat;
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(watched.getInputStream(), StandardCharsets.UTF_8))) {
                List<String> header = null;
                for (String line; (line = reader.readLine()) != null; ) {
                    List<String> fields = List.of(line.trim().split("\\s+"));
                    if (fields.contains("EU")) {
                        header = fields;
                        continue;
                    }
                    if (header == null || fields.size() != header.size()) continue;
                    double kb = 0;
                    for (String column : List.of("S0U", "S1U", "EU", "OU")) kb += Double.parseDouble(fields.get(header.indexOf(column)));
                    long bytes = (long) (kb * 1024);
                    peakHeap.accumulateAndGet(bytes, Math::max);
                }
            } catch (IOException | NumberFormatException e) {
                // jstat ended
            }
        });
    }

    @Override
    public OptionalLong peakHeapBytes() {
        return OptionalLong.of(peakHeap.get());
    }

    @Override
    public void close() throws Exception {
        if (jstat != null) jstat.destroy();
        process.destroy(); // SIGTERM: a graceful stop
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
