package org.cartero.store;

/**
 * Where a message's content lay when a folder listed it ({@link Folder.Include#LOCATION}): what
 * lets {@link Folder#openMessage(long, MessageLocation)} open the message without asking the index again.
 * Opaque to callers and meaningful only to the folder that listed it; a location that went stale
 * (another session changed the message's flags, which renames a Maildir file) is looked up again.
 */
public interface MessageLocation {}
