package org.cartero.store;

/** The POP3 maildrop lock of {@link AccountStore#lockMaildrop()}; closing releases it. */
public interface MaildropLock extends AutoCloseable {
    @Override
    void close();
}
