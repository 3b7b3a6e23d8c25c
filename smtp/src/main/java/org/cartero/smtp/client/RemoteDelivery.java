package org.cartero.smtp.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.util.List;
import org.cartero.core.config.Config;
import org.cartero.core.tls.TlsContext;
import org.cartero.smtp.client.ClientConnection.ContentUnreadableException;
import org.cartero.smtp.client.ClientSession.HostFailure;
import org.cartero.smtp.client.RecipientOutcome.Deferred;
import org.cartero.smtp.client.RecipientOutcome.Delivered;
import org.cartero.smtp.client.RecipientOutcome.Failed;
import org.cartero.smtp.dns.DnsException;
import org.cartero.smtp.dns.MailHost;
import org.cartero.smtp.dns.MxResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers a message to the recipients of one remote domain: the entry point the queue calls.
 *
 * <p>The mail goes to the route configured for the domain, else the relay host, else the domain's
 * MX hosts in preference order (RFC 5321 section 5.1), trying each address of each host in turn
 * until no recipient is left pending. A connection failure, a 4xx reply to the greeting, EHLO,
 * MAIL, DATA or the end of the data, or a 4xx reply to RCPT send the affected recipients on to
 * the next server; a 5xx reply settles them for good; the recipients a server accepted are
 * delivered. Whatever is left pending after the last server is deferred, with the most telling
 * problem met. The per-recipient outcomes let the queue retry, bounce and write DSNs.
 *
 * <p>Thread-safe: one instance serves every delivery; deliveries to one destination wait for a
 * turn when {@code max_connections_per_destination} are already under way.
 */
public final class RemoteDelivery {

    private static final Logger log = LoggerFactory.getLogger(RemoteDelivery.class);

    /**
     * The addresses tried in one delivery at the most, across all hosts. RFC 5321 section 5.1 asks
     * for at least two; beyond a handful more only delay the retry (Postfix's smtp_mx_address_limit is 5).
     */
    static final int MAX_ADDRESSES = 10;

    private final String heloName;
    private final SmtpClientSettings settings;
    private final MxResolver resolver;
    private final TlsContext tls;
    private final DestinationLimits limits;

    /**
     * @param heloName the name this host gives in EHLO: the configured hostname
     * @param tls      for STARTTLS (the client side of it trusts any certificate: RFC 7435)
     */
    public RemoteDelivery(String heloName, SmtpClientSettings settings, MxResolver resolver, TlsContext tls) {
        this.heloName = heloName;
        this.settings = settings;
        this.resolver = resolver;
        this.tls = tls;
        this.limits = new DestinationLimits(settings.maxConnectionsPerDestination(), settings.maxOutboundConnections());
    }

    /** The remote delivery for the configuration: EHLO with its hostname, DNS as {@code [smtp]} says. */
    public static RemoteDelivery create(Config config, SmtpClientSettings settings, TlsContext tls) {
        MxResolver resolver = MxResolver.create(settings.dnsResolver(), settings.dnsTimeout(), settings.ipv6(), config.hostname());
        return new RemoteDelivery(config.hostname(), settings, resolver, tls);
    }

    /**
     * Delivers the message to its recipients, all in one domain, and says what became of each.
     *
     * @return one outcome per recipient, in the order of {@link DeliveryRequest#recipients()}
     * @throws InterruptedException when interrupted while waiting for a turn at the destination,
     *                              before anything was sent. Interrupted later, the delivery stops
     *                              trying further servers, returns the outcomes so far (the rest
     *                              deferred) and leaves the thread's interrupt flag set.
     */
    public List<RecipientOutcome> deliver(DeliveryRequest request) throws InterruptedException {
        DeliveryLedger ledger = new DeliveryLedger(request.recipients());
        String domain;
        try {
            domain = SmtpClientSettings.normalizeDomain(request.domain());
        } catch (IllegalArgumentException e) {
            ledger.problemForAll(Problem.local("5.1.2", "not a valid domain: " + request.domain()));
            return report(request, ledger);
        }
        NextHop hop = NextHop.of(domain, settings);
        try (DestinationLimits.Permit turn = limits.acquire(hop.destination())) {
            tryServers(request, domain, hop, ledger);
        }
        return report(request, ledger);
    }

