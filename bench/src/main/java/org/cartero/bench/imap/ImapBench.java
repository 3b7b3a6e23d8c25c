package org.cartero.bench.imap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The IMAP benchmark: Cartero and Dovecot side by side over the same messages in the same run.
 * Each server gets the same users and mailboxes (filled with MULTIAPPEND), then: SELECT and
 * FETCH (UID FLAGS RFC822.SIZE ENVELOPE) of a small and a large folder, first after a restart
 * and then warm; full-body FETCH throughput; APPEND and MULTIAPPEND rates; logins per second;
 * a mixed command loop with C clients on their own mailboxes and with 8 on one; how soon IDLE
 * tells of new mail; and the server's memory (PSS) with many idle IDLE connections.
 *
 * <pre>
 * mvn -q -B -DskipTests package -pl bench -am; rm -rf /var/tmp/cartero-imap-bench
 * java -cp bench/target/classes:server/target/cartero.jar org.cartero.bench.imap.ImapBench \
 *     --jar server/target/cartero.jar --dir /var/tmp/cartero-imap-bench [--small 10000] [--large 100000] \
 *     [--seconds 20] [--idle 10000] [--dovecot-idle 1000] [--jvm "-XX:+UseG1GC ..."] [--only cartero|dovecot] \
 *     [--phases select,bodies,append,login,mixed,shared,idle,memory]
 * </pre>
 */
public final class ImapBench {

    private record Options(Path jar, Path dir, int small, int large, int seconds, int idle, int dovecotIdle,
                           List<String> jvm, int mixMessages, int appends, String only, List<String> phases) {

        boolean runs(String phase) {
            return phases.contains("all") || phases.contains(phase);
        }
    }

    private static final String ENVELOPE = "(UID FLAGS RFC822.SIZE ENVELOPE)";
    private static final int[] CLIENTS = {8, 32};
    private static final int BATCH = 100;
    /** How many envelopes are fetched before the warm FETCH figures are taken. */
    private static final int WARM_UP_ENVELOPES = 200_000;
    /** How many single APPENDs go before those counted. */
    private static final int APPEND_WARM_UP = 500;

    private final Options options;
    /** Metric, then server name, then the figure as printed. */
    private final Map<String, Map<String, String>> results = new LinkedHashMap<>();

