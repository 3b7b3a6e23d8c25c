package org.cartero.core.net;

import java.io.IOException;

/**
 * A line longer than {@code limits.max_line_length}. By the time this is thrown the rest of the
 * line has been read and thrown away, so the session can answer with its protocol's error and
 * read the next line.
 */
public final class LineTooLongException extends IOException {
    private final int maxLength;

    public LineTooLongException(int maxLength) {
        super("line longer than " + maxLength + " bytes");
        this.maxLength = maxLength;
    }

    /** The longest line accepted, in bytes, not counting the line ending. */
    public int maxLength() {
        return maxLength;
    }
}
