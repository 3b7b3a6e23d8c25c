package org.cartero.imap.search;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.MessageGoneException;
import org.cartero.store.UidSet;
import org.cartero.store.mime.Envelope;

/**
 * A message of the selected folder as the engine searches it. The engine hands it the index
 * data and envelope it reads for many messages at once; the message itself is opened only when
 * a header or body key asks, and read part by part through {@link MessageText}. To test many
 * messages on their numbers and index data without an object each, the engine moves one
 * instance from message to message ({@link #moveTo}).
 */
final class StoredMessage implements SearchableMessage {
    /** The envelope of a message the store no longer holds: every field absent. */
    static final Envelope NO_ENVELOPE =
            new Envelope(null, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null, null, null);

    private final Folder folder;
    private int sequenceNumber;
    private long uid;
    private boolean recent;
    private Flags flags = Flags.NONE;
    private Instant internalDate = Instant.EPOCH;
    private long size;
    private long modseq;
    private Envelope envelope;
    private MessageText text;

    StoredMessage(Folder folder, int sequenceNumber, long uid, boolean recent) {
        this.folder = folder;
        this.sequenceNumber = sequenceNumber;
        this.uid = uid;
        this.recent = recent;
    }

    /** Makes this the message {@code uid}, forgetting what was known of the previous one. */
    void moveTo(int sequenceNumber, long uid, boolean recent) {
        this.sequenceNumber = sequenceNumber;
        this.uid = uid;
        this.recent = recent;
        setIndexData(Flags.NONE, Instant.EPOCH, 0, 0);
        envelope = null;
        text = null;
    }

    void setIndexData(Flags flags, Instant internalDate, long size, long modseq) {
        this.flags = flags;
        this.internalDate = internalDate;
        this.size = size;
        this.modseq = modseq;
    }

    void setEnvelope(Envelope envelope) {
        this.envelope = envelope;
    }

    @Override
    public int sequenceNumber() {
        return sequenceNumber;
    }

    @Override
    public long uid() {
        return uid;
    }

    @Override
    public boolean isRecent() {
        return recent;
    }

    @Override
    public Flags flags() {
        return flags;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Instant internalDate() {
        return internalDate;
    }

    @Override
    public long modseq() {
        return modseq;
    }

    @Override
    public Envelope envelope() throws IOException {
        if (envelope == null) {
            folder.messages(UidSet.of(uid), Set.of(Folder.Include.ENVELOPE), info -> envelope = info.envelope());
            if (envelope == null) throw new MessageGoneException(uid);
        }
        return envelope;
    }

    @Override
    public void headerValues(String name, TextVisitor visitor) throws IOException {
        text().headerValues(name, visitor);
    }

    @Override
    public void text(boolean withHeaders, TextSink sink) throws IOException {
        text().text(withHeaders, sink);
    }

    private MessageText text() throws IOException {
        if (text == null) text = new MessageText(folder.content(uid));
        return text;
    }
}
