package org.cartero.store;

/**
 * An account's use of its quota (RFC 9208 resources STORAGE and MESSAGE). A limit of 0 means
 * unlimited. {@code storageBytes} sums the RFC822.SIZE of all messages in all folders.
 */
public record QuotaUsage(long storageBytes, long storageLimitBytes, long messages) {

    public boolean limited() {
        return storageLimitBytes > 0;
    }
}
