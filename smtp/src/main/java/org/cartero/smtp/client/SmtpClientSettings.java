package org.cartero.smtp.client;

import java.io.IOException;
import java.net.IDN;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigSection;
import org.cartero.core.config.HostPort;
import org.cartero.core.mail.MailAddress;

/**
 * The outbound SMTP client's keys of the {@code [smtp]} section: where mail goes (a relay host,
 * routes per domain, or the MX hosts), how the DNS is asked, TLS requirements, connection limits
 * and timeouts. The server reads the other keys of the same section.
 *
 * @param relayHost                    {@code relay_host}: every message goes to this smarthost
 * @param relayCredentials             {@code relay_user} and {@code relay_password_file}: AUTH at the relay host
 * @param relayRequireTls              {@code relay_require_tls}: never talk to the relay host without TLS
 *                                     (always so when credentials are set: they are only sent encrypted)
 * @param routes                       {@code [smtp.routes]}: domain (lower case, ASCII form) to the host that takes its mail
 * @param tlsRequiredDomains           {@code tls_required_domains}: domains whose mail leaves only over TLS
 * @param dnsResolver                  {@code dns_resolver}: the DNS server to ask; empty for /etc/resolv.conf's
 * @param dnsTimeout                   {@code dns_timeout}: how long one DNS query may take
 * @param ipv6                         {@code ipv6}: whether to deliver over IPv6 at all
 * @param mxPort                       {@code mx_port}: the port of MX hosts (25; another only for tests and odd setups)
 * @param maxConnectionsPerDestination {@code max_connections_per_destination}: at once, per domain or relay
 * @param maxOutboundConnections       {@code max_outbound_connections}: at once, in all
 * @param timeouts                     {@code [smtp.client_timeouts]}
 */
