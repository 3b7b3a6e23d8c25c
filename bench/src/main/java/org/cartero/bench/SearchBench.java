package org.cartero.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.cartero.core.directory.VirtualAccount;
import org.cartero.core.mail.MailAddress;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.CommandReader;
import org.cartero.imap.protocol.ReaderLimits;
import org.cartero.imap.protocol.Received;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.imap.search.MailboxView;
import org.cartero.imap.search.SearchEngine;
import org.cartero.store.AccountStore;
import org.cartero.store.Appender;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.embedded.EmbeddedMailStore;

/**
 * Times the IMAP search engine over a Maildir folder of many messages (100,000 by default):
 * SEARCH on index data (flags, dates, sizes, keywords), on envelopes, on bodies; SORT; THREAD;
 * and a BODY search through one 50 MB message, which must stream.
 *
 * <pre>
 * mvn -q -B -o compile -pl bench -am
 * java -Xmx512m -cp "$(cat classpath)" org.cartero.bench.SearchBench [messages] [directory]
 * </pre>
 *
 * The folder is built in the directory (default: a new one under /dev/shm, else the temporary
 * directory) and removed at the end. Each figure is the median of several runs after as many
 * warm-up runs; the "first" figure is a single run on a new engine, as after SELECT.
 */
public final class SearchBench {
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
    private static final String LOREM = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
            + "incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco "
            + "laboris nisi ut aliquip ex ea commodo consequat. ";

    private SearchBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path base = args.length > 1 ? Path.of(args[1])
                : Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        Path root = Files.createTempDirectory(base, "cartero-search-bench");
        try {
            run(root, count);
        } finally {
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path root, int count) throws Exception {
        Path data = Files.createDirectories(root.resolve("data"));
        Path spool = Files.createDirectories(root.resolve("spool"));
        try (EmbeddedMailStore store = new EmbeddedMailStore(
                new EmbeddedMailStore.Settings(data, spool, "Maildir", "bench.example", Duration.ofSeconds(30)));
             AccountStore account = store.open(new VirtualAccount(MailAddress.parse("bench@example.test"), 0));
             Folder folder = account.open("INBOX")) {
            long t = System.nanoTime();
            fill(folder, count);
            System.out.printf(Locale.ROOT, "appended %,d messages in %.1f s%n", count, seconds(t));
            MailboxView view = new MailboxView(folder.snapshot().uids(), null, null);

            SearchEngine cold = new SearchEngine(folder, ZoneOffset.UTC);
            t = System.nanoTime();
            int found = cold.search(key("UNSEEN"), view).size();
            System.out.printf(Locale.ROOT, "%-58s %10.1f ms  (%,d found)%n", "first SEARCH UNSEEN (reads the index data)", millis(t), found);

            SearchEngine engine = new SearchEngine(folder, ZoneOffset.UTC);
            engine.search(key("ALL"), view);
            String since = "SINCE 1-Mar-2024";
            for (String program : List.of("UNSEEN", "UNSEEN FLAGGED", "KEYWORD $Work", since, "LARGER 1200",
                    "OR FLAGGED NOT SEEN", "UID 1000:2000", "NOT DELETED SMALLER 1100 SINCE 1-Feb-2024")) {
                time("SEARCH " + program, 15, () -> engine.search(key(program), view).size());
            }
            for (String program : List.of("FROM user42@", "SUBJECT \"topic 7 \"", "SENTSINCE 1-Mar-2024", "UNSEEN FROM user7")) {
                time("SEARCH " + program, 3, () -> engine.search(key(program), view).size());
            }
            int bodies = Math.min(count, 10_000);
            time("SEARCH 1:" + bodies + " BODY needle (" + bodies + " messages read)", 3,
                    () -> engine.search(key("1:" + bodies + " BODY needle" + (bodies - 1)), view).size());
            time("SEARCH 1:" + bodies + " TEXT absent (" + bodies + " messages read)", 3,
                    () -> engine.search(key("1:" + bodies + " TEXT absent"), view).size());
            time("SEARCH UNSEEN FLAGGED BODY needle (body of the few left)", 3,
                    () -> engine.search(key("UNSEEN FLAGGED BODY needle7"), view).size());
            for (String criteria : List.of("ARRIVAL", "SIZE", "DATE", "SUBJECT", "FROM", "REVERSE DISPLAYFROM")) {
                Command.Sort sort = (Command.Sort) parse("SORT (" + criteria + ") UTF-8 ALL");
                time("SORT (" + criteria + ") ALL", 3, () -> engine.sort(sort.criteria(), sort.key(), view).size());
            }
            for (String algorithm : List.of("ORDEREDSUBJECT", "REFERENCES")) {
                Command.Thread thread = (Command.Thread) parse("THREAD " + algorithm + " UTF-8 ALL");
                time("THREAD " + algorithm + " ALL", 3, () -> engine.thread(thread.algorithm(), thread.key(), view).size());
            }
            bigMessage(folder);
        }
    }

