package org.cartero.smtp.client;

import java.util.Optional;
import org.cartero.core.config.HostPort;
import org.cartero.smtp.client.SmtpClientSettings.Credentials;

/**
 * Where mail for one domain goes: a route of {@code [smtp.routes]} for the domain, else the
 * {@code relay_host}, else the domain's MX hosts.
 *
 * @param destination what connection limits count against and logs name: the domain for MX
 *                    delivery, the host and port for a route or the relay host
 * @param host        the route's or relay's host; empty for MX delivery
 * @param port        the port to connect to
 * @param requireTls  whether the mail may only leave over TLS
 * @param credentials AUTH at the relay host
 */
record NextHop(String destination, Optional<HostPort> host, int port, boolean requireTls, Optional<Credentials> credentials) {

    /** @param domain the recipients' domain in its ASCII form, or an address literal */
    static NextHop of(String domain, SmtpClientSettings settings) {
        boolean tlsRequired = settings.tlsRequiredDomains().contains(domain);
        HostPort route = settings.routes().get(domain);
        if (route != null) return new NextHop(route.toString(), Optional.of(route), route.port(), tlsRequired, Optional.empty());
        if (settings.relayHost().isPresent()) {
            HostPort relay = settings.relayHost().get();
            return new NextHop(relay.toString(), Optional.of(relay), relay.port(),
                    tlsRequired || settings.relayRequireTls(), settings.relayCredentials());
        }
        return new NextHop(domain, Optional.empty(), settings.mxPort(), tlsRequired, Optional.empty());
    }
}
