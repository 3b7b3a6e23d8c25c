package org.cartero.store;

/**
 * What IMAP STATUS and SELECT report about a folder (RFC 9051 section 6.3.11, RFC 7162 for
 * HIGHESTMODSEQ, RFC 8438 for SIZE). {@code size} is the sum of the messages' RFC822.SIZE.
 */
public record FolderStatus(String name, long uidValidity, long uidNext, long highestModseq,
                           long messages, long unseen, long size) {}
