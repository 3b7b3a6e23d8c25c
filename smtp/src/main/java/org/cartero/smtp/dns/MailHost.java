package org.cartero.smtp.dns;

/**
 * A host that takes mail for a domain: an MX record's exchange, the domain itself as the implicit
 * MX, or the address of an address literal.
 *
 * @param name       a host name without the final dot, or an IP address ("192.0.2.1", "2001:db8::1")
 * @param preference the MX preference; 0 for the implicit MX and for address literals
 */
public record MailHost(String name, int preference) {

    public MailHost {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty host name");
    }
}
