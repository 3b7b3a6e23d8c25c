package org.cartero.store.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads the octets [start, end) of a file by positional reads, so that several streams may
 * share one channel (the spool mbox's), and the end is known without a read that returns
 * nothing (a message file is read in one call when it fits the buffer). Closing runs the
 * given action once: closing the channel, or releasing the lock under which it was read.
 */
public final class RangeInputStream extends InputStream {

    /** What closing the stream does. */
    @FunctionalInterface
    public interface OnClose {
        void close() throws IOException;
    }

    private final FileChannel channel;
    private final long end;
    private final OnClose onClose;
    private long position;
    private boolean closed;

    public RangeInputStream(FileChannel channel, long start, long end, OnClose onClose) {
        this.channel = channel;
        this.position = start;
        this.end = end;
        this.onClose = onClose;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (position >= end) return -1;
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - position)), position);
        if (n < 0) return -1;
        position += n;
        return n;
    }

    @Override
    public long skip(long n) {
        long skipped = Math.max(0, Math.min(n, end - position));
        position += skipped;
        return skipped;
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        onClose.close();
    }
}