    private void tryServers(DeliveryRequest request, String domain, NextHop hop, DeliveryLedger ledger) {
        try {
            List<MailHost> hosts;
            try {
                hosts = hop.host().isPresent() ? List.of(new MailHost(hop.host().get().host(), 0)) : resolver.mailHosts(domain);
            } catch (DnsException e) {
                ledger.problemForAll(dnsProblem(e, hop));
                return;
            }
            int tried = 0;
            for (MailHost host : hosts) {
                if (ledger.done()) return;
                List<InetAddress> addresses;
                try {
                    addresses = resolver.addresses(host.name());
                } catch (DnsException e) {
                    Problem problem = dnsProblem(e, hop);
                    if (problem.permanent()) {
                        ledger.hostUnusable(problem);
                    } else {
                        ledger.problemForAll(problem);
                    }
                    continue;
                }
                for (InetAddress address : addresses) {
                    if (ledger.done() || tried++ == MAX_ADDRESSES) return;
                    RemoteHost server = new RemoteHost(host.name(), new InetSocketAddress(address, hop.port()));
                    if (!attempt(server, hop, request, ledger)) return;
                }
            }
        } catch (InterruptedException e) {
            ledger.problemForAll(Problem.local("4.3.2", "delivery interrupted: Cartero is stopping"));
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One server: a connection and the whole dialogue; again without STARTTLS when the TLS
     * handshake failed and TLS is not required (opportunistic TLS must not make mail undeliverable).
     *
     * @return false when no further server should be tried
     */
    private boolean attempt(RemoteHost server, NextHop hop, DeliveryRequest request, DeliveryLedger ledger)
            throws InterruptedException {
        boolean startTls = true;
        while (true) {
            ClientConnection connection = null;
            try {
                connection = ClientConnection.open(server, settings.timeouts());
                new ClientSession(connection, hop, heloName, tls, settings.timeouts(), request, ledger).run(startTls);
                return true;
            } catch (HostFailure e) {
                if (e.tlsHandshake() && !hop.requireTls() && startTls) {
                    log.info("{}: {}; trying again without TLS", request.queueId(), e.getMessage());
                    startTls = false;
                    continue;
                }
                log.debug("{}: {}", request.queueId(), e.getMessage());
                ledger.problemForAll(e.problem());
                return true;
            } catch (ContentUnreadableException e) {
                ledger.problemForAll(Problem.local("4.3.0", "cannot read the queued message: " + e.getMessage()));
                return false;
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
                Problem problem = connectionProblem(server, connection, e);
                log.debug("{}: {}", request.queueId(), problem.text());
                ledger.problemForAll(problem);
                return true;
            } finally {
                if (connection != null) closeQuietly(connection);
            }
        }
    }

    /** A DNS problem; for a configured route or relay host it is never permanent: the configuration will be fixed. */
    private static Problem dnsProblem(DnsException e, NextHop hop) {
        Problem problem = Problem.local(e.status(), e.getMessage());
        return hop.host().isPresent() ? problem.temporary() : problem;
    }

    private static Problem connectionProblem(RemoteHost server, ClientConnection connection, IOException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (connection == null) return Problem.at(server, "4.4.1", "connect to " + server + ": " + detail);
        String phase = connection.phase();
        return switch (e) {
            case SocketTimeoutException _ -> Problem.at(server, "4.4.2", "conversation with " + server + " timed out while " + phase);
            case ProtocolException _ -> Problem.at(server, "4.5.0", "protocol error with " + server + " while " + phase + ": " + detail);
            default -> Problem.at(server, "4.4.2", "lost connection with " + server + " while " + phase + ": " + detail);
        };
    }

    private static void closeQuietly(ClientConnection connection) {
        try {
            connection.close();
        } catch (IOException e) {
            // the connection is done with either way
        }
    }

    /** Logs one line per recipient, the way mail administrators read them (Postfix's form). */
    private static List<RecipientOutcome> report(DeliveryRequest request, DeliveryLedger ledger) {
        List<RecipientOutcome> outcomes = ledger.outcomes();
        for (RecipientOutcome outcome : outcomes) {
            String to = outcome.recipient().address().toString();
            switch (outcome) {
                case Delivered d -> log.info("{}: to=<{}>, relay={}, dsn={}, status=sent ({})", request.queueId(), to, d.host(),
                        d.reply().enhancedCode() == null ? "2.0.0" : d.reply().enhancedCode(), d.reply());
                case Deferred d -> log.info("{}: to=<{}>, relay={}, dsn={}, status=deferred ({})", request.queueId(), to,
                        d.problem().remoteHost().map(Object::toString).orElse("none"), d.problem().status(), d.problem().text());
                case Failed f -> log.info("{}: to=<{}>, relay={}, dsn={}, status=bounced ({})", request.queueId(), to,
                        f.problem().remoteHost().map(Object::toString).orElse("none"), f.problem().status(), f.problem().text());
            }
        }
        return outcomes;
    }
}
