package org.cartero.smtp.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.MailParameters.Body;
import org.cartero.smtp.protocol.MailParameters.Ret;

/**
 * What the queue keeps about a message besides its content: the envelope of the SMTP transaction
 * with its DSN parameters (RFC 3461), and where the message came from. Written once, with the
 * content, before the 250 reply to DATA; never changed afterwards (the per-recipient progress is
 * in a {@link DeliveryState}).
 *
 * @param id                the queue id, in the 250 reply and every log line about the message
 * @param arrival           when the message was accepted (Arrival-Date in a DSN)
 * @param sender            the reverse-path; empty for the null sender "&lt;&gt;" (bounces)
 * @param recipients        the deliveries owed, in RCPT order
 * @param envelopeId        ENVID= (RFC 3461 section 4.4)
 * @param ret               RET= (RFC 3461 section 4.3)
 * @param smtputf8          SMTPUTF8 (RFC 6531): addresses or header fields may hold UTF-8
 * @param body              BODY= (RFC 6152)
 * @param authenticatedUser the account that submitted the message, if any
 * @param client            the client: its IP address, or "uid N" for a local program
 * @param helo              the name the client gave in HELO or EHLO, if any
 */
public record Envelope(
        String id,
        Instant arrival,
        Optional<MailAddress> sender,
        List<Recipient> recipients,
        Optional<String> envelopeId,
        Optional<Ret> ret,
        boolean smtputf8,
        Optional<Body> body,
        Optional<String> authenticatedUser,
        String client,
        Optional<String> helo) {

    public Envelope {
        if (!QueueId.isValid(id)) throw new IllegalArgumentException("not a queue id: " + id);
        if (recipients.isEmpty()) throw new IllegalArgumentException("a message needs a recipient");
        recipients = List.copyOf(recipients);
    }

    /** The sender as SMTP writes it: "&lt;&gt;" for the null sender. */
    public String senderText() {
        return sender.map(MailAddress::toString).orElse("");
    }
}
