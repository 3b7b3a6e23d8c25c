package org.cartero.smtp.server;

import org.cartero.core.directory.DirectoryException;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.Command;
import org.cartero.smtp.protocol.SmtpException;
import org.cartero.smtp.routing.Route;

/**
 * A check the session runs on MAIL and RCPT, apart from the state machine (as Apache James's
 * hooks): the session parses and sequences commands, a policy says whether this client may do
 * this, and refuses by throwing the reply. Policies run in order; the first refusal wins.
 */
public interface SessionPolicy {

    /** Judges a MAIL command that is in sequence and within the size limit. */
    default void mail(SessionInfo session, Command.Mail mail) throws SmtpException, DirectoryException {}

    /** Judges a RCPT command, given where the router would send the mail. */
    default void recipient(SessionInfo session, MailAddress recipient, Route route) throws SmtpException {}
}
