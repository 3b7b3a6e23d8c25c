package org.cartero.smtp.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The content of a message sent in BDAT chunks (RFC 3030), one reader per transaction: each
 * chunk is exactly the number of octets its BDAT command names, taken as they are (no
 * dot-stuffing, no line structure), and the size limit holds across all chunks of the message.
 *
 * <p>Past the limit, a chunk stream reads the rest of its chunk off the connection, discarding it,
 * and then throws a {@link MessageRejectedException} with 552 5.3.4; every later chunk of the same
 * message does the same. The connection is thus always left just after the chunk, in step with
 * the client. A chunk stream must be read to its end or closed (closing discards the rest); the
 * chunk of a BDAT command the session refuses outright goes through {@link #discard}.
 */
public final class ChunkReader {

    private final InputStream in;
    private final long maxSize;
    private final ContentSummary.Counter counter = new ContentSummary.Counter();
    private boolean tooBig;

    /**
     * @param in      the connection's input
     * @param maxSize the most octets of content to accept for the whole message
     */
    public ChunkReader(InputStream in, long maxSize) {
        if (maxSize < 0) throw new IllegalArgumentException("negative size limit");
        this.in = Objects.requireNonNull(in);
        this.maxSize = maxSize;
    }

    /** The next chunk, read from the connection just after its BDAT command line. */
    public InputStream chunk(long size) {
        if (size < 0) throw new IllegalArgumentException("negative chunk size");
        return new Chunk(size);
    }

    /** What the content of all chunks so far was like. */
    public ContentSummary summary() {
        return counter.summary();
    }

    /**
     * Reads and discards the chunk of a BDAT command that is refused: RFC 3030 section 2 has the
     * server read the chunk whatever its reply, or the chunk would be read as commands.
     */
    public static void discard(InputStream in, long size) throws IOException {
        try {
            in.skipNBytes(size);
        } catch (EOFException e) {
            throw chunkCutShort();
        }
    }

    private static EOFException chunkCutShort() {
        return new EOFException("the connection closed in the middle of a BDAT chunk");
    }

    private final class Chunk extends InputStream {

        private long remaining;

        Chunk(long size) {
            this.remaining = size;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (tooBig) throw rejectAfterDiscarding();
            if (remaining == 0) return -1;
            if (len == 0) return 0;
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) throw chunkCutShort();
            remaining -= n;
            if (n > maxSize - counter.size()) {
                tooBig = true;
                throw rejectAfterDiscarding();
            }
            counter.add(b, off, n);
            return n;
        }

        @Override
        public void close() throws IOException {
            discardRest();
        }

        private MessageRejectedException rejectAfterDiscarding() throws IOException {
            discardRest();
            return new MessageRejectedException(MessageRejectedException.tooBig(maxSize));
        }

        private void discardRest() throws IOException {
            long rest = remaining;
            remaining = 0;
            discard(in, rest);
        }
    }
}
