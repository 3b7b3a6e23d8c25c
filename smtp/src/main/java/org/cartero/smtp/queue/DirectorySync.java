package org.cartero.smtp.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes the entries created or renamed in one directory durable, with one fsync for every caller
 * waiting at that moment (group commit): a caller whose change happened before a sync started is
 * covered by that sync; the others wait for the next one, which one of them runs. Under load
 * many sessions that accepted a message share one directory fsync.
 */
final class DirectorySync {
    private final Path directory;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition done = lock.newCondition();
    private long requested; // tickets handed out
    private long completed; // every ticket up to this one is durable
    private boolean syncing;

    DirectorySync(Path directory) {
        this.directory = directory;
    }

    /**
     * Returns once every change made in the directory before this call is on disk. When the
     * fsync fails, its runner gets the exception and the others it would have covered try
     * again themselves, so nobody returns without a successful sync.
     */
    void sync() throws IOException {
        lock.lock();
        try {
            long ticket = ++requested;
            while (completed < ticket) {
                if (syncing) {
                    done.awaitUninterruptibly();
                    continue;
                }
                syncing = true;
                long upTo = requested;
                boolean synced = false;
                lock.unlock();
                try {
                    force(directory);
                    synced = true;
                } finally {
                    lock.lock();
                    syncing = false;
                    if (synced) completed = Math.max(completed, upTo);
                    done.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    static void force(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
