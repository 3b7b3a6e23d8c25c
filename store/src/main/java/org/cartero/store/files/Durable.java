package org.cartero.store.files;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.cartero.store.StorageFullException;

/** Helpers for making file changes durable, and for telling a full disk from other failures. */
public final class Durable {
    private static final int CONCURRENT_FLUSHES = 16;

    private Durable() {}

    /**
     * Flushes a directory, so that a file created, renamed or removed in it survives a crash
     * (the rename of a Maildir delivery is durable only once its directory is flushed).
     */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Flushes a file's content and metadata to disk. */
    public static void syncFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Flushes several files' content and metadata, {@value #CONCURRENT_FLUSHES} at a time: the
     * disk takes their writes together, where one flush after the other waits for each in turn.
     */
    public static void syncFiles(List<Path> files) throws IOException {
        if (files.size() == 1) {
            syncFile(files.getFirst());
            return;
        }
        Semaphore slots = new Semaphore(CONCURRENT_FLUSHES);
        List<Future<Void>> flushes = new ArrayList<>(files.size());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Path file : files) {
                slots.acquireUninterruptibly();
                flushes.add(threads.submit(() -> {
                    try {
                        syncFile(file);
                        return null;
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        for (Future<Void> flush : flushes) {
            try {
                flush.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) throw io;
                throw new IOException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while flushing files");
            }
        }
    }

    /**
     * True when the failure means "no room": ENOSPC, EDQUOT, or EFBIG (a file-size limit). The
     * JDK reports these only through the message text of the system error.
     */
    public static boolean isNoSpace(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof FileSystemException fse ? fse.getReason() : t.getMessage();
            if (m == null) continue;
            m = m.toLowerCase(Locale.ROOT);
            if (m.contains("no space left") || m.contains("quota exceeded") || m.contains("file too large")) return true;
        }
        return false;
    }

    /** Turns a "no room" failure into the store's temporary {@link StorageFullException}. */
    public static IOException classify(IOException e, String what) {
        if (e instanceof StorageFullException || !isNoSpace(e)) return e;
        return new StorageFullException("no room to store " + what + ": " + e.getMessage(), e);
    }
}
