package org.cartero.store.mime;

import java.util.List;

/**
 * The header fields IMAP ENVELOPE reports (RFC 9051 section 7.5.2), taken once when the message
 * arrives: raw unfolded values for date, subject, In-Reply-To and Message-ID, parsed address
 * lists for the rest. A field absent from the message is null (an empty list for addresses).
 * The IMAP encoder applies the protocol's defaults (Sender and Reply-To fall back to From).
 * {@code references} and {@code sentDate} (epoch milliseconds of the Date field, or null when it
 * does not parse) serve SORT and THREAD (RFC 5256).
 */
public record Envelope(String date, String subject, List<Address> from, List<Address> sender,
                       List<Address> replyTo, List<Address> to, List<Address> cc, List<Address> bcc,
                       String inReplyTo, String messageId, String references, Long sentDate) {}
