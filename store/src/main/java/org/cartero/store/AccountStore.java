package org.cartero.store;

import java.io.IOException;
import java.util.List;
import org.cartero.core.directory.Account;

/**
 * One account's folders, as one session (or one delivery) sees them. Folder names are Unicode
 * with "/" as hierarchy separator; INBOX always exists. Every name passes
 * {@link FolderName#normalize} first, so a client's name cannot reach outside the account's
 * storage. Not meant to be shared between sessions: each opens its own.
 */
public interface AccountStore extends AutoCloseable {

    Account account();

    /**
     * Every folder, INBOX first then by name, with the names that exist only as parents of
     * others listed as not selectable.
     */
    List<FolderInfo> list() throws IOException;

    /** Creates a folder and any missing parents (RFC 9051 section 6.3.4). */
    void create(String name) throws IOException;

    /** Creates a folder for a special use (RFC 6154 section 3, CREATE-SPECIAL-USE). */
    void create(String name, SpecialUse use) throws IOException;

    /**
     * The name of the folder marked for {@code use}; when there is none, a folder of the
     * default name ("Sent", "Trash"...) is created or, if it exists, marked.
     */
    String specialUse(SpecialUse use) throws IOException;

    /**
     * Deletes a folder and its messages; its children stay (RFC 9051 section 6.3.5), and the
     * name then lives on as their non-selectable parent. INBOX cannot be deleted.
     */
    void delete(String name) throws IOException;

    /**
     * Renames a folder with all its children (RFC 9051 section 6.3.6). Renaming INBOX moves its
     * messages into a new folder and leaves INBOX empty.
     */
    void rename(String from, String to) throws IOException;

    void subscribe(String name) throws IOException;

    void unsubscribe(String name) throws IOException;

    /** Subscribed names in order, whether or not the folders exist (RFC 9051 section 6.3.7). */
    List<String> subscriptions() throws IOException;

    FolderStatus status(String name) throws IOException;

    /** Opens a folder for reading and changing; closing it releases its change watches. */
    Folder open(String name) throws IOException;

    QuotaUsage quota() throws IOException;

    /**
     * Takes the account's maildrop lock for a POP3 session (RFC 1939 section 8: exclusive
     * access from PASS to QUIT): the spool file's lock for an mbox INBOX (so deliveries and mail
     * readers wait), a lock file for a Maildir. The attempt does not wait for another session or
     * program that holds the maildrop (it may hold it for minutes): it fails at once, and the
     * client is told [IN-USE]. The lock belongs to the calling thread and is released by closing it.
     *
     * @throws MailboxLockedException when another session or program holds it
     */
    MaildropLock lockMaildrop() throws IOException;

    @Override
    void close();
}
