package org.cartero.store.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.cartero.store.StorageFullException;

/** Helpers for making file changes durable, and for telling a full disk from other failures. */
public final class Durable {
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
