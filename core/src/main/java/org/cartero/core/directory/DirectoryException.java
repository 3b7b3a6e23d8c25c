package org.cartero.core.directory;

/**
 * The directory cannot answer or cannot make a change. For a query this is a temporary
 * condition (the database or a file cannot be read now): a protocol answers with a temporary
 * failure, never "no such user". For an administrative change the message says what is wrong
 * ("domain example.test still has 2 users") and is meant to be shown as is.
 */
public final class DirectoryException extends Exception {
    public DirectoryException(String message) {
        super(message);
    }

    public DirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
