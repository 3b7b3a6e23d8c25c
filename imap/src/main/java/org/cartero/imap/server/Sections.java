package org.cartero.imap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.cartero.imap.protocol.Content;
import org.cartero.imap.protocol.FetchAttribute;
import org.cartero.imap.protocol.Section;
import org.cartero.store.MessageContent;
import org.cartero.store.mime.Part;

/**
 * The content of BODY[section]&lt;partial&gt; (RFC 9051 section 6.4.5), cut from the message by
 * the offsets the store recorded for each MIME part, so the message is not parsed again and only
 * the bytes asked for are read. {@link BinaryContent} does the same for BINARY.
 */
final class Sections {

    /** Header fields longer than this are cut when they are selected by HEADER.FIELDS. */
    private static final int MAX_HEADER = 1024 * 1024;

    private Sections() {
    }

    /**
     * The entity a part number names (RFC 9051 section 6.4.5): the parts of a multipart in turn;
     * part 1 of a message that is not multipart is its body; the parts of a message/rfc822 part
     * are those of the message it holds. Null when there is no such part; the root for none.
     */
    static Part part(Part root, List<Integer> numbers) {
        Part current = root;
        boolean messageLevel = true;
        for (int number : numbers) {
            Part entity = current;
            if (!messageLevel && current.isMessage()) {
                entity = current.message();
                messageLevel = true;
            }
            if (entity.isMultipart() && !entity.children().isEmpty()) {
                if (number > entity.children().size()) return null;
                current = entity.children().get(number - 1);
            } else if (messageLevel && number == 1) {
                current = entity;
            } else {
                return null;
            }
            messageLevel = false;
        }
        return current;
    }

    /** BODY[section]&lt;partial&gt;; NIL when the section does not exist. */
    static Content body(MessageContent message, Section section, FetchAttribute.Partial partial) throws IOException {
        Part part = part(message.structure(), section.part());
        if (part == null) return new Content.Nil();
        if (section.text() == null) {
            return section.part().isEmpty() ? range(message, 0, message.size(), partial)
                    : range(message, part.bodyOffset(), part.bodySize(), partial);
        }
        if (section.text() == Section.Text.MIME) return range(message, part.headerOffset(), part.headerSize(), partial);
        // HEADER, HEADER.FIELDS(.NOT) and TEXT are of a message: the whole one, or one a message/rfc822 part holds
        Part target = section.part().isEmpty() ? part : part.message();
        if (target == null) return new Content.Nil();
        return switch (section.text()) {
            case HEADER -> range(message, target.headerOffset(), target.headerSize(), partial);
            case TEXT -> range(message, target.bodyOffset(), target.bodySize(), partial);
            case HEADER_FIELDS -> bytes(headerFields(message, target, section.headerFields(), true), partial);
            case HEADER_FIELDS_NOT -> bytes(headerFields(message, target, section.headerFields(), false), partial);
            case MIME -> throw new IllegalStateException("MIME was handled above");
        };
    }

    /** RFC822.HEADER and RFC822.TEXT (IMAP4rev1): the message's header and its text, as BODY[HEADER] and BODY[TEXT]. */
    static Content rfc822(MessageContent message, Section.Text text) {
        Part root = message.structure();
        return switch (text) {
            case HEADER -> range(message, root.headerOffset(), root.headerSize(), null);
            case TEXT -> range(message, root.bodyOffset(), root.bodySize(), null);
            default -> throw new IllegalArgumentException("RFC822." + text);
        };
    }

    static Content range(MessageContent message, long offset, long length, FetchAttribute.Partial partial) {
        long start = offset;
        long size = Math.max(0, length);
        if (partial != null) {
            long skip = Math.min(partial.offset(), size);
            start += skip;
            size = Math.min(partial.length(), size - skip);
        }
        long from = start;
        long count = size;
        return new Content.Stream(count, false, () -> message.open(from, count));
    }

    private static Content bytes(byte[] data, FetchAttribute.Partial partial) {
        if (partial == null) return new Content.Bytes(data);
        int skip = (int) Math.min(partial.offset(), data.length);
        int size = (int) Math.min(partial.length(), data.length - skip);
        byte[] cut = new byte[size];
        System.arraycopy(data, skip, cut, 0, size);
        return new Content.Bytes(cut);
    }

    /**
     * The header fields named (or, with {@code include} false, all others) as written, folded
     * lines kept, then the empty line that ends a header (RFC 9051 section 6.4.5).
     */
    static byte[] headerFields(MessageContent message, Part entity, List<String> names, boolean include) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = message.open(entity.headerOffset(), entity.headerSize())) {
            byte[] header = in.readNBytes((int) Math.min(entity.headerSize(), Integer.MAX_VALUE - 8));
            int i = 0;
            boolean selected = false;
            while (i < header.length) {
                int end = i;
                while (end < header.length && header[end] != '\n') end++;
                int next = Math.min(end + 1, header.length);
                int lineLength = end - i - (end > i && header[end - 1] == '\r' ? 1 : 0);
                if (lineLength == 0) break; // the empty line ending the header
                boolean continuation = header[i] == ' ' || header[i] == '\t';
                if (!continuation) selected = named(header, i, lineLength, names) == include;
                if (selected && out.size() < MAX_HEADER) out.write(header, i, next - i);
                i = next;
            }
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    private static boolean named(byte[] line, int start, int length, List<String> names) {
        int colon = -1;
        for (int k = start; k < start + length; k++) {
            if (line[k] == ':') {
                colon = k;
                break;
            }
        }
        if (colon < 0) return false;
        String name = new String(line, start, colon - start, StandardCharsets.ISO_8859_1).strip();
        for (String wanted : names) {
            if (wanted.equalsIgnoreCase(name)) return true;
        }
        return false;
    }
}
