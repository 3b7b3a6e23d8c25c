package org.cartero.store;

/**
 * The account's storage quota would be exceeded (IMAP [OVERQUOTA], RFC 9208 section 4.3;
 * SMTP 452 4.2.2 "mailbox full", temporary so the sender retries once the user has made room).
 */
public class OverQuotaException extends StoreException {
    private final QuotaUsage usage;
    private final long needed;

    public OverQuotaException(QuotaUsage usage, long needed) {
        super("mailbox full: " + usage.storageBytes() + " of " + usage.storageLimitBytes()
                + " bytes used, " + needed + " more needed");
        this.usage = usage;
        this.needed = needed;
    }

    public QuotaUsage usage() {
        return usage;
    }

    public long needed() {
        return needed;
    }

    @Override
    public boolean isTemporary() {
        return true;
    }
}
