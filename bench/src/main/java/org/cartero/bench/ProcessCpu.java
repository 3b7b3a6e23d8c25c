package org.cartero.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * CPU time of a server from /proc: its own user and system time, that of every process below it
 * still running, and that of the children it has reaped (Postfix's master starts and reaps its
 * daemons). Differences of two readings give the CPU the server spent in between.
 */
final class ProcessCpu {
    /** USER_HZ: the unit of /proc/PID/stat times on Linux. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    /** Seconds of CPU used by {@code root} and all its descendants, including reaped ones. */
    static double seconds(long root) throws IOException {
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, long[]> times = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (NoSuchFileException e) {
                    continue; // gone meanwhile
                }
                // The command name is in parentheses and may hold spaces: fields start after the last ")".
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long pid = Long.parseLong(p.getFileName().toString());
                parents.put(pid, Long.parseLong(f[1]));
                // utime, stime, cutime, cstime are fields 14-17 of stat, 12-15 after the name.
                times.put(pid, new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])});
            }
        }
        Set<Long> tree = new HashSet<>();
        tree.add(root);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map.Entry<Long, Long> e : parents.entrySet()) {
                if (tree.contains(e.getValue()) && tree.add(e.getKey())) grew = true;
            }
        }
        long ticks = 0;
        for (long pid : tree) {
            long[] t = times.get(pid);
            // Its own time and that of the children it reaped (gone from /proc, so counted nowhere else).
            if (t != null) ticks += t[0] + t[1] + t[2] + t[3];
        }
        return ticks / TICKS_PER_SECOND;
    }
}
