package org.cartero.store;

import java.time.Instant;
import org.cartero.store.mime.Envelope;

/**
 * A message's metadata from the index: what FETCH UID, FLAGS, MODSEQ, INTERNALDATE and
 * RFC822.SIZE need without opening the message. {@code size} counts the message with CRLF line
 * ends, as IMAP and POP3 send it. {@code envelope} is null unless it was asked for.
 */
public record MessageInfo(long uid, long modseq, Flags flags, Instant internalDate, long size, Envelope envelope) {}
