package org.cartero.core.net;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What a connection writes: buffered until {@link #flush()}, in a buffer that starts small and
 * grows only while a large response is written, until it is flushed. It also notes since when a write to the peer
 * has been blocked, so that a peer that stops reading can be cut off (see {@link NetServer}).
 */
final class ConnectionOutput extends OutputStream {
    static final int INITIAL_CAPACITY = 512;
    static final int MAX_CAPACITY = 64 * 1024;

    private OutputStream target;
    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int count;
    private volatile long blockedSince; // System.nanoTime() when the current write began; 0 when none

    ConnectionOutput(OutputStream target) {
        this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
        if (count == buffer.length) makeRoom(1);
        buffer[count++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length >= MAX_CAPACITY) {
            // Too big to be worth copying: send what is buffered, then this, directly.
            drainBuffer();
            writeToTarget(bytes, offset, length);
            return;
        }
        if (length > buffer.length - count) makeRoom(length);
        System.arraycopy(bytes, offset, buffer, count, length);
        count += length;
    }

    @Override
    public void flush() throws IOException {
        drainBuffer();
        if (buffer.length > INITIAL_CAPACITY) buffer = new byte[INITIAL_CAPACITY]; // idle connections stay small
        blocking(target::flush);
    }

    /** Flushes, then writes from now on through a layer (a compressor) on top of the current target. */
    void addLayer(UnaryOperator<OutputStream> layer) throws IOException {
        flush();
        target = layer.apply(target);
    }

    /** Flushes, then writes from now on to a new target (the TLS socket after STARTTLS). */
    void replaceTarget(OutputStream newTarget) throws IOException {
        flush();
        target = newTarget;
    }

    /** How long the write in progress has been waiting for the peer, in nanoseconds; 0 when none. */
    long blockedNanos(long now) {
        long since = blockedSince;
        return since == 0 ? 0 : now - since;
    }

    /** Sends what is buffered and closes the target (for TLS that sends a close_notify). */
    @Override
    public void close() throws IOException {
        drainBuffer();
        blocking(target::close);
    }

    /** Makes room for {@code needed} (less than {@link #MAX_CAPACITY}) more bytes: grows the buffer, or empties it first. */
    private void makeRoom(int needed) throws IOException {
        if (count + needed > MAX_CAPACITY) drainBuffer();
        int wanted = count + needed;
        if (wanted > buffer.length) {
            int capacity = buffer.length;
            while (capacity < wanted) capacity *= 2;
            buffer = Arrays.copyOf(buffer, Math.min(capacity, MAX_CAPACITY));
        }
    }

    private void drainBuffer() throws IOException {
        if (count == 0) return;
        writeToTarget(buffer, 0, count);
        count = 0;
    }

    private void writeToTarget(byte[] bytes, int offset, int length) throws IOException {
        blocking(() -> target.write(bytes, offset, length));
    }

    private interface Blocking {
        void run() throws IOException;
    }

    /** Runs something that waits for the peer to take bytes, noting since when it waits. */
    private void blocking(Blocking write) throws IOException {
        blockedSince = System.nanoTime();
        try {
            write.run();
        } finally {
            blockedSince = 0;
        }
    }
}
