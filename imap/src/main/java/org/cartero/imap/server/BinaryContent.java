package org.cartero.imap.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.cartero.imap.protocol.Content;
import org.cartero.imap.protocol.FetchAttribute;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.store.MessageContent;
import org.cartero.store.mime.Part;

/**
 * The content of BINARY[part]&lt;partial&gt; and BINARY.SIZE[part] (RFC 3516), also URLFETCH's
 * BINARY (RFC 5524): a part's body with its Content-Transfer-Encoding undone. A message or
 * multipart part comes whole with every part inside it decoded, its Content-Transfer-Encoding
 * field then saying "binary". The content is made of pieces of the stored message (raw bytes,
 * rewritten headers, decoded bodies), measured in one pass and streamed in a second, so nothing
 * large is held in memory.
 */
final class BinaryContent {

    /** A piece of the output: its size, whether it holds NUL, and how to read it. */
    private record Piece(long size, boolean nul, Content.Source source) {
    }

    private final MessageContent message;
    private final List<Piece> pieces = new ArrayList<>();

    private BinaryContent(MessageContent message) {
        this.message = message;
    }

    /**
     * BINARY[numbers]&lt;partial&gt;: BINARY[] is the message as it is; NIL when there is no such
     * part.
     *
     * @throws ImapException NO [UNKNOWN-CTE] when an encoding cannot be undone
     */
    static Content of(MessageContent message, List<Integer> numbers, FetchAttribute.Partial partial)
            throws IOException, ImapException {
        if (numbers.isEmpty()) return Sections.range(message, 0, message.size(), partial);
        Part part = Sections.part(message.structure(), numbers);
        if (part == null) return new Content.Nil();
        return of(message, part, partial);
    }

    /** The decoded body of {@code part}. */
    static Content of(MessageContent message, Part part, FetchAttribute.Partial partial) throws IOException, ImapException {
        BinaryContent content = new BinaryContent(message);
        content.body(part);
        return content.content(partial);
    }

