package org.cartero.store;

import java.io.IOException;
import org.cartero.core.directory.Account;

/**
 * The mailbox store: every account's folders and messages. This interface is the seam between
 * the protocols (IMAP, POP3, local delivery, webmail) and the storage: the embedded store
 * (Maildir and mbox files with an SQLite index) implements it today, a PostgreSQL store later.
 * Thread-safe; one instance serves the whole process.
 */
public interface MailStore extends AutoCloseable {

    /**
     * Opens an account's mail, creating its storage on first use. Each session opens its own
     * {@link AccountStore} and closes it when done; opening is cheap once the account is open
     * elsewhere in the process.
     */
    AccountStore open(Account account) throws IOException;

    /** Stops change watching and closes every index; open account stores become unusable. */
    @Override
    void close();
}
