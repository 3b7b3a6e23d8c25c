package org.cartero.store;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/**
 * Appends messages to a folder in one transaction (the shape of maddy's delivery interface):
 * each {@link #add} streams a message to a temporary file, made durable, and learns its
 * structure; {@link #commit} gives them UIDs and makes them visible together; closing without
 * commit discards them. Nothing half-written is ever visible.
 */
public interface Appender extends AutoCloseable {

    /**
     * Adds one message read from {@code message} (CRLF or LF line ends, stored with LF), with
     * its flags and internal date (null: now).
     *
     * @throws StorageFullException when the disk refused the write
     */
    void add(InputStream message, Flags flags, Instant internalDate) throws IOException;

    /**
     * Makes the added messages visible and returns their UIDs.
     *
     * @throws OverQuotaException when they would exceed the account's quota; nothing is added
     */
    AppendResult commit() throws IOException;

    /** Discards what was added and not committed. */
    @Override
    void close();

    /** Convenience: one message in its own transaction. */
    static AppendResult appendOne(Folder folder, InputStream message, Flags flags, Instant internalDate) throws IOException {
        try (Appender appender = folder.append()) {
            appender.add(message, flags, internalDate);
            return appender.commit();
        }
    }
}
