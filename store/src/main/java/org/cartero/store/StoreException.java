package org.cartero.store;

import java.io.IOException;

/**
 * A store operation that failed for a reason a protocol can name. Each subclass maps to one
 * reply: IMAP response codes (RFC 5530), SMTP enhanced status codes (RFC 3463). Plain
 * {@code IOException}s that are not StoreExceptions are server faults.
 */
public class StoreException extends IOException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when trying again later may succeed: SMTP answers 4xx, not 5xx. */
    public boolean isTemporary() {
        return false;
    }
}
