package org.cartero.store.delivery;

import java.io.IOException;

/**
 * A delivery that did not happen, with what SMTP should answer: {@link #temporary()} (4xx: the
 * sender keeps the message and retries, RFC 5321 section 4.2.5) or permanent (5xx), and the
 * enhanced status code (RFC 3463). Nothing of the message was stored.
 */
public final class DeliveryException extends IOException {
    private final boolean temporary;
    private final String enhancedStatus;

    public DeliveryException(boolean temporary, String enhancedStatus, String message, Throwable cause) {
        super(message, cause);
        this.temporary = temporary;
        this.enhancedStatus = enhancedStatus;
    }

    public boolean temporary() {
        return temporary;
    }

    /** "4.2.2" for a full mailbox, "4.3.1" for a full disk, ... */
    public String enhancedStatus() {
        return enhancedStatus;
    }
}