    /** Appends the messages in transactions of a thousand: varied senders, subjects, threads, flags and sizes. */
    private static void fill(Folder folder, int count) throws IOException {
        for (int first = 0; first < count; first += 1000) {
            try (Appender appender = folder.append()) {
                for (int i = first; i < Math.min(count, first + 1000); i++) {
                    int system = (i % 10 < 7 ? Flags.SEEN : 0) | (i % 20 == 0 ? Flags.FLAGGED : 0);
                    Flags flags = i % 10 == 3 ? Flags.of(system, "$Work") : Flags.of(system);
                    appender.add(new ByteArrayInputStream(message(i).getBytes(StandardCharsets.UTF_8)), flags,
                            START.plusSeconds(i * 90L));
                }
                appender.commit();
            }
        }
    }

    private static String message(int i) {
        int thread = i / 5;
        String subject = (i % 5 == 0 ? "" : "Re: ") + "topic " + (thread % 1000) + " number " + thread;
        String references = i % 5 == 0 ? "" : "References: <" + (thread * 5) + "@bench.example>\n";
        return "From: User " + (i % 500) + " <user" + (i % 500) + "@example" + (i % 7) + ".org>\n"
                + "To: bench@example.test\n"
                + "Subject: " + subject + "\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(START.plusSeconds(i * 90L).atOffset(ZoneOffset.UTC)) + "\n"
                + "Message-ID: <" + i + "@bench.example>\n" + references
                + "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
                + LOREM.repeat(3 + i % 5) + "needle" + i + "\n";
    }

    /** BODY through a 50 MB message: throughput, and the heap it took. */
    private static void bigMessage(Folder folder) throws IOException {
        byte[] line = (LOREM + "\n").getBytes(StandardCharsets.UTF_8);
        long size = 50L * 1024 * 1024;
        InputStream body = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? line[(int) (left % line.length)] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) return -1;
                int n = (int) Math.min(len, left);
                for (int k = 0; k < n; k++) b[off + k] = line[(int) ((left - k) % line.length)];
                left -= n;
                return n;
            }
        };
        InputStream message = new SequenceInputStream(
                new ByteArrayInputStream("Subject: big\nContent-Type: text/plain\n\n".getBytes(StandardCharsets.US_ASCII)),
                new SequenceInputStream(body, new ByteArrayInputStream("\nthe end\n".getBytes(StandardCharsets.US_ASCII))));
        long uid = Appender.appendOne(folder, message, Flags.NONE, START).uids().first();
        MailboxView view = new MailboxView(folder.snapshot().uids(), null, null);
        SearchEngine engine = new SearchEngine(folder, ZoneOffset.UTC);
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long heapBefore = runtime.totalMemory() - runtime.freeMemory();
        long t = System.nanoTime();
        int found = engine.search(key("UID " + uid + " BODY \"the end\""), view).size();
        double s = seconds(t);
        long heapAfter = runtime.totalMemory() - runtime.freeMemory();
        System.out.printf(Locale.ROOT, "%-58s %10.1f ms  (%,d found, %.0f MB/s, heap grew %,d KB, -Xmx %,d MB)%n",
                "SEARCH BODY through one 50 MB message", s * 1000, found, size / 1e6 / s,
                (heapAfter - heapBefore) / 1024, runtime.maxMemory() / (1024 * 1024));
    }

    @FunctionalInterface
    private interface Run {
        int run() throws IOException;
    }

    /** Runs {@code runs} times to warm up, then {@code runs} times measured; prints the median and the best. */
    private static void time(String label, int runs, Run run) throws IOException {
        int found = 0;
        for (int i = 0; i < runs; i++) found = run.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            run.run();
            ms[i] = millis(t);
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%-58s %10.1f ms  (%,d found; min %.1f ms)%n", label, ms[runs / 2], found, ms[0]);
    }

    private static SearchKey key(String program) {
        return ((Command.Search) parse("SEARCH " + program)).key();
    }

    private static Command parse(String command) {
        byte[] line = ("b1 " + command + "\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            Received received = new CommandReader(new ByteArrayInputStream(line), ReaderLimits.DEFAULT, () -> { }).next();
            if (received instanceof Received.Request request) return request.command();
            throw new IllegalArgumentException("not a command: " + command + ": " + received);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double millis(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
