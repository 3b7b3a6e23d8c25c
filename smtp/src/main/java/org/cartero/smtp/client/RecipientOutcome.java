package org.cartero.smtp.client;

import java.util.Objects;
import org.cartero.smtp.protocol.Reply;

/**
 * What became of one recipient of a {@link DeliveryRequest}. The queue keeps a {@link Deferred}
 * recipient to try again later, and reports a {@link Failed} one to the sender in a bounce.
 */
public sealed interface RecipientOutcome {

    RemoteRecipient recipient();

    /**
     * A server took responsibility for the message (it answered 250 at the end of the data).
     *
     * @param host          the server, the DSN's Remote-MTA
     * @param reply         its reply to the end of the data (it often names its queue id)
     * @param dsnSupported  whether the server offered DSN (RFC 3461), so that it carries the
     *                      NOTIFY request on; when it did not, a NOTIFY=SUCCESS request is answered
     *                      with a "relayed" DSN (RFC 3461 section 4.1)
     */
    record Delivered(RemoteRecipient recipient, RemoteHost host, Reply reply, boolean dsnSupported) implements RecipientOutcome {
        public Delivered {
            Objects.requireNonNull(recipient);
            Objects.requireNonNull(host);
            Objects.requireNonNull(reply);
        }
    }

    /** Not delivered for now; trying again later may succeed. {@code problem} has a 4.x.x status. */
    record Deferred(RemoteRecipient recipient, Problem problem) implements RecipientOutcome {
        public Deferred {
            Objects.requireNonNull(recipient);
            if (problem.permanent()) throw new IllegalArgumentException("a deferral needs a temporary problem");
        }
    }

    /** Not deliverable, for good. {@code problem} has a 5.x.x status. */
    record Failed(RemoteRecipient recipient, Problem problem) implements RecipientOutcome {
        public Failed {
            Objects.requireNonNull(recipient);
            if (!problem.permanent()) throw new IllegalArgumentException("a failure needs a permanent problem");
        }
    }
}
