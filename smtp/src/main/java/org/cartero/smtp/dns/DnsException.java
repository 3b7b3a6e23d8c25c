package org.cartero.smtp.dns;

/**
 * Mail for a domain cannot be routed, for now or for good, with the enhanced status code (RFC 3463)
 * that a delivery status notification reports.
 */
public final class DnsException extends Exception {

    /** Why; each reason is permanent or not, and has its status code. */
    public enum Reason {
        /** The domain does not exist (NXDOMAIN): RFC 3463 X.1.2, bad destination system address. */
        NO_SUCH_DOMAIN(true, "5.1.2"),
        /** The domain publishes a null MX: it accepts no mail (RFC 7505 section 4: X.1.10). */
        NULL_MX(true, "5.1.10"),
        /** No mail host of the domain has an address: RFC 3463 X.4.4, unable to route. */
        NO_ADDRESS(true, "5.4.4"),
        /** This host is the best MX of the domain, which is not one of its own (RFC 5321 section 5.1): X.4.6, routing loop. */
        LOOPS_BACK(true, "5.4.6"),
        /** An address literal that is not an IPv4 or IPv6 address: X.1.3, bad destination address syntax. */
        BAD_ADDRESS_LITERAL(true, "5.1.3"),
        /** SERVFAIL, a timeout or an unusable answer: RFC 3463 X.4.3, directory server failure. */
        TEMPORARY(false, "4.4.3");

        private final boolean permanent;
        private final String status;

        Reason(boolean permanent, String status) {
            this.permanent = permanent;
            this.status = status;
        }
    }

    private final Reason reason;

    public DnsException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether trying again later cannot help. */
    public boolean permanent() {
        return reason.permanent;
    }

    /** The enhanced status code, e.g. "5.1.10". */
    public String status() {
        return reason.status;
    }
}
