package org.cartero.imap.protocol;

import java.util.List;

/**
 * The ENVELOPE of a message (RFC 9051 section 7.5.2), from its header fields as they are written
 * (encoded-words are not decoded). Strings are null when the field is absent; an empty address
 * list is NIL. Whoever builds an envelope sets {@code sender} and {@code replyTo} to
 * {@code from} when those fields are absent or empty, as RFC 9051 requires.
 */
public record Envelope(String date, String subject, List<Address> from, List<Address> sender,
                       List<Address> replyTo, List<Address> to, List<Address> cc, List<Address> bcc,
                       String inReplyTo, String messageId) {

    public Envelope {
        from = List.copyOf(from);
        sender = List.copyOf(sender);
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        bcc = List.copyOf(bcc);
    }
}
