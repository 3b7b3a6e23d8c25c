package org.cartero.store;

import java.io.IOException;
import java.io.InputStream;
import org.cartero.store.mime.Envelope;
import org.cartero.store.mime.Part;
import org.cartero.store.mime.WireInputStream;

/**
 * One message's parsed structure and its bytes, read on demand in wire form (CRLF line ends),
 * whole or by range. Ranges are wire offsets, as IMAP's BODY[section]&lt;partial&gt; and the
 * part offsets of {@link Part} give them: the reader seeks to the nearest entity start at or
 * before the offset and converts from there, so BODY[1.2] of a large message does not read the
 * parts before it.
 */
public final class MessageContent {

    /** Opens the stored form of a message from a stored offset to its end. */
    @FunctionalInterface
    public interface StoredSource {
        InputStream open(long storedOffset) throws IOException;
    }

    private final long uid;
    private final Envelope envelope;
    private final Part structure;
    private final long size;
    private final StoredSource source;

    public MessageContent(long uid, Envelope envelope, Part structure, long size, StoredSource source) {
        this.uid = uid;
        this.envelope = envelope;
        this.structure = structure;
        this.size = size;
        this.source = source;
    }

    public long uid() {
        return uid;
    }

    public Envelope envelope() {
        return envelope;
    }

    /** The MIME tree; the root's header starts at offset 0. */
    public Part structure() {
        return structure;
    }

    /** RFC822.SIZE: the whole message in wire form. */
    public long size() {
        return size;
    }

    /** The whole message in wire form. */
    public InputStream open() throws IOException {
        return open(0, size);
    }

    /**
     * {@code length} wire octets from {@code offset} (fewer at the end of the message).
     */
    public InputStream open(long offset, long length) throws IOException {
        if (offset < 0 || length < 0) throw new IllegalArgumentException("negative range");
        if (offset >= size || length == 0) return InputStream.nullInputStream();
        long[] start = nearestEntityStart(structure, offset, new long[] {0, 0});
        InputStream wire = new WireInputStream(source.open(start[1]));
        long skip = offset - start[0];
        if (wire.skip(skip) != skip) {
            wire.close();
            throw new IOException("message UID " + uid + " is shorter than its index says");
        }
        return new BoundedInputStream(wire, Math.min(length, size - offset));
    }

    /** The latest [wire, stored] header or body start of any entity at or before {@code offset}. */
    private static long[] nearestEntityStart(Part part, long offset, long[] best) {
        if (part.headerOffset() <= offset && part.headerOffset() >= best[0]) {
            best[0] = part.headerOffset();
            best[1] = part.storedHeaderOffset();
        }
        if (part.bodyOffset() <= offset && part.bodyOffset() >= best[0]) {
            best[0] = part.bodyOffset();
            best[1] = part.storedBodyOffset();
        }
        for (Part child : part.children()) {
            if (child.headerOffset() > offset) break;
            nearestEntityStart(child, offset, best);
        }
        if (part.message() != null) nearestEntityStart(part.message(), offset, best);
        return best;
    }

    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) return -1;
            int b = in.read();
            if (b >= 0) remaining--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) return -1;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) remaining -= n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
