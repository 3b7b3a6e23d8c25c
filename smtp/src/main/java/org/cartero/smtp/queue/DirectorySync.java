package org.cartero.smtp.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes the entries created or renamed in one directory durable, with one directory fsync for
 * every caller waiting at that moment ({@link GroupSync}).
 */
final class DirectorySync {
    private final Path directory;
    private final ReentrantLock lock = new ReentrantLock();
    private final GroupSync group = new GroupSync(lock);

    DirectorySync(Path directory) {
        this.directory = directory;
    }

    /** Returns once every change made in the directory before this call is on disk. */
    void sync() throws IOException {
        lock.lock();
        try {
            group.await(group.ticket(), () -> () -> force(directory));
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
