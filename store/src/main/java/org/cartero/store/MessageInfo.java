package org.cartero.store;

import java.time.Instant;
import org.cartero.store.mime.Envelope;
import org.cartero.store.mime.Part;

/**
 * A message's metadata from the index: what FETCH UID, FLAGS, MODSEQ, INTERNALDATE,
 * RFC822.SIZE, ENVELOPE and BODYSTRUCTURE need without opening the message. {@code size}
 * counts the message with CRLF line ends, as IMAP and POP3 send it. {@code envelope},
 * {@code structure} and {@code location} are null unless asked for (see {@link Folder.Include}).
 */
public record MessageInfo(long uid, long modseq, Flags flags, Instant internalDate, long size, Envelope envelope,
                          Part structure, MessageLocation location) {

    /** Metadata without a location. */
    public MessageInfo(long uid, long modseq, Flags flags, Instant internalDate, long size, Envelope envelope, Part structure) {
        this(uid, modseq, flags, internalDate, size, envelope, structure, null);
    }
}
