package org.cartero.smtp.server;

import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.SmtpException;
import org.cartero.smtp.routing.Route;

/**
 * At most {@code [smtp] max_recipients} per message. RFC 5321 section 4.5.3.1.10: the reply is
 * 452, so a client sends the rest in another transaction.
 */
final class RecipientLimitPolicy implements SessionPolicy {
    private final int maxRecipients;

    RecipientLimitPolicy(int maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    @Override
    public void recipient(SessionInfo session, MailAddress recipient, Route route) throws SmtpException {
        if (session.recipientCount() >= maxRecipients) {
            throw new SmtpException(452, "4.5.3", "Too many recipients (at most " + maxRecipients + " per message)");
        }
    }
}
