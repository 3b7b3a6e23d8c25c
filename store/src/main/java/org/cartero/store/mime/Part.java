package org.cartero.store.mime;

import java.util.List;

/**
 * One MIME entity of a message, with everything IMAP BODYSTRUCTURE (RFC 9051 section 7.5.2) and
 * BODY[section] need: the content header fields as written, and where the entity's header and
 * body lie.
 *
 * <p>Offsets and sizes come in two forms. The wire form is the message as IMAP and POP3 send it,
 * every line ending in CRLF: {@code headerOffset}, {@code headerSize}, {@code bodyOffset},
 * {@code bodySize} are wire octets from the start of the message, and {@code bodyLines} counts
 * the body's lines. The stored form is the message as kept on disk (line ends as written,
 * usually LF): {@code storedHeaderOffset} and {@code storedBodyOffset} are where a reader seeks
 * to before converting to wire form. The header includes its terminating empty line; as RFC 2046
 * section 5.1.1 says, the line break before a boundary belongs to the boundary, not the body.
 *
 * <p>{@code children} lists the parts of a multipart; {@code message} and {@code messageEnvelope}
 * describe the message inside a message/rfc822 or message/global part. Type and subtype are
 * lower-cased; other values are as written, null when absent.
 */
public record Part(String type, String subtype, List<Param> params,
                   String id, String description, String encoding, String md5,
                   String disposition, List<Param> dispositionParams, String language, String location,
                   long headerOffset, long headerSize, long bodyOffset, long bodySize, long bodyLines,
                   long storedHeaderOffset, long storedBodyOffset,
                   List<Part> children, Envelope messageEnvelope, Part message) {

    public boolean isMultipart() {
        return type.equals("multipart");
    }

    public boolean isMessage() {
        return message != null;
    }

    /** The value of a Content-Type parameter (name without case), or null. */
    public String param(String name) {
        for (Param p : params) if (p.name().equalsIgnoreCase(name)) return p.value();
        return null;
    }
}
