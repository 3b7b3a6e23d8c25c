package org.cartero.smtp.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cartero.smtp.protocol.MailParameters;
import org.cartero.smtp.protocol.RcptParameters;
import org.cartero.smtp.protocol.Reply;
import org.cartero.smtp.queue.RemoteTransport;

/**
 * The queue's {@link RemoteTransport} carried out by the SMTP client: translates the queue's
 * message into a {@link DeliveryRequest} and each {@link RecipientOutcome} back into the outcome
 * the queue acts on (retry, bounce, success DSN).
 */
public final class ClientTransport implements RemoteTransport {
    private final RemoteDelivery delivery;

    public ClientTransport(RemoteDelivery delivery) {
        this.delivery = delivery;
    }

    @Override
    public List<Outcome> deliver(OutboundMessage message) throws InterruptedException {
        List<RemoteRecipient> recipients = message.recipients().stream()
                .map(r -> new RemoteRecipient(r.address(), new RcptParameters(r.notifyOn(), r.orcpt())))
                .toList();
        // BODY=8BITMIME is what tells the next hop the content may hold 8-bit octets (RFC 6152).
        boolean eightBit = message.body().filter(body -> body != MailParameters.Body.SEVEN_BIT).isPresent();
        MessageContent content = new MessageContent(message.content()::open, message.content().size(), eightBit);
        DeliveryRequest request = new DeliveryRequest(message.queueId(), message.sender(), recipients, content,
                message.smtputf8(), message.ret(), message.envelopeId());

        List<Outcome> outcomes = new ArrayList<>();
        for (RecipientOutcome outcome : delivery.deliver(request)) {
            outcomes.add(switch (outcome) {
                case RecipientOutcome.Delivered d -> new Outcome.Accepted(d.host().name(), d.reply(), d.dsnSupported());
                case RecipientOutcome.Deferred d -> new Outcome.Deferred(remoteMta(d.problem()), reply(d.problem(), 451),
                        d.problem().reply().isPresent());
                case RecipientOutcome.Failed f -> new Outcome.Failed(remoteMta(f.problem()), reply(f.problem(), 550),
                        f.problem().reply().isPresent());
            });
        }
        return outcomes;
    }

    /** The host's name, as a DSN's Remote-MTA field names it (RFC 3464 section 2.3.5), without address and port. */
    private static Optional<String> remoteMta(Problem problem) {
        return problem.remoteHost().map(RemoteHost::name);
    }

    /** The remote server's own reply, or one made from the problem (a DNS failure has no reply). */
    private static Reply reply(Problem problem, int code) {
        return problem.reply().orElseGet(() -> Reply.of(code, problem.status(), problem.text()));
    }
}
