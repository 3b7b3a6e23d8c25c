package org.cartero.pop3.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * What CAPA lists (RFC 2449 section 5). Some capabilities are announced only before login, as
 * their RFCs say: USER, SASL, STLS and AUTH-RESP-CODE concern the AUTHORIZATION state. USER and
 * SASL appear only where a password may be sent (see the session); STLS only before TLS
 * (RFC 2595 section 4).
 *
 * @param loginDelaySeconds the LOGIN-DELAY (RFC 2449 section 6.5) in seconds, or -1 when none is
 *                          configured (and the capability is not announced)
 * @param expire            the EXPIRE value (RFC 2449 section 6.7), "NEVER" or "0", or null when
 *                          none is configured
 * @param mechanisms        the SASL mechanisms offered where passwords may be sent
 */
public record Capabilities(long loginDelaySeconds, String expire, List<String> mechanisms) {

    public Capabilities {
        mechanisms = List.copyOf(mechanisms);
    }

    /**
     * The capability lines for a session in its present state.
     *
     * @param authorization    true before login (the AUTHORIZATION state)
     * @param tls              true when TLS is active
     * @param passwordsAllowed true when USER/PASS and AUTH may be used on this connection
     */
    public List<String> lines(boolean authorization, boolean tls, boolean passwordsAllowed) {
        List<String> lines = new ArrayList<>();
        lines.add("TOP");
        lines.add("UIDL");
        lines.add("RESP-CODES");
        lines.add("PIPELINING");
        if (authorization) {
            lines.add("AUTH-RESP-CODE"); // RFC 3206 section 6
            if (passwordsAllowed) {
                lines.add("USER");
                lines.add("SASL " + String.join(" ", mechanisms));
            }
            if (!tls) lines.add("STLS");
            // RFC 6856 section 2: with the USER argument, user names and passwords may be UTF-8.
            lines.add(passwordsAllowed ? "UTF8 USER" : "UTF8");
        } else {
            lines.add("UTF8");
        }
        if (expire != null) lines.add("EXPIRE " + expire);
        if (loginDelaySeconds >= 0) lines.add("LOGIN-DELAY " + loginDelaySeconds);
        lines.add("IMPLEMENTATION Cartero");
        return lines;
    }
}