public record SmtpClientSettings(
        Optional<HostPort> relayHost,
        Optional<Credentials> relayCredentials,
        boolean relayRequireTls,
        Map<String, HostPort> routes,
        Set<String> tlsRequiredDomains,
        Optional<HostPort> dnsResolver,
        Duration dnsTimeout,
        boolean ipv6,
        int mxPort,
        int maxConnectionsPerDestination,
        int maxOutboundConnections,
        Timeouts timeouts) {

    public SmtpClientSettings {
        routes = Map.copyOf(routes);
        tlsRequiredDomains = Set.copyOf(tlsRequiredDomains);
        if (relayCredentials.isPresent() && !relayRequireTls) {
            throw new IllegalArgumentException("relay credentials are only ever sent over TLS");
        }
    }

    /** A user name and password for AUTH at the relay host. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=(hidden)]";
        }
    }

    /**
     * How long the client waits, per RFC 5321 section 4.5.3.2 except {@code connect}.
     *
     * @param connect   for the TCP connection to be made
     * @param greeting  for the 220 greeting (RFC: 5 minutes)
     * @param command   for the reply to EHLO, STARTTLS, AUTH, MAIL, RCPT, RSET, QUIT (RFC: 5 minutes for MAIL and RCPT)
     * @param dataInit  for the 354 reply to DATA (RFC: 2 minutes)
     * @param dataBlock for each block of message content to be taken by the server (RFC: 3 minutes)
     * @param dataDone  for the reply after the final "." (RFC: 10 minutes)
     */
    public record Timeouts(Duration connect, Duration greeting, Duration command, Duration dataInit,
                           Duration dataBlock, Duration dataDone) {}

    /** Reads the client's keys from the {@code [smtp]} section. */
    public static SmtpClientSettings from(ConfigSection smtp) throws ConfigException {
        Optional<HostPort> relayHost = Optional.ofNullable(smtp.address("relay_host"));
        Optional<Credentials> credentials = credentials(smtp);
        if (credentials.isPresent() && relayHost.isEmpty()) {
            throw smtp.error("relay_user", "relay credentials need a relay_host");
        }
        boolean requireTls = smtp.bool("relay_require_tls", false);
        if (credentials.isPresent() && smtp.has("relay_require_tls") && !requireTls) {
            throw smtp.error("relay_require_tls", "relay credentials are only ever sent over TLS");
        }

        ConfigSection routeSection = smtp.section("routes");
        Map<String, HostPort> routes = new LinkedHashMap<>();
        for (String domain : routeSection.keys()) {
            HostPort target;
            try {
                target = routeSection.address(domain);
            } catch (ConfigException e) {
                // An unquoted example.org = "..." is the table example with the key org.
                throw routeSection.error(domain, e.problem() + " (write the domain in quotes: \"example.org\" = \"host:port\")");
            }
            routes.put(domainKey(routeSection, domain, domain), target);
        }
        Set<String> tlsRequired = new LinkedHashSet<>();
        for (String domain : smtp.strings("tls_required_domains", List.of())) {
            tlsRequired.add(domainKey(smtp, "tls_required_domains", domain));
        }

        Optional<HostPort> resolver = Optional.ofNullable(smtp.address("dns_resolver"));
        if (resolver.isPresent()) {
            try {
                InetAddress.ofLiteral(resolver.get().host());
            } catch (IllegalArgumentException e) {
                throw smtp.error("dns_resolver", "must be an IP address and port, as \"127.0.0.1:53\" or \"[::1]:53\"");
            }
        }

        ConfigSection timeoutSection = smtp.section("client_timeouts");
        Timeouts timeouts = new Timeouts(
                timeoutSection.duration("connect", Duration.ofSeconds(30)),
                timeoutSection.duration("greeting", Duration.ofMinutes(5)),
                timeoutSection.duration("command", Duration.ofMinutes(5)),
                timeoutSection.duration("data_init", Duration.ofMinutes(2)),
                timeoutSection.duration("data_block", Duration.ofMinutes(3)),
                timeoutSection.duration("data_done", Duration.ofMinutes(10)));

        return new SmtpClientSettings(relayHost, credentials, requireTls || credentials.isPresent(), routes, tlsRequired,
                resolver,
                smtp.duration("dns_timeout", Duration.ofSeconds(10)),
                smtp.bool("ipv6", true),
                smtp.integer("mx_port", 25, 1, 65535),
                smtp.integer("max_connections_per_destination", 5, 1, 10_000),
                smtp.integer("max_outbound_connections", 100, 1, 100_000),
                timeouts);
    }

    /** The domain as routes and TLS requirements are looked up: lower case, internationalised labels in ASCII. */
    static String normalizeDomain(String domain) {
        return IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }

    private static String domainKey(ConfigSection section, String key, String domain) throws ConfigException {
        if (!MailAddress.isDomain(domain)) throw section.error(key, "not a domain: \"" + domain + "\"");
        try {
            return normalizeDomain(domain);
        } catch (IllegalArgumentException e) {
            throw section.error(key, "not a domain: \"" + domain + "\" (" + e.getMessage() + ")");
        }
    }

    /**
     * The relay credentials: the user from the configuration, the password from its own file (its
     * first line), so that the configuration file can be world-readable and the secret not.
     */
    private static Optional<Credentials> credentials(ConfigSection smtp) throws ConfigException {
        String user = smtp.string("relay_user", null);
        Path passwordFile = smtp.path("relay_password_file", null);
        if (user == null && passwordFile == null) return Optional.empty();
        if (user == null || passwordFile == null) {
            throw smtp.error(user == null ? "relay_password_file" : "relay_user", "relay_user and relay_password_file go together");
        }
        if (user.isEmpty()) throw smtp.error("relay_user", "must not be empty");
        String password;
        try {
            password = Files.readString(passwordFile, StandardCharsets.UTF_8).lines().findFirst().orElse("");
        } catch (IOException e) {
            throw smtp.error("relay_password_file", "cannot read " + passwordFile + ": " + e.getMessage());
        }
        if (password.isEmpty()) throw smtp.error("relay_password_file", passwordFile + " holds no password on its first line");
        return Optional.of(new Credentials(user, password));
    }
}
