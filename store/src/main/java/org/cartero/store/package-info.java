/**
 * The mailbox store's interface, the seam between the protocols and the storage.
 *
 * <p>A {@link org.cartero.store.MailStore} opens an {@link org.cartero.store.AccountStore} per
 * account (folders, subscriptions, quota, the POP3 maildrop lock); an
 * {@link org.cartero.store.AccountStore} opens {@link org.cartero.store.Folder}s (status,
 * snapshots, the change feed, flags, copy and move, expunge, append, and
 * {@link org.cartero.store.Folder#openMessage} for sending a whole message); a
 * {@link org.cartero.store.MessageContent} gives one message's structure and bytes by part or range. Values are
 * records ({@link org.cartero.store.Flags}, {@link org.cartero.store.UidSet},
 * {@link org.cartero.store.FolderStatus}...), failures that protocols name are
 * {@link org.cartero.store.StoreException}s.
 *
 * <p>Implementations: {@code embedded} (Maildir and mbox files with an SQLite index per
 * account), later PostgreSQL. Sub-packages: {@code mime} (the structure parsed once at
 * arrival), {@code index} (the SQLite index), {@code maildir} and {@code mbox} (the file
 * formats and their locking), {@code files} (durability and ownership), {@code delivery}
 * (local delivery for SMTP).
 */
package org.cartero.store;
