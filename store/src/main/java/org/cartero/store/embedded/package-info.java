/**
 * The store as files: Maildir++ for virtual users, the spool mbox as a local user's INBOX with
 * their other folders in ~/Maildir, and an SQLite index per account that caches UIDs, flags,
 * MODSEQs and parsed structures. The files are the truth: every folder is synchronised with its
 * files (cheaply, by directory times and the spool's size and inode) before it is read, so mail
 * that other programs deliver, rename or remove is seen, and a lost index is rebuilt.
 *
 * <p>Reading a whole message costs one file opened and read to the size the index gives; with
 * the location a listing handed out (a file name, or spool offsets with the spool's state then)
 * it needs no index read at all, which is how POP3 sends a maildrop.
 *
 * <p>Locks, always taken in this order: the spool file's lock (mbox only), then the index's
 * write transaction. Changes by this process wake waiting sessions directly; changes by other
 * processes through {@code FolderWatcher} (inotify).
 */
package org.cartero.store.embedded;
