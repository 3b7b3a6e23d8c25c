package org.cartero.smtp.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The message to send, re-readable: it is opened for each attempt and streamed, never held whole.
 *
 * @param source   opens the message (header and body, as stored) from its start
 * @param size     its size in octets, declared to servers that support SIZE (RFC 1870)
 * @param eightBit whether some octet is above 127: the content then needs 8BITMIME (RFC 6152)
 */
public record MessageContent(Source source, long size, boolean eightBit) {

    /** Opens the message for reading; each call starts at its first octet. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    public MessageContent {
        Objects.requireNonNull(source);
        if (size < 0) throw new IllegalArgumentException("negative size");
    }

    /** The message in a file of its own. */
    public static MessageContent ofFile(Path file, boolean eightBit) throws IOException {
        return new MessageContent(() -> Files.newInputStream(file), Files.size(file), eightBit);
    }
}
