package org.cartero.smtp.queue;

import java.util.Optional;
import java.util.Set;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.OriginalRecipient;
import org.cartero.smtp.protocol.RcptParameters.Notify;

/**
 * One delivery the queue owes: the recipient as the client gave it with its DSN requests (RFC 3461
 * section 4), and the destination it resolved to. An alias with several targets makes one
 * Recipient per target, all with the same {@code address}.
 *
 * @param address     the RCPT TO address
 * @param notifyOn    NOTIFY= (empty when the client sent none: failures and delays are reported)
 * @param orcpt       ORCPT=, the address the original sender used
 * @param destination where this copy goes
 */
public record Recipient(MailAddress address, Set<Notify> notifyOn, Optional<OriginalRecipient> orcpt,
                        Destination destination) {

    public Recipient {
        notifyOn = Set.copyOf(notifyOn);
    }

    /** RFC 3461 section 4.1: without NOTIFY the MTA reports failures (and may report delays). */
    public boolean wantsFailureNotice() {
        return notifyOn.isEmpty() || notifyOn.contains(Notify.FAILURE);
    }

    public boolean wantsDelayNotice() {
        return notifyOn.isEmpty() || notifyOn.contains(Notify.DELAY);
    }

    public boolean wantsSuccessNotice() {
        return notifyOn.contains(Notify.SUCCESS);
    }
}
