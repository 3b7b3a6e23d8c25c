package org.cartero.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The SMTP benchmark: the same load against Cartero and against Debian's Postfix, one after the
 * other in the same run. For each number of connections C it sends N messages of 4 KiB to the
 * users of a virtual domain and reports the accepted messages per second (until the last 250),
 * the delivered messages per second (until the last one is in its Maildir), and the server's CPU
 * time per message (from /proc, the server and all its processes). Both servers fsync their
 * queue and their deliveries. Each server first takes {@code --warmup} messages, not measured:
 * Cartero's JIT compiler is still at work for the first ten thousand or so (a cost paid once per
 * start), Postfix starts its daemons. bench/smtp-bench.sh runs it.
 *
 * <pre>
 * java -cp bench/target/classes org.cartero.bench.Bench --jar server/target/cartero.jar
 *      [--dir /var/tmp/cartero-bench] [--messages 5000] [--warmup 20000] [--connections 1,8,32] [--users 10]
 *      [--servers cartero,postfix] [--cartero-jvm "-Xmx256m -XX:+UseG1GC"]
 * </pre>
 */
public final class Bench {
    private static final int MESSAGE_SIZE = 4096;

    private Bench() {}

    /** @param loadAverage the machine's load average over the last minute when the measurement began */
    record Measurement(String server, int connections, int accepted, double acceptedPerSecond, double deliveredPerSecond,
                       double cpuMillisPerMessage, long peakHeapBytes, String loadAverage) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path jar = Path.of(options.getOrDefault("jar", "server/target/cartero.jar")).toAbsolutePath();
        Path dir = Path.of(options.getOrDefault("dir", "/var/tmp/cartero-bench")).toAbsolutePath();
        int messages = Integer.parseInt(options.getOrDefault("messages", "5000"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "20000"));
        int[] connections = Arrays.stream(options.getOrDefault("connections", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        int userCount = Integer.parseInt(options.getOrDefault("users", "10"));
        List<String> servers = List.of(options.getOrDefault("servers", "cartero,postfix").split(","));
        List<String> jvm = List.of(options.getOrDefault("cartero-jvm", "-Xmx256m -XX:+UseG1GC").split(" "));
        List<String> users = IntStream.range(0, userCount).mapToObj(i -> "u" + i).toList();
        List<String> recipients = users.stream().map(u -> u + "@bench.test").toList();
        byte[] content = SmtpLoad.message(MESSAGE_SIZE);

        run(List.of("rm", "-rf", dir.toString()));
        Files.createDirectories(dir);
        List<Measurement> results = new ArrayList<>();
        for (String name : servers) {
            try (BenchServer server = switch (name) {
                case "cartero" -> CarteroServer.start(dir.resolve("cartero"), jar, 2726, users, jvm);
                case "postfix" -> PostfixServer.start(dir.resolve("postfix"), 2725, users);
                default -> throw new IllegalArgumentException("unknown server " + name);
            }) {
                System.out.println("== " + server.name() + " (pid " + server.pid() + ")");
                long sent = 0;
                // Warm-up, not measured: the JIT compiles, Postfix starts its daemons.
                sent += load(server, warmup, 8, recipients, content, sent).accepted();
                for (int c : connections) {
                    Measurement m = load(server, messages, c, recipients, content, sent);
                    sent += m.accepted();
                    results.add(m);
                    System.out.printf("C=%-3d accepted %7.0f msg/s   delivered %7.0f msg/s   CPU %.3f ms/msg%s   load %s%n", c,
                            m.acceptedPerSecond(), m.deliveredPerSecond(), m.cpuMillisPerMessage(),
                            m.peakHeapBytes() > 0 ? String.format("   peak heap %d MiB", m.peakHeapBytes() >> 20) : "",
                            m.loadAverage());
                }
            }
        }
        System.out.println();
        System.out.println("| server | C | accepted msg/s | delivered msg/s | server CPU ms/msg | peak heap | load average |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (Measurement m : results) {
            System.out.printf("| %s | %d | %.0f | %.0f | %.3f | %s | %s |%n", m.server(), m.connections(), m.acceptedPerSecond(),
                    m.deliveredPerSecond(), m.cpuMillisPerMessage(), m.peakHeapBytes() > 0 ? (m.peakHeapBytes() >> 20) + " MiB" : "-",
                    m.loadAverage());
        }
    }

    /** Sends {@code messages} over {@code c} connections and waits until the server has delivered them all. */
    private static Measurement load(BenchServer server, int messages, int c, List<String> recipients, byte[] content,
                                    long deliveredBefore) throws Exception {
        awaitDelivered(server, deliveredBefore);
        String loadAverage = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        double cpuBefore = ProcessCpu.seconds(server.pid());
        server.startHeapWatch();
        long start = System.nanoTime();
        SmtpLoad.Result result = SmtpLoad.run(server.smtp(), messages, c, recipients, content);
        if (result.failed() > 0) System.out.println("   " + result.failed() + " messages refused");
        long deliveredAt = awaitDelivered(server, deliveredBefore + result.accepted());
        double cpuAfter = ProcessCpu.seconds(server.pid());
        double seconds = (deliveredAt - start) / 1e9;
        return new Measurement(server.name(), c, result.accepted(), result.accepted() / (result.acceptedNanos() / 1e9),
                result.accepted() / seconds, (cpuAfter - cpuBefore) * 1000 / result.accepted(),
                server.peakHeapBytes().orElse(0), loadAverage);
    }

    /** Waits until {@code count} messages are delivered; returns System.nanoTime() at that moment. */
    private static long awaitDelivered(BenchServer server, long count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (server.delivered() < count) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(server.name() + " delivered only " + server.delivered() + " of " + count);
            Thread.sleep(5);
        }
        return System.nanoTime();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected --option value, got " + args[i]);
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket()) {
                ignored.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing listens on port " + port);
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        runWithInput(command, "");
    }

    static void runWithInput(List<String> command, String input) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + output);
    }

    static String output(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return output;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }
}
