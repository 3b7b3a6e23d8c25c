package org.cartero.bench.pop3;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of a server from /proc: its process and every descendant, each counted with the time
 * of its own children that have ended (cutime and cstime), so that the short-lived processes
 * Dovecot forks per session are counted once their parent has reaped them. In milliseconds;
 * the kernel counts in clock ticks of 10 ms.
 */
final class ProcessCpu {
    private static final long MILLIS_PER_TICK = 10; // getconf CLK_TCK = 100 on Linux

    private ProcessCpu() {}

    /** The CPU time used so far by {@code root} and its descendants. */
    static long millis(long root) throws IOException {
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException e) {
                    continue; // ended while we looked
                }
                // The command name may hold spaces and parentheses: the fields follow the last ')'.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long pid = Long.parseLong(process.getFileName().toString());
                parents.put(pid, Long.parseLong(fields[1]));
                // utime, stime, cutime, cstime: fields 14 to 17 of stat(5), here 11 to 14.
                ticks.put(pid, Long.parseLong(fields[11]) + Long.parseLong(fields[12])
                        + Long.parseLong(fields[13]) + Long.parseLong(fields[14]));
            }
        }
        long total = 0;
        List<Long> tree = new ArrayList<>(List.of(root));
        for (int i = 0; i < tree.size(); i++) {
            long pid = tree.get(i);
            total += ticks.getOrDefault(pid, 0L);
            for (Map.Entry<Long, Long> p : parents.entrySet()) {
                if (p.getValue() == pid) tree.add(p.getKey());
            }
        }
        return total * MILLIS_PER_TICK;
    }

    /** The CPU time of a JVM's JIT compiler threads so far (0 for a process that has none). */
    static long compilerMillis(long pid) throws IOException {
        long ticks = 0;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm"));
                    if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) continue;
                    String stat = Files.readString(thread.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (IOException e) {
                    // the thread ended
                }
            }
        }
        return ticks * MILLIS_PER_TICK;
    }
}
