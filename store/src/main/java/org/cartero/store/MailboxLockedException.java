package org.cartero.store;

/**
 * Another session or program holds the maildrop lock (POP3 [IN-USE], RFC 2449 section 8.1.2;
 * a delivery waiting too long for an mbox lock fails temporarily).
 */
public class MailboxLockedException extends StoreException {
    public MailboxLockedException(String message) {
        super(message);
    }

    @Override
    public boolean isTemporary() {
        return true;
    }
}
