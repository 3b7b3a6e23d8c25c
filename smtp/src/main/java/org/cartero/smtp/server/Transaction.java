package org.cartero.smtp.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.ChunkReader;
import org.cartero.smtp.protocol.MailParameters;
import org.cartero.smtp.queue.Destination;
import org.cartero.smtp.queue.MailQueue;
import org.cartero.smtp.queue.Recipient;

/**
 * One mail transaction, from MAIL to the end of its content (RFC 5321 section 3.3): the sender,
 * the recipients accepted so far and, for BDAT (RFC 3030), the message being written chunk by chunk.
 */
final class Transaction {
    final String id;
    final Optional<MailAddress> sender;
    final MailParameters parameters;
    final List<Recipient> recipients = new ArrayList<>();
    private final Set<Destination> destinations = new LinkedHashSet<>();
    private final Set<MailAddress> addresses = new LinkedHashSet<>();

    // BDAT: set by the first chunk.
    ChunkReader chunks;
    MailQueue.Draft draft;
    OutputStream content;
    IOException spoolFailure;

    Transaction(String id, Optional<MailAddress> sender, MailParameters parameters) {
        this.id = id;
        this.sender = sender;
        this.parameters = parameters;
    }

    /** Adds the deliveries of one accepted RCPT; a destination already there (a repeated RCPT, or two aliases to one mailbox) is kept once. */
    void accept(Recipient recipient) {
        addresses.add(recipient.address());
        if (destinations.add(recipient.destination())) recipients.add(recipient);
    }

    /** RCPT commands accepted (each address once). */
    int recipientCount() {
        return addresses.size();
    }

    /** The one recipient address, when there is exactly one (for the Received field's "for"). */
    Optional<MailAddress> singleRecipient() {
        return addresses.size() == 1 ? Optional.of(addresses.iterator().next()) : Optional.empty();
    }

    boolean chunked() {
        return chunks != null;
    }

    /** Throws away a message half received through BDAT. */
    void abort() {
        if (draft != null) draft.close();
    }
}
