package org.cartero.core.directory;

import java.util.Locale;
import org.cartero.core.mail.MailAddress;

/**
 * What a virtual alias is keyed by: one address ({@code info@example.test}) or a whole domain
 * ({@code @example.test}, the catch-all, used only when no user or alias matches exactly).
 * Kept in lower case, as the directory matches addresses without case.
 *
 * @param localPart the local part, or null for a catch-all
 */
public record AliasSource(String localPart, String domain) {

    public AliasSource {
        if (localPart != null) localPart = localPart.toLowerCase(Locale.ROOT);
        domain = domain.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code local@domain} or {@code @domain}.
     *
     * @throws IllegalArgumentException with a reason the user can be shown
     */
    public static AliasSource parse(String text) {
        if (text.startsWith("@")) {
            String domain = text.substring(1);
            if (!MailAddress.isDomain(domain)) throw new IllegalArgumentException("invalid domain \"" + domain + "\"");
            return new AliasSource(null, domain);
        }
        return of(MailAddress.parse(text));
    }

    public static AliasSource of(MailAddress address) {
        return new AliasSource(address.localPart(), address.domain());
    }

    public static AliasSource catchAll(String domain) {
        return new AliasSource(null, domain);
    }

    public boolean isCatchAll() {
        return localPart == null;
    }

    /** The source as an address; only for a source that is not a catch-all. */
    public MailAddress address() {
        if (isCatchAll()) throw new IllegalStateException("a catch-all is not an address: " + this);
        return new MailAddress(localPart, domain);
    }

    @Override
    public String toString() {
        return isCatchAll() ? "@" + domain : localPart + "@" + domain;
    }
}
