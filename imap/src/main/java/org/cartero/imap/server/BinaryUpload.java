package org.cartero.imap.server;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.util.ByteSequence;

/**
 * A message APPENDed as a literal8 (RFC 3516 section 4.4), made storable: the store keeps
 * messages as lines, which would change bare CR and LF in binary content, so each part whose
 * Content-Transfer-Encoding is "binary" is re-encoded in base64 on the way in. BINARY[] decodes
 * it again, octet for octet; the rest of the message is copied as it came.
 */
final class BinaryUpload {

    private static final int PIPE = 64 * 1024;

    private BinaryUpload() {
    }

    /**
     * The message as it will be stored, converted while the store reads it (on a virtual
     * thread); a malformed message fails the read.
     */
    static InputStream storable(InputStream literal) throws IOException {
        PipedInputStream in = new PipedInputStream(PIPE);
        PipedOutputStream out = new PipedOutputStream(in);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread.ofVirtual().name("imap-binary-append").start(() -> {
            try {
                convert(literal, out);
            } catch (IOException | MimeException | RuntimeException e) {
                // set before the pipe closes, so the reader never takes a cut message for a whole one
                failure.set(e instanceof IOException io ? io : new IOException("malformed MIME message: " + e.getMessage(), e));
            } finally {
                try {
                    out.close();
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                }
            }
        });
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n;
                try {
                    n = super.read(b, off, len);
                } catch (IOException e) {
                    if (failure.get() != null) throw failure.get();
                    throw e;
                }
                if (n < 0 && failure.get() != null) throw failure.get();
                return n;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }
        };
    }

    /** Copies the message entity by entity, base64-encoding the bodies of "binary" leaves. */
    static void convert(InputStream message, OutputStream out) throws IOException, MimeException {
        MimeTokenStream stream = new MimeTokenStream(MimeConfig.PERMISSIVE);
        stream.parse(message);
        // a header is written once its body shows whether it is a binary leaf
        List<Field> header = null;
        Deque<Multipart> multiparts = new ArrayDeque<>();
        for (EntityState state = stream.getState(); state != EntityState.T_END_OF_STREAM; state = stream.next()) {
            if (header != null && state != EntityState.T_FIELD && state != EntityState.T_END_HEADER) {
                boolean encode = state == EntityState.T_BODY && isBinaryLeaf(stream.getBodyDescriptor());
                writeHeader(header, encode, out);
                header = null;
                if (state == EntityState.T_BODY) {
                    if (encode) base64(stream.getInputStream(), out);
                    else stream.getInputStream().transferTo(out);
                    continue;
                }
            }
            switch (state) {
                case T_START_HEADER -> header = new ArrayList<>();
                case T_FIELD -> header.add(stream.getField());
                case T_START_MULTIPART -> multiparts.push(new Multipart(stream.getBodyDescriptor().getBoundary()));
                case T_PREAMBLE -> multiparts.peek().preamble = stream.getInputStream().transferTo(out) > 0;
                case T_START_BODYPART -> {
                    Multipart multipart = multiparts.peek();
                    ascii(out, (multipart.preamble || multipart.parts > 0 ? "\r\n--" : "--") + multipart.boundary + "\r\n");
                    multipart.parts++;
                }
                case T_EPILOGUE -> {
                    closeDelimiter(multiparts.peek(), out);
                    stream.getInputStream().transferTo(out);
                }
                case T_END_MULTIPART -> closeDelimiter(multiparts.pop(), out);
                default -> {
                    // the other states write nothing themselves
                }
            }
        }
    }

    /** A multipart being copied: its boundary, whether it had a preamble, parts so far, whether it is closed. */
    private static final class Multipart {
        final String boundary;
        boolean preamble;
        int parts;
        boolean closed;

        Multipart(String boundary) {
            this.boundary = boundary;
        }
    }

    private static void closeDelimiter(Multipart multipart, OutputStream out) throws IOException {
        if (multipart.closed) return;
        multipart.closed = true;
        ascii(out, "\r\n--" + multipart.boundary + "--\r\n");
    }

    private static boolean isBinaryLeaf(BodyDescriptor body) {
        String type = body.getMimeType().toLowerCase(Locale.ROOT);
        return !type.startsWith("multipart/") && !type.equals("message/rfc822") && !type.equals("message/global")
                && "binary".equalsIgnoreCase(body.getTransferEncoding());
    }

    /** The fields as they came, except that an encoded leaf says base64. */
    private static void writeHeader(List<Field> fields, boolean encode, OutputStream out) throws IOException {
        for (Field field : fields) {
            if (encode && field.getName().equalsIgnoreCase("Content-Transfer-Encoding")) continue;
            ByteSequence raw = field.getRaw();
            if (raw == null) {
                ascii(out, field.getName() + ": " + field.getBody());
            } else {
                out.write(raw.toByteArray());
            }
            ascii(out, "\r\n");
        }
        if (encode) ascii(out, "Content-Transfer-Encoding: base64\r\n");
        ascii(out, "\r\n");
    }

    /** RFC 2045 section 6.8: base64 in lines of 76 characters. */
    private static void base64(InputStream body, OutputStream out) throws IOException {
        OutputStream unclosable = new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        try (OutputStream encoder = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).wrap(unclosable)) {
            body.transferTo(encoder);
        }
    }

    private static void ascii(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
    }
}
