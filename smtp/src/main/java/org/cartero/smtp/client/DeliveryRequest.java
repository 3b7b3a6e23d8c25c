package org.cartero.smtp.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.MailParameters;

/**
 * One message for the recipients of one destination domain, as the queue hands it to
 * {@link RemoteDelivery#deliver}.
 *
 * @param queueId    the message's queue id, for log lines
 * @param sender     the envelope sender; empty for the null reverse-path "&lt;&gt;" (bounces)
 * @param recipients at least one, all in the same domain
 * @param content    the message
 * @param smtpUtf8   whether the message was received with SMTPUTF8 (RFC 6531): its header may hold UTF-8
 * @param ret        RET= (RFC 3461 section 4.3), passed on to servers that support DSN
 * @param envelopeId ENVID= (RFC 3461 section 4.4), decoded, passed on to servers that support DSN
 */
public record DeliveryRequest(String queueId, Optional<MailAddress> sender, List<RemoteRecipient> recipients,
                              MessageContent content, boolean smtpUtf8, Optional<MailParameters.Ret> ret,
                              Optional<String> envelopeId) {

    public DeliveryRequest {
        Objects.requireNonNull(queueId);
        Objects.requireNonNull(sender);
        Objects.requireNonNull(content);
        Objects.requireNonNull(ret);
        Objects.requireNonNull(envelopeId);
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) throw new IllegalArgumentException("no recipients");
        String domain = recipients.getFirst().address().domain();
        if (!recipients.stream().allMatch(r -> r.address().domain().equals(domain))) {
            throw new IllegalArgumentException("the recipients of one delivery share one domain");
        }
    }

    /** A request without DSN parameters, for a message that is not SMTPUTF8. */
    public static DeliveryRequest of(String queueId, Optional<MailAddress> sender, List<RemoteRecipient> recipients,
                                     MessageContent content) {
        return new DeliveryRequest(queueId, sender, recipients, content, false, Optional.empty(), Optional.empty());
    }

    /** The recipients' domain (lower case), or address literal such as "[192.0.2.1]". */
    public String domain() {
        return recipients.getFirst().address().domain();
    }
}
