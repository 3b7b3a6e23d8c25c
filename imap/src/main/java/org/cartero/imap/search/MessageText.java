package org.cartero.imap.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.cartero.store.MessageContent;
import org.cartero.store.mime.Part;

/**
 * The decoded text of a stored message, read from its {@link MessageContent} part by part at the
 * offsets of its MIME structure, never whole: header fields, and the bodies of text parts
 * undone from their transfer encoding (RFC 2045 section 6) and charset. Which parts are text
 * follows Dovecot: text/* and message/* (a message/rfc822 the store could not parse as a
 * message, one in base64 for instance, is read as text).
 */
final class MessageText {
    private static final int BUFFER_CHARS = 8192;

    private final MessageContent content;

    MessageText(MessageContent content) {
        this.content = content;
    }

    /** See {@link SearchableMessage#headerValues}. */
    void headerValues(String name, SearchableMessage.TextVisitor visitor) throws IOException {
        Part root = content.structure();
        try (InputStream header = content.open(root.headerOffset(), root.headerSize())) {
            HeaderReader.read(header, (field, value) ->
                    !field.equalsIgnoreCase(name) || visitor.visit(HeaderText.searchable(field, value)));
        }
    }

    /** See {@link SearchableMessage#text}. */
    void text(boolean withHeaders, SearchableMessage.TextSink sink) throws IOException {
        entity(content.structure(), withHeaders, sink);
    }

    /** Streams one entity and what it contains; true when the sink stopped the stream. */
    private boolean entity(Part part, boolean withHeaders, SearchableMessage.TextSink sink) throws IOException {
        if (withHeaders && header(part, sink)) return true;
        if (part.isMultipart()) {
            for (Part child : part.children()) {
                if (entity(child, withHeaders, sink)) return true;
            }
            return false;
        }
        if (part.isMessage()) return entity(part.message(), withHeaders, sink);
        if (part.type().equals("text") || part.type().equals("message")) return body(part, sink);
        return false;
    }

    private boolean header(Part part, SearchableMessage.TextSink sink) throws IOException {
        try (InputStream header = content.open(part.headerOffset(), part.headerSize())) {
            HeaderReader.read(header, (field, value) ->
                    !sink.text(field + ": " + HeaderText.searchable(field, value) + "\r\n"));
        }
        return sink.endText();
    }

    private boolean body(Part part, SearchableMessage.TextSink sink) throws IOException {
        // mime4j's decoding streams do not close what they read, so the raw stream is closed here
        try (InputStream raw = content.open(part.bodyOffset(), part.bodySize());
             Reader text = new InputStreamReader(transferDecoded(part, raw), charset(part).newDecoder()
                     .onMalformedInput(CodingErrorAction.REPLACE)
                     .onUnmappableCharacter(CodingErrorAction.REPLACE))) {
            char[] buffer = new char[BUFFER_CHARS];
            int n;
            while ((n = text.read(buffer)) > 0) {
                if (sink.text(CharBuffer.wrap(buffer, 0, n))) return true;
            }
        }
        return sink.endText();
    }

    /** The body without its Content-Transfer-Encoding; 7bit, 8bit, binary and unknown ones are read as they are. */
    private static InputStream transferDecoded(Part part, InputStream body) {
        String encoding = part.encoding() == null ? "" : part.encoding().strip().toLowerCase(Locale.ROOT);
        return switch (encoding) {
            case "base64" -> new Base64InputStream(body, DecodeMonitor.SILENT);
            case "quoted-printable" -> new QuotedPrintableInputStream(body, DecodeMonitor.SILENT);
            default -> body;
        };
    }

    /**
     * The charset of a text part; UTF-8 for message/* parts, for US-ASCII (of which UTF-8 is a
     * superset, and 8-bit octets in "US-ASCII" parts are common) and when Java does not know it.
     */
    private static Charset charset(Part part) {
        if (!part.type().equals("text")) return StandardCharsets.UTF_8;
        Charset charset = HeaderText.charset(part.param("charset"));
        return charset.equals(StandardCharsets.US_ASCII) ? StandardCharsets.UTF_8 : charset;
    }
}
