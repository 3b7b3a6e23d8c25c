package org.cartero.smtp.queue;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.MailParameters.Body;
import org.cartero.smtp.protocol.MailParameters.Ret;
import org.cartero.smtp.protocol.OriginalRecipient;
import org.cartero.smtp.protocol.RcptParameters.Notify;
import org.cartero.smtp.protocol.Reply;

/**
 * Delivery to other servers: the SMTP client (MX lookup, STARTTLS, relay host, routes) behind
 * one call. The queue hands it one message and the recipients of that message in one domain;
 * it answers for each recipient. Retries, expiry and bounces are the queue's business: the
 * transport makes one attempt. Implementations must be thread-safe: the queue runs several
 * deliveries at once.
 */
public interface RemoteTransport {

    /**
     * Tries to deliver {@code message} to its recipients, all in {@link OutboundMessage#domain()}.
     *
     * @return one outcome per recipient, in the order of {@link OutboundMessage#recipients()}.
     *         Failures are outcomes, not exceptions: a connection refused or a DNS failure is a
     *         {@link Outcome.Deferred} (or {@link Outcome.Failed} when it can never work, such as
     *         a domain that does not exist).
     */
    List<Outcome> deliver(OutboundMessage message) throws InterruptedException;

    /**
     * One message for one domain.
     *
     * @param queueId    for log lines
     * @param sender     the reverse-path to send (already rewritten with SRS when forwarding); empty for "&lt;&gt;"
     * @param domain     the recipients' domain (lower case), whose MX or route to use
     * @param recipients at least one, all in {@code domain}
     * @param envelopeId ENVID to pass on to a server that offers DSN (RFC 3461 section 4.4)
     * @param ret        RET to pass on likewise
     * @param smtputf8   the message needs SMTPUTF8 (RFC 6531): a server without it cannot take it
     * @param body       BODY= as the client declared it (8BITMIME: the content may have 8-bit octets)
     * @param content    the message as it is to be sent (CRLF line ends, not dot-stuffed)
     */
    record OutboundMessage(String queueId, Optional<MailAddress> sender, String domain, List<OutboundRecipient> recipients,
                           Optional<String> envelopeId, Optional<Ret> ret, boolean smtputf8, Optional<Body> body,
                           Content content) {
        public OutboundMessage {
            if (recipients.isEmpty()) throw new IllegalArgumentException("no recipients");
            recipients = List.copyOf(recipients);
        }
    }

    /** A recipient with its DSN parameters, to pass on to a server that offers DSN (RFC 3461 section 4). */
    record OutboundRecipient(MailAddress address, Set<Notify> notifyOn, Optional<OriginalRecipient> orcpt) {}

    /** The content, which may be read more than once (another MX after a failure). */
    interface Content {
        long size();

        /** A new stream from the first octet; the caller closes it. */
        InputStream open() throws IOException;
    }

    /** What became of one recipient. */
    sealed interface Outcome {

        /**
         * The next server accepted the recipient.
         *
         * @param remoteMta   its host name
         * @param reply       its reply to the end of the data
         * @param dsnPassedOn it offered DSN, so NOTIFY went along and it reports success itself;
         *                    otherwise the queue reports "relayed" to a sender who asked for
         *                    NOTIFY=SUCCESS (RFC 3461 section 5.2.2)
         */
        record Accepted(String remoteMta, Reply reply, boolean dsnPassedOn) implements Outcome {}

        /**
         * Not now: try again later (a 4xx reply, no connection, a DNS failure).
         *
         * @param remoteMta  the server that answered or could not be reached, if one was found
         * @param reply      its reply, or one the transport made up for a failure without one
         *                   (e.g. 451 4.4.1 "connection refused")
         * @param fromRemote true when {@code reply} is what the remote server said
         */
        record Deferred(Optional<String> remoteMta, Reply reply, boolean fromRemote) implements Outcome {}

        /** Never: a 5xx reply, or a destination that cannot exist. Fields as for {@link Deferred}. */
        record Failed(Optional<String> remoteMta, Reply reply, boolean fromRemote) implements Outcome {}
    }
}
