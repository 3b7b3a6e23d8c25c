package org.cartero.smtp.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.cartero.core.config.HostPort;
import org.cartero.smtp.dns.DnsException.Reason;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Cache;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.RedirectOverflowException;
import org.xbill.DNS.lookup.ServerFailedException;

/**
 * Finds the hosts that take mail for a domain and their addresses (RFC 5321 section 5.1).
 *
 * <p>Answers are cached for as long as their TTL allows (negative answers for their SOA's minimum,
 * RFC 2308); CNAMEs are followed, both for the domain and for the MX hosts. Names are looked up as
 * absolute names (no search list) and in their ASCII form (IDNA). /etc/hosts is consulted for
 * addresses first, as the system's resolver would.
 *
 * <p>Thread-safe: one resolver serves every delivery.
 */
public final class MxResolver {

    /** RFC 5321 section 4.1.3: IPv4-address-literal, the four octets in dotted decimal. */
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final String IPV6_TAG = "IPv6:";

    private final LookupSession session;
    private final boolean ipv6;
    private final String ownHostname;
    private final RandomGenerator random;

    /**
     * @param resolver    the DNS server(s) to ask
     * @param ipv6        whether to look up and use IPv6 addresses
     * @param ownHostname this host's name, to recognise itself among a domain's MX hosts
     * @param random      shuffles MX hosts of equal preference
     */
    public MxResolver(Resolver resolver, boolean ipv6, String ownHostname, RandomGenerator random) {
        this.session = LookupSession.builder()
                .resolver(resolver)
                .cache(new Cache(DClass.IN))
                .defaultHostsFileParser()
                .build();
        this.ipv6 = ipv6;
        this.ownHostname = ownHostname.toLowerCase(Locale.ROOT);
        this.random = random;
    }

    /**
     * A resolver that asks the given DNS server, or when {@code server} is empty the servers of
     * the system's configuration (/etc/resolv.conf).
     *
     * @param server an IP address and port
     * @param timeout how long one query may take before it is sent again (and then given up)
     */
    public static MxResolver create(Optional<HostPort> server, Duration timeout, boolean ipv6, String ownHostname) {
        List<InetSocketAddress> servers = server
                .map(s -> List.of(new InetSocketAddress(InetAddress.ofLiteral(s.host()), s.port())))
                .orElseGet(() -> ResolverConfig.getCurrentConfig().servers());
        ExtendedResolver resolver = new ExtendedResolver(servers.stream().<Resolver>map(address -> {
            SimpleResolver single = new SimpleResolver(address);
            single.setTimeout(timeout);
            return single;
        }).toList());
        resolver.setTimeout(timeout);
        return new MxResolver(resolver, ipv6, ownHostname, RandomGenerator.getDefault());
    }

