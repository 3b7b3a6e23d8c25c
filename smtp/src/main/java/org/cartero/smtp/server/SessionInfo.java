package org.cartero.smtp.server;

import java.net.InetAddress;
import java.util.Optional;
import org.cartero.core.config.Service;
import org.cartero.core.directory.Account;

/** What a {@link SessionPolicy} may know about the session it judges. */
public interface SessionInfo {

    /** The listener: {@link Service#SMTP} for other servers (MX), SUBMISSION or SUBMISSIONS for users. */
    Service service();

    InetAddress clientAddress();

    boolean isTls();

    /** True when the client may send a password now (TLS, or loopback when the configuration allows it). */
    boolean passwordAllowed();

    /** The user who authenticated with AUTH, if one did. */
    Optional<Account> account();

    /** Recipients accepted so far in the current transaction (RCPT commands, before alias expansion). */
    int recipientCount();

    /** True on the submission listeners (587/2525 and 465), where users send mail out. */
    default boolean isSubmission() {
        return service() == Service.SUBMISSION || service() == Service.SUBMISSIONS;
    }
}
