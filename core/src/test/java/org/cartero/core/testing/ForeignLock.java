package org.cartero.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Another program's POSIX record lock (fcntl) on a whole file, the lock mutt and procmail take
 * on a spool mbox while they write: held by a python3 child process (its fcntl.lockf) from
 * {@link #hold} until {@link #close()}, when the program ends and the kernel drops its lock.
 */
public final class ForeignLock implements AutoCloseable {
    private final Process holder;

    private ForeignLock(Process holder) {
        this.holder = holder;
    }

    /** Returns once the lock is held. */
    public static ForeignLock hold(Path file) throws IOException {
        Process holder = new ProcessBuilder("python3", "-c", """
                import fcntl, sys
                f = open(sys.argv[1], 'r+')
                fcntl.lockf(f, fcntl.LOCK_EX)
                print('locked', flush=True)
                sys.stdin.read()
                """, file.toString()).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        if (!"locked".equals(line)) {
            holder.destroyForcibly();
            throw new IOException("python3 could not lock " + file + ": " + line);
        }
        return new ForeignLock(holder);
    }

    /** Ends the program, and its lock with it. */
    @Override
    public void close() throws IOException {
        holder.getOutputStream().close();
        try {
            holder.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            holder.destroyForcibly();
        }
    }
}