    /**
     * The hosts to try for mail to {@code domain}, best first: the MX hosts by preference, those of
     * equal preference in random order (RFC 5321 section 5.1); the domain itself when it has no MX
     * records (the implicit MX); the address of an address literal such as "[192.0.2.1]" or
     * "[IPv6:2001:db8::1]".
     *
     * @throws DnsException for a domain that does not exist, a null MX (RFC 7505), an MX list
     *                      that leads back to this host, or a lookup that failed for now
     */
    public List<MailHost> mailHosts(String domain) throws DnsException, InterruptedException {
        if (domain.startsWith("[")) return List.of(new MailHost(addressLiteral(domain).getHostAddress(), 0));
        Name name = absoluteName(domain);
        List<MXRecord> records = await(session.lookupAsync(name, Type.MX), name, Type.MX, MXRecord.class);
        if (records.isEmpty()) {
            // RFC 5321 section 5.1: no MX records: the domain is its own mail host, "implicit MX".
            return List.of(new MailHost(hostName(name), 0));
        }
        Map<Integer, List<String>> byPreference = new TreeMap<>();
        SequencedSet<String> seen = new LinkedHashSet<>();
        for (MXRecord record : records) {
            // RFC 7505 section 3: "." means "no mail here"; beside real MX records it is an error, and skipped.
            if (record.getTarget().equals(Name.root)) continue;
            String host = hostName(record.getTarget());
            if (seen.add(host)) byPreference.computeIfAbsent(record.getPriority(), p -> new ArrayList<>()).add(host);
        }
        if (seen.isEmpty()) {
            throw new DnsException(Reason.NULL_MX, domain + " accepts no mail (null MX, RFC 7505)");
        }
        List<MailHost> hosts = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> group : byPreference.entrySet()) {
            // RFC 5321 section 5.1: this host is itself an MX of the domain: only better ones may be used.
            if (group.getValue().contains(ownHostname)) {
                if (hosts.isEmpty()) {
                    throw new DnsException(Reason.LOOPS_BACK, "mail for " + domain + " loops back to myself ("
                            + ownHostname + " is its best MX host)");
                }
                break;
            }
            List<String> equals = new ArrayList<>(group.getValue());
            Collections.shuffle(equals, random);
            equals.forEach(host -> hosts.add(new MailHost(host, group.getKey())));
        }
        return List.copyOf(hosts);
    }

    /**
     * The addresses of a mail host in the order to try them: IPv6 first where this machine has a
     * route to it, then IPv4, then IPv6 addresses without a route (they fail at once). A host
     * given as an IP address is that address.
     *
     * @throws DnsException when the host has no address (permanent) or the lookups failed for now
     */
    public List<InetAddress> addresses(String host) throws DnsException, InterruptedException {
        Optional<InetAddress> literal = ipAddress(host);
        if (literal.isPresent()) return List.of(literal.get());
        Name name = absoluteName(host);
        // Both lookups go out at once.
        CompletionStage<LookupResult> v6Lookup = ipv6 ? session.lookupAsync(name, Type.AAAA) : null;
        CompletionStage<LookupResult> v4Lookup = session.lookupAsync(name, Type.A);
        List<InetAddress> v6 = new ArrayList<>();
        List<InetAddress> v4 = new ArrayList<>();
        DnsException failure = null;
        if (v6Lookup != null) {
            try {
                await(v6Lookup, name, Type.AAAA, AAAARecord.class).forEach(r -> v6.add(r.getAddress()));
            } catch (DnsException e) {
                failure = e;
            }
        }
        try {
            await(v4Lookup, name, Type.A, ARecord.class).forEach(r -> v4.add(r.getAddress()));
        } catch (DnsException e) {
            if (failure == null || failure.permanent()) failure = e;
        }
        if (v6.isEmpty() && v4.isEmpty()) {
            if (failure != null && !failure.permanent()) throw failure;
            String what = failure != null && failure.reason() == Reason.NO_SUCH_DOMAIN ? " does not exist" : " has no address";
            throw new DnsException(Reason.NO_ADDRESS, "mail host " + host + what + (ipv6 ? " (A, AAAA)" : " (A)"));
        }
        List<InetAddress> ordered = new ArrayList<>();
        List<InetAddress> unroutable = new ArrayList<>();
        for (InetAddress address : v6) (hasRoute(address) ? ordered : unroutable).add(address);
        ordered.addAll(v4);
        ordered.addAll(unroutable);
        return List.copyOf(new LinkedHashSet<>(ordered));
    }

    /** The address in a domain literal (RFC 5321 section 4.1.3); only IPv4 and IPv6 literals are defined. */
    private static InetAddress addressLiteral(String domain) throws DnsException {
        String inside = domain.substring(1, domain.length() - 1);
        try {
            if (inside.regionMatches(true, 0, IPV6_TAG, 0, IPV6_TAG.length())) {
                if (InetAddress.ofLiteral(inside.substring(IPV6_TAG.length())) instanceof Inet6Address address) return address;
            } else if (IPV4_LITERAL.matcher(inside).matches()) {
                return Inet4Address.ofLiteral(inside);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new DnsException(Reason.BAD_ADDRESS_LITERAL, "not an IPv4 or IPv6 address literal: " + domain);
    }

    /** A host written as an IP address ("192.0.2.1", "2001:db8::1"), as mail hosts, routes and relays may be. */
    private static Optional<InetAddress> ipAddress(String host) {
        if (!host.contains(":") && !IPV4_LITERAL.matcher(host).matches()) return Optional.empty();
        try {
            return Optional.of(InetAddress.ofLiteral(host));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The domain as an absolute DNS name, internationalised labels in their ASCII form (RFC 5890). */
    private static Name absoluteName(String domain) throws DnsException {
        try {
            return Name.fromString(IDN.toASCII(domain, IDN.ALLOW_UNASSIGNED), Name.root);
        } catch (IllegalArgumentException | TextParseException e) {
            throw new DnsException(Reason.NO_SUCH_DOMAIN, "not a valid domain name: " + domain);
        }
    }

    private static String hostName(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }

    /**
     * The records of one type from a lookup; none when the name exists without such records
     * (NODATA). A name that does not exist is a permanent failure, everything else a temporary one.
     */
    private static <T extends Record> List<T> await(CompletionStage<LookupResult> lookup, Name name, int type,
                                                    Class<T> recordClass) throws DnsException, InterruptedException {
        String question = hostName(name) + " " + Type.string(type);
        try {
            return lookup.toCompletableFuture().get().getRecords().stream()
                    .filter(recordClass::isInstance).map(recordClass::cast).toList();
        } catch (ExecutionException e) {
            return switch (e.getCause()) {
                case NoSuchDomainException _ -> throw new DnsException(Reason.NO_SUCH_DOMAIN, hostName(name) + " does not exist (NXDOMAIN)");
                case NoSuchRRSetException _ -> List.of();
                case ServerFailedException _ -> throw temporary(question, "the DNS server failed (SERVFAIL)");
                case RedirectOverflowException _ -> throw temporary(question, "too many CNAMEs, or a CNAME loop");
                case TimeoutException _, SocketTimeoutException _ -> throw temporary(question, "the DNS lookup timed out");
                // dnsjava reports its own timeouts as a plain IOException
                case IOException io when String.valueOf(io.getMessage()).startsWith("Timed out") ->
                        throw temporary(question, "the DNS lookup timed out");
                case Throwable other -> throw temporary(question, "the DNS lookup failed: " + other);
            };
        }
    }

    private static DnsException temporary(String question, String problem) {
        return new DnsException(Reason.TEMPORARY, problem + " for " + question);
    }

    /** Whether the kernel has a route to the address: connecting a UDP socket chooses one and sends nothing. */
    private static boolean hasRoute(InetAddress address) {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(address, 9));
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
