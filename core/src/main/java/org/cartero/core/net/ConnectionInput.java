package org.cartero.core.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * What a connection reads: command lines and raw bytes (literals, DATA, BDAT) from one buffer, so
 * that a protocol can switch between the two at any byte. The buffer starts small and grows only
 * to hold one long line (up to the line limit); once that is consumed it shrinks back, so ten
 * thousand idle connections cost little memory.
 */
final class ConnectionInput extends InputStream implements LineInput {
    static final int INITIAL_CAPACITY = 2048;
    private static final byte LF = '\n';
    private static final byte CR = '\r';

    private final int maxLineLength;
    private InputStream source;
    private byte[] buffer = new byte[INITIAL_CAPACITY];
    private int position; // next byte to hand out
    private int limit;    // end of the bytes read from source

    ConnectionInput(InputStream source, int maxLineLength) {
        this.source = source;
        this.maxLineLength = maxLineLength;
    }

    /**
     * The next line without its line ending (CRLF, or a bare LF), decoded as UTF-8; null at the
     * end of the stream (an unterminated last fragment is dropped: it was never a complete line).
     *
     * @throws LineTooLongException when the line is longer than the limit, after the whole line has been read and dropped
     */
    String readLine() throws IOException {
        int scanned = 0; // bytes after position known to hold no LF
        while (true) {
            int lf = indexOfLf(position + scanned, limit);
            if (lf >= 0) {
                int start = position;
                int end = lf > start && buffer[lf - 1] == CR ? lf - 1 : lf;
                position = lf + 1;
                boolean tooLong = end - start > maxLineLength;
                String line = tooLong ? null : new String(buffer, start, end - start, StandardCharsets.UTF_8);
                shrinkIfDrained(); // after decoding: it may drop the buffer
                if (tooLong) throw new LineTooLongException(maxLineLength);
                return line;
            }
            scanned = limit - position;
            // maxLineLength bytes and a CR may wait for their LF; anything more is too long already.
            if (scanned > maxLineLength + 1) {
                skipRestOfLine();
                throw new LineTooLongException(maxLineLength);
            }
            makeRoom(maxLineLength + 2);
            if (fill() < 0) {
                position = limit;
                shrinkIfDrained();
                return null;
            }
        }
    }

    /** Throws away the bytes received and not yet read; returns how many there were. */
    int discardBuffered() {
        int discarded = limit - position;
        position = limit;
        shrinkIfDrained();
        return discarded;
    }

    /** Reads from now on from a new source (the TLS socket); {@link #discardBuffered()} comes first. */
    void replaceSource(InputStream newSource) {
        source = newSource;
    }

    /**
     * Puts a layer (a decompressor) between the source and this buffer: the bytes received and
     * not yet read pass through the layer first, then the rest of the source.
     */
    void addLayer(UnaryOperator<InputStream> layer) {
        InputStream below = source;
        if (limit > position) {
            below = new SequenceInputStream(
                    new ByteArrayInputStream(Arrays.copyOfRange(buffer, position, limit)), source);
        }
        discardBuffered();
        source = layer.apply(below);
    }

    @Override
    public int read() throws IOException {
        if (position == limit) {
            position = limit = 0;
            if (fill() < 0) return -1;
        }
        int b = buffer[position++] & 0xff;
        shrinkIfDrained();
        return b;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (length == 0) return 0;
        if (position == limit) {
            shrinkIfDrained();
            // A large read goes straight to the source instead of through the small buffer.
            if (length >= buffer.length) return source.read(into, offset, length);
            position = limit = 0;
            if (fill() < 0) return -1;
        }
        int n = Math.min(length, limit - position);
        System.arraycopy(buffer, position, into, offset, n);
        position += n;
        shrinkIfDrained();
        return n;
    }

    @Override
    public int readLinePart(byte[] into, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, into.length);
        if (length == 0) return 0;
        if (position == limit) {
            position = limit = 0;
            if (fill() < 0) return -1;
        }
        int end = Math.min(limit, position + length);
        int lf = indexOfLf(position, end);
        if (lf >= 0) end = lf + 1;
        int n = end - position;
        System.arraycopy(buffer, position, into, offset, n);
        position = end;
        shrinkIfDrained();
        return n;
    }

    /** What is buffered; only when nothing is, what the source has (a system call on a socket). */
    @Override
    public int available() throws IOException {
        return position < limit ? limit - position : source.available();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    private int indexOfLf(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buffer[i] == LF) return i;
        }
        return -1;
    }

    /** Reads what the source has into the free end of the buffer; -1 at end of stream. */
    private int fill() throws IOException {
        int n = source.read(buffer, limit, buffer.length - limit);
        if (n > 0) limit += n;
        return n;
    }

    /** Moves pending bytes to the front, or grows the buffer (never beyond {@code max}) when it is full. */
    private void makeRoom(int max) {
        if (limit < buffer.length) return;
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        } else {
            buffer = Arrays.copyOf(buffer, Math.min(buffer.length * 2, max));
        }
    }

    private void skipRestOfLine() throws IOException {
        while (true) {
            int lf = indexOfLf(position, limit);
            if (lf >= 0) {
                position = lf + 1;
                shrinkIfDrained();
                return;
            }
            position = limit = 0;
            shrinkIfDrained();
            if (fill() < 0) return;
        }
    }

    private void shrinkIfDrained() {
        if (position == limit) {
            position = limit = 0;
            if (buffer.length > INITIAL_CAPACITY) buffer = new byte[INITIAL_CAPACITY];
        }
    }
}
