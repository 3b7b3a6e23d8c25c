package org.cartero.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;
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
    private final Supplier<Envelope> envelope;
    private final Supplier<Part> structure;
    private final long size;
    private final StoredSource source;

    /** Envelope and structure are computed on first use (a plain body fetch needs neither). */
    public MessageContent(long uid, Supplier<Envelope> envelope, Supplier<Part> structure, long size, StoredSource source) {
        this.uid = uid;
        this.envelope = memoize(envelope);
        this.structure = memoize(structure);
        this.size = size;
        this.source = source;
    }

    private static <T> Supplier<T> memoize(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) value = s.get();
                return value;
            }
        };
    }

    public long uid() {
        return uid;
    }

    public Envelope envelope() {
        return envelope.get();
    }

    /** The MIME tree; the root's header starts at offset 0. */
    public Part structure() {
        return structure.get();
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
        long[] start = offset == 0 ? new long[] {0, 0} : nearestEntityStart(structure(), offset, new long[] {0, 0});
        long skip = offset - start[0];
        InputStream wire = new WireInputStream(source.open(start[1]), skip + Math.min(length, size - offset));
        if (wire.skip(skip) != skip) {
            wire.close();
            throw new IOException("message UID " + uid + " is shorter than its index says");
        }
        return wire;
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
}
