package org.cartero.smtp.protocol;

/**
 * What a {@link DataReader} or {@link ChunkReader} saw of a message's content, as it was handed on
 * (after dot-unstuffing).
 *
 * @param size      octets
 * @param eightBit  whether some octet is above 127: the content needs 8BITMIME (RFC 6152) or
 *                  BINARYMIME to be relayed as it is
 * @param longLines how many lines are longer than 998 octets without their CRLF (the limit of
 *                  RFC 5322 section 2.1.1 and RFC 5321 section 4.5.3.1.6). They are let through,
 *                  as Postfix does, but a relay to a strict server may have to fold or encode them.
 */
public record ContentSummary(long size, boolean eightBit, long longLines) {

    /** RFC 5322 section 2.1.1: a line is at most 998 characters, excluding the CRLF. */
    public static final int MAX_LINE_LENGTH = 998;

    /** Counts the content octet by octet; keeps its place across reads and chunks. */
    static final class Counter {
        private long size;
        private boolean eightBit;
        private long longLines;
        private long lineLength;

        void add(int octet) {
            size++;
            if (octet == '\n') {
                lineLength = 0;
            } else if (octet != '\r') {
                if (octet >= 0x80) eightBit = true;
                if (++lineLength == MAX_LINE_LENGTH + 1) longLines++;
            }
        }

        /** A run of {@code length} octets inside a line: no CR or LF among them. */
        void addRun(int length, boolean anyEightBit) {
            size += length;
            eightBit |= anyEightBit;
            if (lineLength <= MAX_LINE_LENGTH && lineLength + length > MAX_LINE_LENGTH) longLines++;
            lineLength += length;
        }

        void add(byte[] octets, int offset, int length) {
            for (int i = offset; i < offset + length; i++) add(octets[i] & 0xff);
        }

        long size() {
            return size;
        }

        ContentSummary summary() {
            return new ContentSummary(size, eightBit, longLines);
        }
    }
}