    private ImapBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        new ImapBench(options).run(String.join(" ", args));
    }

    private static Options parse(String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) values.put(args[i], args[i + 1]);
        return new Options(Path.of(values.getOrDefault("--jar", "server/target/cartero.jar")).toAbsolutePath(),
                Path.of(values.getOrDefault("--dir", "/var/tmp/cartero-imap-bench")),
                Integer.parseInt(values.getOrDefault("--small", "10000")),
                Integer.parseInt(values.getOrDefault("--large", "100000")),
                Integer.parseInt(values.getOrDefault("--seconds", "20")),
                Integer.parseInt(values.getOrDefault("--idle", "10000")),
                Integer.parseInt(values.getOrDefault("--dovecot-idle", "1000")),
                List.of(values.getOrDefault("--jvm", "-XX:+UseG1GC -XX:G1PeriodicGCInterval=10000 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30").split(" ")),
                Integer.parseInt(values.getOrDefault("--mix-messages", "500")),
                Integer.parseInt(values.getOrDefault("--appends", "1000")),
                values.getOrDefault("--only", "both"),
                List.of(values.getOrDefault("--phases", "all").split(",")));
    }

    private void run(String arguments) throws Exception {
        if (Files.isDirectory(options.dir)) {
            try (var entries = Files.list(options.dir)) {
                // each run fills its servers from nothing; the bench does not delete what it did not make
                if (entries.findAny().isPresent()) throw new IllegalStateException(options.dir + " is not empty: remove it first");
            }
        }
        List<String> users = new ArrayList<>(List.of("u0", "small", "large", "append", "idle"));
        for (int i = 0; i < CLIENTS[CLIENTS.length - 1]; i++) users.add("mix" + i);
        List<ServerProcess> servers = new ArrayList<>();
        Path dovecot = DovecotProcess.binary();
        if (dovecot != null && !options.only.equals("cartero")) servers.add(new DovecotProcess(options.dir.resolve("dovecot"), dovecot));
        if (!options.only.equals("dovecot")) servers.add(new CarteroProcess(options.dir.resolve("cartero"), options.jar, options.jvm));
        for (ServerProcess server : servers) {
            try (server) {
                log("%s: starting", server.name());
                server.addUsers(users);
                server.start();
                measure(server);
            }
        }
        print(arguments, servers);
    }

    private void measure(ServerProcess server) throws Exception {
        populate(server);
        if (options.runs("select")) coldAndWarm(server);
        if (options.runs("bodies")) bodies(server);
        if (options.runs("append")) appends(server);
        if (options.runs("login")) logins(server);
        if (options.runs("mixed")) {
            for (int clients : CLIENTS) mixed(server, clients, false);
        }
        if (options.runs("mixed") || options.runs("shared")) mixed(server, 8, true);
        if (options.runs("idle")) idleLatency(server);
        if (options.runs("memory")) idleMemory(server, server instanceof DovecotProcess ? options.dovecotIdle : options.idle);
    }

    // ---- filling ----------------------------------------------------------------------------

    private void populate(ServerProcess server) throws Exception {
        long started = System.nanoTime();
        long octets = fill(server, "small", options.small, 0);
        double seconds = seconds(started);
        record("MULTIAPPEND (" + BATCH + " per command), messages/s", server, "%.0f (%.1f MB/s)", options.small / seconds,
                octets / seconds / 1e6);
        fill(server, "large", options.large, options.small);
        fill(server, "idle", 10, 0);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Long>> fills = new ArrayList<>();
            for (int i = 0; i < CLIENTS[CLIENTS.length - 1]; i++) {
                String user = "mix" + i;
                int first = i * options.mixMessages;
                fills.add(threads.submit(() -> fill(server, user, options.mixMessages, first)));
            }
            for (Future<Long> fill : fills) fill.get();
        }
        log("%s: filled", server.name());
    }

    /** Appends {@code count} messages with MULTIAPPEND; returns the octets sent. */
    private static long fill(ServerProcess server, String user, int count, int first) throws IOException {
        long octets = 0;
        try (BenchClient client = BenchClient.login(server.address(), server.login(user), ServerProcess.PASSWORD)) {
            for (int start = 0; start < count; start += BATCH) {
                int end = Math.min(count, start + BATCH);
                List<byte[]> messages = new ArrayList<>();
                for (int i = start; i < end; i++) messages.add(BenchMessages.message(first + i));
                String tag = "f" + start;
                client.write((tag + " APPEND INBOX").getBytes(StandardCharsets.US_ASCII));
                for (byte[] message : messages) {
                    client.write((" {" + message.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
                    client.write(message);
                    octets += message.length;
                }
                client.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                client.flush();
                client.untilTagged(tag);
            }
            client.ok("LOGOUT");
        }
        return octets;
    }

    // ---- SELECT and FETCH of big folders ----------------------------------------------------

    private void coldAndWarm(ServerProcess server) throws Exception {
        for (String user : List.of("small", "large")) {
            int count = user.equals("small") ? options.small : options.large;
            server.restart();
            try (BenchClient client = BenchClient.login(server.address(), server.login(user), ServerProcess.PASSWORD)) {
                long started = System.nanoTime();
                client.ok("SELECT INBOX");
                record("SELECT of " + count + " messages, first after a restart", server, "%.1f ms", millis(started));
                started = System.nanoTime();
                client.ok("FETCH 1:* " + ENVELOPE);
                record("FETCH 1:* " + ENVELOPE + " of " + count + ", first after a restart", server, "%.2f s", seconds(started));
                double[] selects = new double[user.equals("small") ? 20 : 5];
                for (int i = 0; i < selects.length; i++) {
                    started = System.nanoTime();
                    client.ok("SELECT INBOX");
                    selects[i] = millis(started);
                }
                record("SELECT of " + count + " messages, warm (median)", server, "%.2f ms", median(selects));
                // A server runs for long: the rounds in which a JIT compiler is still compiling the
                // path are not counted (with Cartero's, until about 100,000 envelopes went out).
                for (int i = 0; i < Math.max(2, WARM_UP_ENVELOPES / count); i++) client.ok("FETCH 1:* " + ENVELOPE);
                double[] fetches = new double[5];
                for (int i = 0; i < fetches.length; i++) {
                    started = System.nanoTime();
                    client.ok("FETCH 1:* " + ENVELOPE);
                    fetches[i] = seconds(started);
                }
                record("FETCH 1:* " + ENVELOPE + " of " + count + ", warm (median)", server, "%.2f s", median(fetches));
            }
        }
        log("%s: SELECT and FETCH measured", server.name());
    }

    private void bodies(ServerProcess server) throws Exception {
        try (BenchClient client = BenchClient.login(server.address(), server.login("small"), ServerProcess.PASSWORD)) {
            client.ok("SELECT INBOX");
            client.ok("FETCH 1:* BODY.PEEK[]"); // twice to warm the caches (and a JIT)
            client.ok("FETCH 1:* BODY.PEEK[]");
            double[] rates = new double[3];
            for (int i = 0; i < rates.length; i++) {
                client.literalOctets = 0;
                long started = System.nanoTime();
                client.ok("FETCH 1:* BODY.PEEK[]");
                rates[i] = client.literalOctets / seconds(started) / 1e6;
            }
            record("FETCH 1:* BODY.PEEK[] of " + options.small + ", MB/s (median)", server, "%.0f MB/s", median(rates));
        }
    }

    private void appends(ServerProcess server) throws Exception {
        try (BenchClient client = BenchClient.login(server.address(), server.login("append"), ServerProcess.PASSWORD)) {
            // The server was restarted since the fill: the first appends (a JIT compiling the path
            // again) are not counted.
            for (int i = 0; i < APPEND_WARM_UP; i++) appendOne(client, i);
            long started = System.nanoTime();
            for (int i = APPEND_WARM_UP; i < APPEND_WARM_UP + options.appends; i++) appendOne(client, i);
            record("APPEND, one message per command, messages/s", server, "%.0f", options.appends / seconds(started));
        }
    }

    /** Appends the {@code i}th message of the APPEND phase, one command, and waits for its reply. */
    private static void appendOne(BenchClient client, int i) throws IOException {
        byte[] message = BenchMessages.message(1_000_000 + i);
        String tag = "a" + i;
        client.write((tag + " APPEND INBOX {" + message.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
        client.write(message);
        client.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        client.flush();
        client.untilTagged(tag);
    }

    private void logins(ServerProcess server) throws Exception {
        AtomicLong count = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(options.seconds).toNanos();
        long started = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                clients.add(threads.submit(() -> {
                    while (System.nanoTime() < deadline) {
                        try (BenchClient client = BenchClient.login(server.address(), server.login("u0"), ServerProcess.PASSWORD)) {
                            client.ok("LOGOUT");
                        }
                        count.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> client : clients) client.get();
        }
        record("logins/s (8 clients: connect, LOGIN, LOGOUT)", server, "%.0f", count.get() / seconds(started));
    }

    // ---- the mixed loop ---------------------------------------------------------------------

    /**
     * C clients each run SELECT, FETCH of 20 messages' envelopes, STORE +FLAGS and -FLAGS,
     * SEARCH UNSEEN, NOOP and a short IDLE in a loop; each command counts one.
     */
    private void mixed(ServerProcess server, int clients, boolean shared) throws Exception {
        AtomicLong commands = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(options.seconds).toNanos();
        long started = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String user = shared ? "mix0" : "mix" + i;
                running.add(threads.submit(() -> {
                    try (BenchClient client = BenchClient.login(server.address(), server.login(user), ServerProcess.PASSWORD)) {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        int messages = options.mixMessages;
                        while (System.nanoTime() < deadline) {
                            client.ok("SELECT INBOX");
                            int first = 1 + random.nextInt(messages - 20);
                            client.ok("FETCH " + first + ":" + (first + 19) + " " + ENVELOPE);
                            int target = 1 + random.nextInt(messages);
                            client.ok("STORE " + target + " +FLAGS (\\Flagged)");
                            client.ok("STORE " + target + " -FLAGS (\\Flagged)");
                            client.ok("SEARCH UNSEEN");
                            client.ok("NOOP");
                            String tag = client.send("IDLE");
                            client.until("+");
                            client.write("DONE\r\n".getBytes(StandardCharsets.US_ASCII));
                            client.flush();
                            client.untilTagged(tag);
                            commands.addAndGet(7);
                        }
                        client.ok("LOGOUT");
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) client.get();
        }
        String name = shared ? "mixed loop, 8 clients on one mailbox, commands/s" : "mixed loop, C = " + clients + ", commands/s";
        record(name, server, "%.0f", commands.get() / seconds(started));
    }

    // ---- IDLE -------------------------------------------------------------------------------

    /** How long after an APPEND by another client the idling one reads EXISTS. */
    private void idleLatency(ServerProcess server) throws Exception {
        double[] delays = new double[50];
        try (BenchClient idler = BenchClient.login(server.address(), server.login("idle"), ServerProcess.PASSWORD);
             BenchClient writer = BenchClient.login(server.address(), server.login("idle"), ServerProcess.PASSWORD)) {
            List<String> select = idler.ok("SELECT INBOX");
            long exists = select.stream().filter(l -> l.endsWith(" EXISTS")).mapToLong(l -> Long.parseLong(l.split(" ")[1]))
                    .findFirst().orElseThrow();
            for (int i = 0; i < delays.length; i++) {
                String tag = idler.send("IDLE");
                idler.until("+");
                Thread.sleep(50);
                byte[] message = BenchMessages.message(2_000_000 + i);
                long started = System.nanoTime();
                String appendTag = "w" + i;
                writer.write((appendTag + " APPEND INBOX {" + message.length + "+}\r\n").getBytes(StandardCharsets.US_ASCII));
                writer.write(message);
                writer.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                writer.flush();
                idler.until((++exists) + " EXISTS");
                delays[i] = millis(started);
                writer.untilTagged(appendTag);
                idler.write("DONE\r\n".getBytes(StandardCharsets.US_ASCII));
                idler.flush();
                idler.untilTagged(tag);
            }
        }
        Arrays.sort(delays);
        record("IDLE: APPEND by another client to EXISTS, median / max", server, "%.1f / %.1f ms", delays[delays.length / 2],
                delays[delays.length - 1]);
    }

    /** The server's PSS with {@code connections} clients idling in IDLE on a selected INBOX. */
    private void idleMemory(ServerProcess server, int connections) throws Exception {
        server.restart();
        long before = server.pssKiB();
        List<BenchClient> clients = new ArrayList<>(connections);
        try (ExecutorService threads = Executors.newFixedThreadPool(16, Thread.ofVirtual().factory())) {
            List<Future<BenchClient>> opening = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                opening.add(threads.submit(() -> {
                    BenchClient client = BenchClient.login(server.address(), server.login("idle"), ServerProcess.PASSWORD);
                    client.ok("SELECT INBOX");
                    client.send("IDLE");
                    client.until("+");
                    return client;
                }));
            }
            for (Future<BenchClient> client : opening) clients.add(client.get());
        }
        Thread.sleep(30_000); // let the server settle, as it would between events, with everyone idling
        long after = server.pssKiB();
        record("server memory (PSS), " + connections + " idle IDLE connections: total / per connection", server,
                "%.0f MiB / %.0f KiB", after / 1024.0, (after - before) / (double) connections);
        for (BenchClient client : clients) client.close();
    }

    // ---- reporting --------------------------------------------------------------------------

    private void record(String metric, ServerProcess server, String format, Object... values) {
        String figure = String.format(Locale.ROOT, format, values);
        results.computeIfAbsent(metric, m -> new LinkedHashMap<>()).put(server.name(), figure);
        log("%s: %s: %s", server.name(), metric, figure);
    }

    private void print(String arguments, List<ServerProcess> servers) throws IOException {
        StringBuilder table = new StringBuilder();
        table.append("| measure |");
        for (ServerProcess server : servers) table.append(' ').append(server.name()).append(" |");
        table.append("\n|---|");
        for (int i = 0; i < servers.size(); i++) table.append("---|");
        table.append('\n');
        for (Map.Entry<String, Map<String, String>> metric : results.entrySet()) {
            table.append("| ").append(metric.getKey()).append(" |");
            for (ServerProcess server : servers) table.append(' ').append(metric.getValue().getOrDefault(server.name(), "")).append(" |");
            table.append('\n');
        }
        table.append("\nArguments: ").append(arguments).append('\n');
        System.out.println(table);
        Files.writeString(options.dir.resolve("results.md"), table);
    }

    private static void log(String format, Object... values) {
        System.err.println(String.format(Locale.ROOT, format, values));
    }

    private static double seconds(long started) {
        return (System.nanoTime() - started) / 1e9;
    }

    private static double millis(long started) {
        return (System.nanoTime() - started) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
