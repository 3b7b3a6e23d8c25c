package org.cartero.bench.pop3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.Crypt;

/**
 * POP3 download benchmark, Cartero beside Dovecot on the same content in the same run: C
 * concurrent clients (each its own user, since a maildrop admits one session) log in, STAT,
 * UIDL, RETR every message of a maildrop one after the other, and QUIT. For each server and C it
 * reports messages/s, MB/s and the server's CPU time per message (from /proc, the whole process
 * tree). The servers take turns, repeat by repeat, so that other load on the machine falls on
 * both alike. Before measuring, each server serves every maildrop some rounds (index built, every
 * message marked \Seen by its RETR) and then more until the JIT compiler is quiet (less than 5%
 * of a round's CPU time, at most {@value #MAX_WARMUP} rounds): the figures are a running server's,
 * not its first minute's.
 *
 * <p>Options: --clients 1,8,32 --messages 1000 --size 4096 --repeat 3 --warmup 3 (rounds of every
 * maildrop at least before measuring) --work DIR (default bench/target/pop3-bench, removed after a
 * successful run) --no-dovecot, and
 * --cartero-jvm "OPTIONS" for the server's JVM (a flight recording to profile it, say).
 * Run by bench/pop3-bench.sh. Needs root for Dovecot (it runs its mail processes as "nobody").
 */
public final class Pop3Bench {
    private static final String PASSWORD = "bench password";
    private static final int MAX_WARMUP = 30;

    private record Result(long messages, long octets, long nanos, long cpuMillis, long jitMillis) {
        Result plus(Result other) {
            return new Result(messages + other.messages, octets + other.octets, nanos + other.nanos,
                    cpuMillis + other.cpuMillis, jitMillis + other.jitMillis);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int[] clients = Arrays.stream(options.getOrDefault("clients", "1,8,32").split(",")).mapToInt(Integer::parseInt).toArray();
        int messages = Integer.parseInt(options.getOrDefault("messages", "1000"));
        int size = Integer.parseInt(options.getOrDefault("size", "4096"));
        int repeat = Integer.parseInt(options.getOrDefault("repeat", "3"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "3"));
        boolean dovecot = !options.containsKey("no-dovecot") && Files.isExecutable(DovecotInstance.DOVECOT);
        Path work = Path.of(options.getOrDefault("work", "bench/target/pop3-bench")).toAbsolutePath();

        int users = Arrays.stream(clients).max().orElseThrow();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= users; i++) names.add(String.format("bench%02d@bench.test", i));
        // One hash both servers verify: SHA512-CRYPT, so that logins cost alike (Cartero's own default is argon2id).
        String hash = "{SHA512-CRYPT}" + Crypt.crypt(PASSWORD, "$6$benchsalt");

        deleteTree(work);
        System.out.printf("Preparing %d maildrops of %d messages of %d octets for each server in %s%n", users, messages, size, work);
        CarteroInstance.prepare(work.resolve("cartero"), names, hash, messages, size);
        if (dovecot) DovecotInstance.prepare(work.resolve("dovecot"), names, hash, messages, size);

        List<BenchServer> servers = new ArrayList<>();
        try {
            List<String> jvm = options.containsKey("cartero-jvm") ? List.of(options.get("cartero-jvm").split(" ")) : List.of();
            servers.add(CarteroInstance.start(work.resolve("cartero"), jvm));
            if (dovecot) servers.add(DovecotInstance.start(work.resolve("dovecot")));
            for (BenchServer server : servers) {
                int rounds = 0;
                Result last;
                do {
                    last = round(server, names, users); // indexes, \Seen flags, JIT
                    rounds++;
                } while (rounds < warmup || rounds < MAX_WARMUP && last.jitMillis() * 20 > last.cpuMillis());
                System.out.printf("%s warmed up in %d rounds (the last: %d ms CPU, %d ms of it JIT)%n", server.name(), rounds,
                        last.cpuMillis(), last.jitMillis());
            }
            Map<String, Result> results = new LinkedHashMap<>();
            for (int c : clients) {
                for (int r = 0; r < repeat; r++) {
                    for (BenchServer server : servers) {
                        results.merge(c + " " + server.name(), round(server, names.subList(0, c), c), Result::plus);
                    }
                }
            }
            report(results, messages, size, repeat, servers);
        } finally {
            servers.forEach(BenchServer::close);
        }
        deleteTree(work); // kept, with the servers' logs, only when the run failed
    }

    /** Every user's session at once; the server's CPU time is read before and after. */
    private static Result round(BenchServer server, List<String> users, int clients) throws Exception {
        long cpuBefore = ProcessCpu.millis(server.pid());
        long jitBefore = ProcessCpu.compilerMillis(server.pid());
        CyclicBarrier start = new CyclicBarrier(clients + 1);
        List<Future<long[]>> sessions = new ArrayList<>();
        long began;
        try (ExecutorService threads = Executors.newFixedThreadPool(clients)) {
            for (String user : users) {
                sessions.add(threads.submit(() -> {
                    try (Pop3LoadClient client = new Pop3LoadClient(server.address())) {
                        start.await();
                        int count = client.run(user, PASSWORD);
                        return new long[] {count, client.octets};
                    }
                }));
            }
            start.await();
            began = System.nanoTime();
            long messages = 0;
            long octets = 0;
            for (Future<long[]> session : sessions) {
                long[] done = session.get();
                messages += done[0];
                octets += done[1];
            }
            long nanos = System.nanoTime() - began;
            Thread.sleep(300); // let Dovecot's session processes exit and be reaped, so their time is counted
            return new Result(messages, octets, nanos, ProcessCpu.millis(server.pid()) - cpuBefore,
                    ProcessCpu.compilerMillis(server.pid()) - jitBefore);
        }
    }

    private static void report(Map<String, Result> results, int messages, int size, int repeat, List<BenchServer> servers) {
        System.out.printf("%nPOP3: C clients, each: login, STAT, UIDL, RETR %d messages of %d octets, QUIT; %d repeats%n",
                messages, size, repeat);
        System.out.println("| C | server | messages | seconds | messages/s | MB/s | server CPU (ms) | of which JIT (ms) | CPU per message (ms) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        results.forEach((key, r) -> {
            String[] parts = key.split(" ");
            double seconds = r.nanos() / 1e9;
            System.out.printf("| %s | %s | %d | %.2f | %.0f | %.1f | %d | %d | %.4f |%n", parts[0], parts[1], r.messages(), seconds,
                    r.messages() / seconds, r.octets() / seconds / 1e6, r.cpuMillis(), r.jitMillis(), (double) r.cpuMillis() / r.messages());
        });
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("unexpected argument " + args[i]);
            String name = args[i].substring(2);
            if (name.equals("no-dovecot")) options.put(name, "");
            else options.put(name, args[++i]);
        }
        return options;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
