package org.cartero.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.cartero.core.directory.VirtualAccount;
import org.cartero.core.mail.MailAddress;
import org.cartero.store.AccountStore;
import org.cartero.store.Folder;
import org.cartero.store.MessageContent;
import org.cartero.store.MessageInfo;
import org.cartero.store.Snapshot;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;
import org.cartero.store.delivery.LocalDelivery;
import org.cartero.store.embedded.EmbeddedMailStore;

/**
 * The store benchmark of issue 3: delivers N messages of S bytes into one virtual user's
 * Maildir, opens that folder cold (a fresh process state) and warm, lists UID, flags and size of
 * every message (the index part of IMAP's FETCH 1:* (UID FLAGS RFC822.SIZE)), the same with
 * envelopes, and reads every body three ways (with its structure, as a part fetch does; whole by
 * UID; whole by the location a listing gave, as POP3 does); reports messages/s, MB/s and heap.
 *
 * <pre>
 * mvn -q -B -ntp -DskipTests -pl bench -am package
 * java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" org.cartero.bench.StoreBenchmark \
 *      [--messages 100000] [--size 4096] [--threads 8] [--dir DIR]
 * </pre>
 * Without --dir a directory under /tmp is used and removed afterwards.
 */
public final class StoreBenchmark {
    private static final String LINE = "The quick brown fox jumps over the lazy dog, and so does the store benchmark.\r\n";

