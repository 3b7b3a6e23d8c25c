package org.cartero.smtp.server;

import java.util.Optional;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.Directory;
import org.cartero.core.directory.DirectoryException;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.Command;
import org.cartero.smtp.protocol.SmtpException;

/**
 * Submission (RFC 6409): a user must authenticate before MAIL (RFC 4954 section 6), and may then
 * only send as an address that is theirs: their own, or an alias that leads to them (with a
 * detail after the recipient delimiter too). Mail with the null sender (an auto-reply's) is let
 * through. On the MX listener neither applies.
 */
final class SubmissionPolicy implements SessionPolicy {
    private final Directory directory;

    SubmissionPolicy(Directory directory) {
        this.directory = directory;
    }

    @Override
    public void mail(SessionInfo session, Command.Mail mail) throws SmtpException, DirectoryException {
        Optional<Account> account = session.account();
        if (session.isSubmission() && account.isEmpty()) {
            // RFC 3207 section 4: 530 also asks for STARTTLS when that must come first.
            throw session.passwordAllowed()
                    ? new SmtpException(530, "5.7.0", "Authentication required")
                    : new SmtpException(530, "5.7.0", "Must issue a STARTTLS command first");
        }
        if (account.isEmpty() || mail.sender().isEmpty()) return;
        MailAddress sender = mail.sender().get();
        if (!directory.isAddressOf(account.get(), sender)) {
            throw new SmtpException(553, "5.7.1", "Sender address rejected: <" + sender + "> is not owned by "
                    + account.get().name());
        }
    }
}
