package org.cartero.store;

/**
 * The disk (or a file-size limit) refused the write: SMTP 452 4.3.1, IMAP NO [SERVERBUG]-free
 * temporary failure. Nothing of the message was left behind.
 */
public class StorageFullException extends StoreException {
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTemporary() {
        return true;
    }
}