    /**
     * The size and the number of lines of the decoded body of {@code part}, for a
     * BODYPARTSTRUCTURE that describes the decoded content (URLFETCH with BINARY, RFC 5524).
     */
    static long[] sizeAndLines(MessageContent message, Part part) throws IOException, ImapException {
        BinaryContent content = new BinaryContent(message);
        content.body(part);
        long size = 0;
        long lines = 0;
        byte[] buffer = new byte[8192];
        for (Piece piece : content.pieces) {
            size += piece.size();
            try (InputStream in = piece.source().open()) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    for (int i = 0; i < n; i++) if (buffer[i] == '\n') lines++;
                }
            }
        }
        return new long[] {size, lines};
    }

    /** BINARY.SIZE[numbers]: the size BINARY[numbers] would have; 0 when there is no such part. */
    static long size(MessageContent message, List<Integer> numbers) throws IOException, ImapException {
        if (numbers.isEmpty()) return message.size();
        Part part = Sections.part(message.structure(), numbers);
        if (part == null) return 0;
        BinaryContent content = new BinaryContent(message);
        content.body(part);
        return content.pieces.stream().mapToLong(Piece::size).sum();
    }

    private Content content(FetchAttribute.Partial partial) {
        long size = pieces.stream().mapToLong(Piece::size).sum();
        boolean nul = pieces.stream().anyMatch(Piece::nul);
        long skip = partial == null ? 0 : Math.min(partial.offset(), size);
        long length = partial == null ? size : Math.min(partial.length(), size - skip);
        List<Piece> parts = List.copyOf(pieces);
        return new Content.Stream(length, nul, () -> {
            List<InputStream> streams = new ArrayList<>(parts.size());
            for (Piece piece : parts) streams.add(new LazyStream(piece.source));
            InputStream all = new SequenceInputStream(Collections.enumeration(streams));
            all.skipNBytes(skip);
            return all;
        });
    }

    /** The body of an entity: a nested message whole, a multipart with its parts, or a leaf decoded. */
    private void body(Part part) throws IOException, ImapException {
        if (part.isMessage()) {
            entity(part.message());
        } else if (part.isMultipart() && !part.children().isEmpty()) {
            long position = part.bodyOffset();
            for (Part child : part.children()) {
                raw(position, child.headerOffset() - position);
                entity(child);
                position = child.bodyOffset() + child.bodySize();
            }
            raw(position, part.bodyOffset() + part.bodySize() - position);
        } else {
            decoded(part);
        }
    }

    /** An entity: its header (saying "binary" once decoded) and its body. */
    private void entity(Part part) throws IOException, ImapException {
        if (isLeaf(part) && !isIdentity(part.encoding())) {
            byte[] header = binaryHeader(part);
            pieces.add(new Piece(header.length, false, () -> new ByteArrayInputStream(header)));
        } else {
            raw(part.headerOffset(), part.headerSize());
        }
        body(part);
    }

    private void raw(long offset, long length) {
        if (length <= 0) return;
        pieces.add(new Piece(length, false, () -> message.open(offset, length)));
    }

    private void decoded(Part part) throws IOException, ImapException {
        Decoding decoding = decoding(part.encoding());
        long size = 0;
        boolean nul = false;
        byte[] buffer = new byte[8192];
        try (InputStream in = decoding.decode(message.open(part.bodyOffset(), part.bodySize()))) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                size += n;
                for (int i = 0; i < n && !nul; i++) nul = buffer[i] == 0;
            }
        }
        pieces.add(new Piece(size, nul, () -> decoding.decode(message.open(part.bodyOffset(), part.bodySize()))));
    }

    /** The part's header with the value of Content-Transfer-Encoding replaced by "binary". */
    private byte[] binaryHeader(Part part) throws IOException {
        String header;
        try (InputStream in = message.open(part.headerOffset(), part.headerSize())) {
            header = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        StringBuilder out = new StringBuilder(header.length());
        boolean skipping = false;
        for (String line : header.split("(?<=\n)")) {
            boolean continuation = line.startsWith(" ") || line.startsWith("\t");
            if (skipping && continuation) continue;
            skipping = false;
            int colon = line.indexOf(':');
            if (!continuation && colon > 0
                    && line.substring(0, colon).strip().equalsIgnoreCase("Content-Transfer-Encoding")) {
                out.append(line, 0, colon + 1).append(" binary\r\n");
                skipping = true;
            } else {
                out.append(line);
            }
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean isLeaf(Part part) {
        return !part.isMessage() && !(part.isMultipart() && !part.children().isEmpty());
    }

    private static boolean isIdentity(String encoding) {
        String e = encoding == null ? "7bit" : encoding.strip().toLowerCase(Locale.ROOT);
        return e.equals("7bit") || e.equals("8bit") || e.equals("binary");
    }

    @FunctionalInterface
    private interface Decoding {
        InputStream decode(InputStream encoded);
    }

    private static Decoding decoding(String encoding) throws ImapException {
        String e = encoding == null ? "7bit" : encoding.strip().toLowerCase(Locale.ROOT);
        return switch (e) {
            case "7bit", "8bit", "binary" -> in -> in;
            case "base64" -> in -> new Base64InputStream(in, DecodeMonitor.SILENT);
            case "quoted-printable" -> in -> new QuotedPrintableInputStream(in, DecodeMonitor.SILENT);
            default -> throw ImapException.no(ResponseCode.UNKNOWN_CTE, "Cannot decode the Content-Transfer-Encoding " + encoding);
        };
    }

    /** Opens its source when first read, so a long sequence holds one file open at a time. */
    private static final class LazyStream extends InputStream {
        private final Content.Source source;
        private InputStream in;

        LazyStream(Content.Source source) {
            this.source = source;
        }

        @Override
        public int read() throws IOException {
            return stream().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return stream().read(b, off, len);
        }

        private InputStream stream() throws IOException {
            if (in == null) in = source.open();
            return in;
        }

        @Override
        public void close() throws IOException {
            if (in != null) in.close();
        }
    }
}
