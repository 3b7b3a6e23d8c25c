package org.cartero.core.directory;

import java.util.List;
import java.util.Optional;
import org.cartero.core.mail.MailAddress;

/**
 * The directory's answer about one recipient, the router's question at RCPT time: the address
 * is in one of our domains but nobody has it ({@link Unknown}: SMTP answers 550 5.1.1), it is
 * in another domain ({@link NotOurs}), or it leads to {@link Deliver one or more destinations}.
 */
public sealed interface Resolution {

    record Unknown() implements Resolution {}

    record NotOurs() implements Resolution {}

    /** Where the mail goes, without duplicates, in the order the aliases name them; never empty. */
    record Deliver(List<Destination> destinations) implements Resolution {
        public Deliver {
            if (destinations.isEmpty()) throw new IllegalArgumentException("no destinations");
            destinations = List.copyOf(destinations);
        }
    }

    sealed interface Destination {}

    /**
     * A mailbox here. {@code detail} is what followed the recipient delimiter
     * ({@code tag} in {@code alice+tag@example.test}), for filing the mail into a folder.
     */
    record Mailbox(Account account, Optional<String> detail) implements Destination {}

    /** A forward to an address in another domain: the mail leaves through the queue. */
    record Forward(MailAddress address) implements Destination {}
}
