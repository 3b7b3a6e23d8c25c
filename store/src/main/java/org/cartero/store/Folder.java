package org.cartero.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

/**
 * An open folder. Holds no per-session view: the reader keeps its own {@link UidList} and the
 * MODSEQ it last saw, and asks {@link #changesSince} what happened since. Every change (an
 * arrival, a flag change, an expunge) gets a new MODSEQ, so one question covers them all; this
 * is what IMAP's unsolicited responses, IDLE and CONDSTORE/QRESYNC (RFC 7162) are built on.
 */
public interface Folder extends AutoCloseable {

    /** Receives messages one by one; may write to a socket, hence the IOException. */
    @FunctionalInterface
    interface MessageVisitor {
        void visit(MessageInfo message) throws IOException;
    }

    /**
     * What {@link #messages} reads besides UID, flags, MODSEQ, date and size: the envelope, the
     * MIME tree, and where the content lies (for {@link #openMessage(long, MessageLocation)}).
     */
    enum Include { ENVELOPE, STRUCTURE, LOCATION }

    /** The folder's current name. */
    String name();

    /** The folder's special use, or null. */
    SpecialUse specialUse() throws IOException;

    FolderStatus status() throws IOException;

    /** The status and every UID, for a session that selects the folder. */
    Snapshot snapshot() throws IOException;

    /**
     * The UID of the first message without \Seen, or 0 (IMAP4rev1's SELECT reports its
     * sequence number as [UNSEEN n], RFC 3501 section 6.3.1).
     */
    long firstUnseen() throws IOException;

    /** Every keyword ever set in this folder, for IMAP's FLAGS and PERMANENTFLAGS responses. */
    List<String> keywords() throws IOException;

    /**
     * Visits the messages of {@code uids} that exist (after reading what other programs
     * changed), in ascending UID order, reading the index in short chunks so that a slow
     * reader holds no lock. The envelope and the MIME tree are read only if asked.
     */
    void messages(UidSet uids, Set<Include> include, MessageVisitor visitor) throws IOException;

    /**
     * The structure and content of one message, for reading parts and ranges (IMAP's
     * BODY[section]&lt;partial&gt;). To send a whole message, {@link #openMessage} is cheaper.
     */
    MessageContent content(long uid) throws IOException;

    /**
     * One whole message in wire form (CRLF line ends), as POP3's RETR and IMAP's BODY[] and
     * RFC822 send it: {@link MessageInfo#size()} octets, streamed from one opened file, with no
     * structure decoded.
     *
     * @throws MessageGoneException when it was expunged
     */
    InputStream openMessage(long uid) throws IOException;

    /**
     * Like {@link #openMessage(long)}, with the {@link MessageInfo#location()} this folder gave
     * the message when it listed it with {@link Include#LOCATION}: the file is opened where the
     * listing found it, with no index read (when it moved since, or {@code location} is null, it
     * is looked up as {@link #openMessage(long)} would).
     */
    InputStream openMessage(long uid, MessageLocation location) throws IOException;

    /**
     * Changes flags (RFC 9051 section 6.4.6). With {@code unchangedSince} >= 0, a message whose
     * MODSEQ is above it is left alone and reported as failed (RFC 7162 section 3.1.3).
     */
    FlagResult store(UidSet uids, FlagOperation operation, Flags flags, long unchangedSince) throws IOException;

    /** Copies messages, flags and internal date kept (RFC 9051 section 6.4.7, RFC 4315 COPYUID). */
    CopyResult copy(UidSet uids, String target) throws IOException;

    /** Moves messages (RFC 6851): copied to the target and expunged here in one step. */
    CopyResult move(UidSet uids, String target) throws IOException;

    /**
     * Expunges the messages flagged \Deleted: all of them, or those in {@code uids} (RFC 4315
     * UID EXPUNGE). Returns the UIDs expunged.
     */
    UidSet expunge(UidSet uids) throws IOException;

    /**
     * Starts appending messages a mail client adds (IMAP APPEND, a copy between folders);
     * nothing is visible until {@link Appender#commit()}, so a MULTIAPPEND (RFC 3502) adds all
     * or nothing. A Maildir files them in cur/: a mail client has seen them.
     */
    Appender append() throws IOException;

    /**
     * Starts delivering new mail, as {@link #append()} does, except that a Maildir files a
     * message without flags in new/, where mail no client has seen yet waits (the Maildir
     * convention other readers of the folder follow).
     */
    Appender deliver() throws IOException;

    /** What changed after {@code modseq}; see {@link Changes}. */
    Changes changesSince(long modseq) throws IOException;

    /**
     * Calls {@code listener} (on another thread, quickly, without blocking) when the folder may
     * have changed, whether the change came from this process or another (a delivery by the
     * CLI, mutt, a file dropped into new/). IMAP IDLE rests on it. Close the returned watch to
     * stop.
     */
    Watch watch(Runnable listener) throws IOException;

    @Override
    void close();

    /** A change subscription. */
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}
