package org.cartero.smtp.server;

import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.SmtpException;
import org.cartero.smtp.routing.Route;

/**
 * Who may send where: an unknown address in one of our domains is refused at once with 550 5.1.1
 * (so nothing is accepted and bounced later: no backscatter), and an address in another domain
 * only from an authenticated user (554 5.7.1 otherwise: never an open relay).
 */
final class RelayPolicy implements SessionPolicy {

    @Override
    public void recipient(SessionInfo session, MailAddress recipient, Route route) throws SmtpException {
        switch (route) {
            case Route.Unknown u -> throw new SmtpException(550, "5.1.1", "<" + recipient + ">: Recipient address rejected: User unknown");
            case Route.Foreign f -> {
                if (session.account().isEmpty()) {
                    throw new SmtpException(554, "5.7.1", "<" + recipient + ">: Relay access denied");
                }
            }
            case Route.Deliver d -> { }
        }
    }
}
