package org.cartero.imap.search;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the fields of a header (RFC 5322 section 2.2) off a stream, one at a time, unfolded
 * (section 2.2.3: the line breaks before continuation lines removed) and with each value capped
 * at {@value #MAX_VALUE} octets, so a hostile header costs bounded memory. A line that is
 * neither a field nor a continuation is skipped, as mail readers do; the header ends at the
 * first empty line or at the end of the stream.
 */
final class HeaderReader {
    /** The octets of one field value kept; the rest of a longer field is skipped. */
    static final int MAX_VALUE = 64 * 1024;
    private static final int MAX_NAME = 256;

    /** Receives each field; returns false to stop reading. */
    @FunctionalInterface
    interface FieldVisitor {
        boolean visit(String name, String value) throws IOException;
    }

    private final InputStream in;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean truncated;

    private HeaderReader(InputStream in) {
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in, 8192);
    }

    /** Visits the fields of the header {@code in} holds (or starts with), in order. */
    static void read(InputStream in, FieldVisitor visitor) throws IOException {
        new HeaderReader(in).fields(visitor);
    }

    private void fields(FieldVisitor visitor) throws IOException {
        String name = null;
        byte[] value = new byte[256];
        int valueLength = 0;
        while (readLine()) {
            boolean continuation = lineLength > 0 && (line[0] == ' ' || line[0] == '\t');
            if (continuation) {
                if (name != null) {
                    int n = Math.min(lineLength, MAX_VALUE - valueLength);
                    value = ensure(value, valueLength + n);
                    System.arraycopy(line, 0, value, valueLength, n);
                    valueLength += n;
                }
                continue;
            }
            if (name != null && !visitor.visit(name, HeaderText.fromBytes(value, 0, valueLength))) return;
            name = null;
            if (lineLength == 0 && !truncated) return; // the empty line ending the header
            int colon = indexOf(line, lineLength, (byte) ':');
            if (colon <= 0 || colon > MAX_NAME) continue;
            name = new String(line, 0, colon, StandardCharsets.ISO_8859_1).strip();
            if (name.isEmpty() || name.indexOf(' ') >= 0) {
                name = null;
                continue;
            }
            valueLength = lineLength - colon - 1;
            value = ensure(value, valueLength);
            System.arraycopy(line, colon + 1, value, 0, valueLength);
        }
        if (name != null) visitor.visit(name, HeaderText.fromBytes(value, 0, valueLength));
    }

    /**
     * Reads one line without its line end into {@link #line}, keeping at most
     * {@value #MAX_VALUE} octets of it; false at the end of the stream.
     */
    private boolean readLine() throws IOException {
        lineLength = 0;
        truncated = false;
        int b = in.read();
        if (b < 0) return false;
        while (b >= 0 && b != '\n') {
            if (lineLength < MAX_VALUE) {
                line = ensure(line, lineLength + 1);
                line[lineLength++] = (byte) b;
            } else {
                truncated = true;
            }
            b = in.read();
        }
        if (lineLength > 0 && line[lineLength - 1] == '\r') lineLength--;
        return true;
    }

    private static int indexOf(byte[] bytes, int length, byte wanted) {
        for (int i = 0; i < length; i++) if (bytes[i] == wanted) return i;
        return -1;
    }

    private static byte[] ensure(byte[] bytes, int needed) {
        return needed <= bytes.length ? bytes : Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
    }
}