    public static void main(String[] args) throws Exception {
        int messages = 100_000;
        int size = 4096;
        int threads = 8;
        int idle = 10_000;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Integer.parseInt(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                case "--idle" -> idle = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: StoreBenchmark [--messages N] [--size BYTES] [--threads T] [--idle N] [--dir DIR]");
            }
        }
        boolean temporary = dir == null;
        if (temporary) dir = Files.createTempDirectory("cartero-store-bench");
        try {
            run(dir, messages, size, threads, idle);
        } finally {
            if (temporary) deleteTree(dir);
        }
    }

    private static void run(Path dir, int count, int size, int threads, int idle) throws Exception {
        VirtualAccount account = new VirtualAccount(MailAddress.parse("bench@bench.test"), 0);
        EmbeddedMailStore.Settings settings = new EmbeddedMailStore.Settings(dir.resolve("data"), dir.resolve("spool"),
                "Maildir", "bench.test", Duration.ofSeconds(60));
        System.out.printf(Locale.ROOT, "Cartero store benchmark: %d messages of %d bytes, %d delivering threads, in %s%n",
                count, size, threads, dir);
        System.out.printf(Locale.ROOT, "java %s, %d cores, max heap %d MB%n%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);

        // 1. deliver
        try (EmbeddedMailStore store = new EmbeddedMailStore(settings)) {
            LocalDelivery delivery = new LocalDelivery(store);
            AtomicLong next = new AtomicLong();
            AtomicLong bytes = new AtomicLong();
            long t0 = System.nanoTime();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    workers.add(pool.submit(() -> {
                        for (long i; (i = next.incrementAndGet()) <= count; ) {
                            byte[] msg = message(i, size);
                            delivery.deliver(new ByteArrayInputStream(msg), account, account.address(), "bench@sender.test");
                            bytes.addAndGet(msg.length);
                        }
                        return null;
                    }));
                }
                for (Future<?> w : workers) w.get();
            }
            report("deliver (fsync'd, with index)", count, bytes.get(), System.nanoTime() - t0);
        }

        // 2. open cold: a new store (no caches, index connections closed); the first session moves new/ to cur/
        long heapBefore = heap();
        ManagementFactory.getMemoryPoolMXBeans().forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        try (EmbeddedMailStore store = new EmbeddedMailStore(settings)) {
            timedSelect(store, account, "open INBOX, first time after delivery (moves new/ to cur/)");
        }
        try (EmbeddedMailStore store = new EmbeddedMailStore(settings)) {
            timedSelect(store, account, "open INBOX cold (new store, index on disk)");

            // 3. open warm: the account is open in the process, as for a second IMAP session
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 20; i++) {
                long t1 = System.nanoTime();
                try (AccountStore a = store.open(account); Folder inbox = a.open("INBOX")) {
                    UidList uids = inbox.snapshot().uids();
                    if (uids.size() != count) throw new IllegalStateException("expected " + count + " messages, got " + uids.size());
                }
                best = Math.min(best, System.nanoTime() - t1);
            }
            report("open INBOX warm (status + all UIDs), best of 20", count, 0, best);

            try (AccountStore a = store.open(account); Folder inbox = a.open("INBOX")) {
                Snapshot s = inbox.snapshot();
                System.out.printf(Locale.ROOT, "%-60s %10d KB%n", "heap: a selected folder's UID list", (s.uids().size() * 4L) >> 10);

                // 4. list UIDs, flags, sizes; then with envelopes
                for (boolean envelopes : new boolean[] {false, true}) {
                    for (int round = 0; round < 2; round++) {
                        long t1 = System.nanoTime();
                        AtomicLong n = new AtomicLong();
                        AtomicLong sum = new AtomicLong();
                        inbox.messages(UidSet.all(), envelopes ? java.util.Set.of(Folder.Include.ENVELOPE) : java.util.Set.of(), m -> {
                            n.incrementAndGet();
                            sum.addAndGet(m.size() + m.flags().system());
                        });
                        report((envelopes ? "list UID FLAGS RFC822.SIZE ENVELOPE" : "list UID FLAGS RFC822.SIZE")
                                + (round == 0 ? " (first)" : " (again)"), n.get(), 0, System.nanoTime() - t1);
                    }
                }

                // 5. read every body
                readEveryMessage(inbox, s.uids());
            }
            System.out.printf(Locale.ROOT, "%-60s %10d MB (before opening: %d MB)%n", "heap in use after all of it (after GC)",
                    heap() >> 20, heapBefore >> 20);
            System.out.printf(Locale.ROOT, "%-60s %10d MB%n", "heap peak while opening, listing and reading (before GC)",
                    peakHeap() >> 20);
        }
        System.out.printf(Locale.ROOT, "%-60s %10d MB%n", "disk: Maildir and index", du(dir.resolve("data")) >> 20);
        if (idle > 0) idleSessions(settings, account, idle);
    }

    /**
     * What waiting sessions cost the store: N sessions that selected the big folder and wait
     * for changes (an IMAP IDLE's state in the store: its UID list and a watch), then N
     * sessions on N different small accounts; heap and resident memory per session.
     */
    private static void idleSessions(EmbeddedMailStore.Settings settings, VirtualAccount big, int n) throws Exception {
        System.out.println();
        try (EmbeddedMailStore store = new EmbeddedMailStore(settings)) {
            long heap0 = heap();
            long rss0 = rss();
            List<AutoCloseable> held = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                AccountStore a = store.open(big);
                Folder inbox = a.open("INBOX");
                UidList uids = inbox.snapshot().uids();
                Folder.Watch w = inbox.watch(() -> { });
                held.add(w);
                held.add(inbox);
                held.add(a);
                held.add(() -> uids.size()); // keeps the session's UID list alive
            }
            long heap1 = heap();
            long rss1 = rss();
            System.out.printf(Locale.ROOT, "%-60s %10.1f KB heap, %.1f KB resident%n",
                    n + " sessions waiting on the " + big.address() + " INBOX, each", (heap1 - heap0) / 1024.0 / n, (rss1 - rss0) / 1024.0 / n);
            for (int i = held.size() - 1; i >= 0; i--) held.get(i).close();
        }
        int accounts = Math.min(n, 2000);
        LocalDelivery delivery;
        try (EmbeddedMailStore store = new EmbeddedMailStore(settings)) {
            delivery = new LocalDelivery(store);
            for (int i = 0; i < accounts; i++) {
                VirtualAccount a = new VirtualAccount(MailAddress.parse("user" + i + "@idle.test"), 0);
                delivery.deliver(new ByteArrayInputStream(message(i, 4096)), a, a.address(), "x@y.test");
            }
        }
        try (EmbeddedMailStore store = new EmbeddedMailStore(settings)) {
            long heap0 = heap();
            long rss0 = rss();
            List<AutoCloseable> held = new ArrayList<>();
            for (int i = 0; i < accounts; i++) {
                AccountStore a = store.open(new VirtualAccount(MailAddress.parse("user" + i + "@idle.test"), 0));
                Folder inbox = a.open("INBOX");
                UidList uids = inbox.snapshot().uids();
                held.add(inbox.watch(() -> { }));
                held.add(inbox);
                held.add(a);
                held.add(() -> uids.size());
            }
            store.closeIdleConnections(Duration.ZERO); // as the store does after 30 idle seconds
            long heap1 = heap();
            long rss1 = rss();
            System.out.printf(Locale.ROOT, "%-60s %10.1f KB heap, %.1f KB resident%n",
                    accounts + " sessions waiting on " + accounts + " different accounts, each",
                    (heap1 - heap0) / 1024.0 / accounts, (rss1 - rss0) / 1024.0 / accounts);
            for (int i = held.size() - 1; i >= 0; i--) held.get(i).close();
        }
    }

    /**
     * Resident memory of this process (Linux), in bytes, after asking glibc to give freed native
     * memory back (malloc_trim), so that the figure is what is held, not what was once used.
     */
    private static long rss() throws IOException {
        try {
            var linker = java.lang.foreign.Linker.nativeLinker();
            var trim = linker.downcallHandle(linker.defaultLookup().find("malloc_trim").orElseThrow(),
                    java.lang.foreign.FunctionDescriptor.of(java.lang.foreign.ValueLayout.JAVA_INT, java.lang.foreign.ValueLayout.JAVA_LONG));
            trim.invoke(0L);
        } catch (Throwable e) {
            // not glibc: the figure includes freed memory
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        return 0;
    }

    /** Opens the account and INBOX and takes a snapshot (an IMAP SELECT's work in the store), timed. */
    private static void timedSelect(EmbeddedMailStore store, VirtualAccount account, String label) throws IOException {
        long t0 = System.nanoTime();
        Snapshot snap;
        try (AccountStore a = store.open(account); Folder inbox = a.open("INBOX")) {
            snap = inbox.snapshot();
        }
        report(label, snap.uids().size(), 0, System.nanoTime() - t0);
    }

    /**
     * Reads every message three ways: with its structure (as a part or range fetch does), whole
     * by UID, and whole by the location a listing gave (as POP3 does).
     */
    private static void readEveryMessage(Folder inbox, UidList uids) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long t1 = System.nanoTime();
        long total = 0;
        for (int seq = 1; seq <= uids.size(); seq++) {
            MessageContent c = inbox.content(uids.uidAt(seq));
            try (InputStream in = c.open()) {
                total += drain(in, buf);
            }
        }
        report("read every message: content(uid).open()", uids.size(), total, System.nanoTime() - t1);
        t1 = System.nanoTime();
        total = 0;
        for (int seq = 1; seq <= uids.size(); seq++) {
            try (InputStream in = inbox.openMessage(uids.uidAt(seq))) {
                total += drain(in, buf);
            }
        }
        report("read every message: openMessage(uid)", uids.size(), total, System.nanoTime() - t1);
        long heapBefore = heap();
        t1 = System.nanoTime();
        List<MessageInfo> listed = new ArrayList<>(uids.size());
        inbox.messages(UidSet.all(), java.util.Set.of(Folder.Include.LOCATION), listed::add);
        total = 0;
        for (MessageInfo m : listed) {
            try (InputStream in = inbox.openMessage(m.uid(), m.location())) {
                total += drain(in, buf);
            }
        }
        report("read every message: list locations, openMessage(listed)", listed.size(), total, System.nanoTime() - t1);
        System.out.printf(Locale.ROOT, "%-60s %10.0f B%n", "heap: a message listed with its location (a MessageInfo)",
                (double) (heap() - heapBefore) / Math.max(1, listed.size()));
    }

    private static long drain(InputStream in, byte[] buf) throws IOException {
        long n = 0;
        for (int r; (r = in.read(buf)) > 0; ) n += r;
        return n;
    }

    static byte[] message(long i, int size) {
        StringBuilder sb = new StringBuilder(size + 100);
        sb.append("From: Sender ").append(i % 97).append(" <sender").append(i % 97).append("@example.org>\r\n")
                .append("To: bench@bench.test\r\nSubject: benchmark message ").append(i).append("\r\n")
                .append("Date: Thu, 26 Nov 2026 14:00:00 +0000\r\nMessage-ID: <").append(i).append("@bench.test>\r\n")
                .append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        while (sb.length() + LINE.length() <= size) sb.append(LINE);
        while (sb.length() < size - 2) sb.append('x');
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void report(String what, long count, long bytes, long nanos) {
        double s = nanos / 1e9;
        String rate = count > 0 && s > 0 ? String.format(Locale.ROOT, "%,12.0f msg/s", count / s) : "";
        String mb = bytes > 0 ? String.format(Locale.ROOT, "%8.1f MB/s", bytes / 1e6 / s) : "";
        String time = s < 1 ? String.format(Locale.ROOT, "%9.2f ms", s * 1000) : String.format(Locale.ROOT, "%9.2f s ", s);
        System.out.printf(Locale.ROOT, "%-60s %s %s %s%n", what, time, rate, mb);
    }

    private static long heap() {
        for (int i = 0; i < 3; i++) System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long peakHeap() {
        long sum = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        }
        return sum;
    }

    private static long du(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
