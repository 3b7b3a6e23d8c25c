package org.cartero.smtp.queue;

import org.cartero.core.mail.MailAddress;

/**
 * Where the queue delivers for one recipient, decided by the router when the message is
 * accepted: a mailbox here or an address on another server.
 */
public sealed interface Destination {

    /** The address a delivery status notification names as Final-Recipient (RFC 3464 section 2.3.2). */
    MailAddress address();

    /**
     * A mailbox here, delivered through the store.
     *
     * @param account the account's login name ({@link org.cartero.core.directory.Account#name()}),
     *                looked up again at delivery time: an account removed meanwhile fails the delivery
     * @param address the address the mail is delivered to (the Delivered-To field)
     */
    record Local(String account, MailAddress address) implements Destination {}

    /**
     * An address on another server, handed to the {@link RemoteTransport}.
     *
     * @param forwarded true when an alias of ours leads there: the envelope sender is then
     *                  rewritten with SRS, since we send in someone else's name
     */
    record Remote(MailAddress address, boolean forwarded) implements Destination {}
}
