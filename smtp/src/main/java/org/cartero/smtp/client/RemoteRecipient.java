package org.cartero.smtp.client;

import java.util.Objects;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.RcptParameters;

/**
 * A recipient of a remote delivery, with the delivery status notification requests it came with
 * (RFC 3461: NOTIFY and ORCPT), passed on to servers that support DSN.
 */
public record RemoteRecipient(MailAddress address, RcptParameters dsn) {

    public RemoteRecipient {
        Objects.requireNonNull(address);
        Objects.requireNonNull(dsn);
    }

    /** A recipient without DSN requests. */
    public static RemoteRecipient of(MailAddress address) {
        return new RemoteRecipient(address, RcptParameters.NONE);
    }
}
