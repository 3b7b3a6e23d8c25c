package org.cartero.smtp.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.Set;
import org.cartero.smtp.dns.DnsException.Reason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** MX lookups against a DNS server on loopback that answers as each test needs. */
class MxResolverTest {

    private static final String OWN_HOSTNAME = "mail.example.test";

    private DnsResponder dns;
    private MxResolver resolver;

    @BeforeEach
    void startDns() throws Exception {
        dns = new DnsResponder();
        resolver = MxResolver.create(Optional.of(dns.address()), Duration.ofSeconds(1), true, OWN_HOSTNAME);
    }

    @AfterEach
    void stopDns() throws Exception {
        dns.close();
    }

    @Test
    void ordersMailHostsByPreference() throws Exception {
        dns.mx("example.org", 20, "mx2.example.org").mx("example.org", 10, "mx1.example.org").mx("example.org", 30, "backup.example.net");

        assertThat(resolver.mailHosts("example.org")).containsExactly(
                new MailHost("mx1.example.org", 10), new MailHost("mx2.example.org", 20), new MailHost("backup.example.net", 30));
    }

    @Test
    void shufflesHostsOfEqualPreference() throws Exception {
        dns.mx("example.org", 10, "a.example.org").mx("example.org", 10, "b.example.org").mx("example.org", 5, "first.example.org");
        Set<String> seconds = new HashSet<>();
        for (int seed = 0; seed < 20; seed++) {
            MxResolver seeded = new MxResolver(new SimpleResolver(new InetSocketAddress("127.0.0.1", dns.address().port())),
                    true, OWN_HOSTNAME, new SplittableRandom(seed));
            List<MailHost> hosts = seeded.mailHosts("example.org");
            assertThat(hosts.getFirst().name()).isEqualTo("first.example.org");
            assertThat(hosts).extracting(MailHost::name).containsExactlyInAnyOrder("first.example.org", "a.example.org", "b.example.org");
            seconds.add(hosts.get(1).name());
        }
        assertThat(seconds).containsExactlyInAnyOrder("a.example.org", "b.example.org");
    }

    @Test
    void aDomainWithoutMxIsItsOwnMailHost() throws Exception {
        dns.a("example.org", "192.0.2.7");

        assertThat(resolver.mailHosts("example.org")).containsExactly(new MailHost("example.org", 0));
        assertThat(resolver.addresses("example.org")).containsExactly(InetAddress.ofLiteral("192.0.2.7"));
    }

    @Test
    void aDomainWithoutMxAndWithoutAddressCannotBeRouted() throws Exception {
        dns.cname("www.example.org", "example.org").a("ns.example.org", "192.0.2.1").mx("other.example", 10, "ns.example.org");
        dns.a("unrelated.example.org", "192.0.2.2");
        dns.mx("example.org", 10, "nowhere.example.org"); // nowhere.example.org has no records at all

        assertThat(resolver.mailHosts("example.org")).containsExactly(new MailHost("nowhere.example.org", 10));
        assertThatThrownBy(() -> resolver.addresses("nowhere.example.org"))
                .isInstanceOfSatisfying(DnsException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NO_ADDRESS);
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.status()).isEqualTo("5.4.4");
                    assertThat(e.getMessage()).contains("nowhere.example.org does not exist");
                });
    }

    @Test
    void aNullMxRefusesMailForGood() {
        dns.nullMx("example.org");

        assertThatThrownBy(() -> resolver.mailHosts("example.org"))
                .isInstanceOfSatisfying(DnsException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NULL_MX);
                    assertThat(e.permanent()).isTrue();
                    assertThat(e.status()).isEqualTo("5.1.10");
                });
    }

    @Test
    void aNullMxBesideRealOnesIsSkipped() throws Exception {
        dns.nullMx("example.org").mx("example.org", 10, "mx.example.org");

        assertThat(resolver.mailHosts("example.org")).containsExactly(new MailHost("mx.example.org", 10));
    }

    @Test
    void aDomainThatDoesNotExistIsAPermanentFailure() {
        dns.nxdomain("nowhere.example");

        assertThatThrownBy(() -> resolver.mailHosts("nowhere.example"))
                .isInstanceOfSatisfying(DnsException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.NO_SUCH_DOMAIN);
                    assertThat(e.status()).isEqualTo("5.1.2");
                    assertThat(e.getMessage()).isEqualTo("nowhere.example does not exist (NXDOMAIN)");
                });
    }

    @Test
    void aServerFailureIsTemporary() {
        dns.servfail("example.org");

        assertThatThrownBy(() -> resolver.mailHosts("example.org"))
                .isInstanceOfSatisfying(DnsException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.status()).isEqualTo("4.4.3");
                    assertThat(e.getMessage()).isEqualTo("the DNS server failed (SERVFAIL) for example.org MX");
                });
    }

    @Test
    void aServerThatDoesNotAnswerIsATemporaryFailure() {
        dns.silent("example.org");

        assertThatThrownBy(() -> resolver.mailHosts("example.org"))
                .isInstanceOfSatisfying(DnsException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("the DNS lookup timed out for example.org MX");
                });
    }

    @Test
    void aTemporaryFailureOfOneAddressFamilyIsNotFatal() throws Exception {
        dns.a("mx.example.org", "192.0.2.9");

        assertThat(resolver.addresses("mx.example.org")).containsExactly(InetAddress.ofLiteral("192.0.2.9"));
        dns.servfail("broken.example.org");
        assertThatThrownBy(() -> resolver.addresses("broken.example.org"))
                .isInstanceOfSatisfying(DnsException.class, e -> assertThat(e.permanent()).isFalse());
    }

    @Test
    void followsCnamesForTheDomainAndForItsMailHosts() throws Exception {
        dns.cname("example.org", "hosted.example.net").mx("hosted.example.net", 10, "mx.example.org");
        dns.cname("mx.example.org", "smtp.example.net").a("smtp.example.net", "192.0.2.25");

        assertThat(resolver.mailHosts("example.org")).containsExactly(new MailHost("mx.example.org", 10));
        assertThat(resolver.addresses("mx.example.org")).containsExactly(InetAddress.ofLiteral("192.0.2.25"));
    }

    @Test
    void triesIpv6FirstWhereThereIsARoute() throws Exception {
        dns.a("mx.example.org", "127.0.0.1").aaaa("mx.example.org", "::1");

        assertThat(resolver.addresses("mx.example.org"))
                .containsExactly(InetAddress.ofLiteral("::1"), InetAddress.ofLiteral("127.0.0.1"));
    }

    @Test
    void withoutIpv6OnlyAddressRecordsAreAskedFor() throws Exception {
        dns.a("mx.example.org", "127.0.0.1").aaaa("mx.example.org", "::1");
        MxResolver ipv4Only = MxResolver.create(Optional.of(dns.address()), Duration.ofSeconds(1), false, OWN_HOSTNAME);

        assertThat(ipv4Only.addresses("mx.example.org")).containsExactly(InetAddress.ofLiteral("127.0.0.1"));
        assertThat(dns.asked("mx.example.org", Type.AAAA)).isZero();
    }

    @Test
    void cachesAnswersForTheirTtl() throws Exception {
        dns.mx("cached.example", 10, "mx.cached.example");
        dns.ttl(0).mx("uncached.example", 10, "mx.uncached.example");

        resolver.mailHosts("cached.example");
        resolver.mailHosts("cached.example");
        resolver.mailHosts("uncached.example");
        resolver.mailHosts("uncached.example");

        assertThat(dns.asked("cached.example", Type.MX)).isOne();
        assertThat(dns.asked("uncached.example", Type.MX)).isEqualTo(2);
    }

    @Test
    void anAddressLiteralIsItsOwnMailHost() throws Exception {
        assertThat(resolver.mailHosts("[192.0.2.1]")).containsExactly(new MailHost("192.0.2.1", 0));
        assertThat(resolver.addresses("192.0.2.1")).containsExactly(InetAddress.ofLiteral("192.0.2.1"));
        MailHost v6 = resolver.mailHosts("[IPv6:2001:db8::1]").getFirst();
        assertThat(resolver.addresses(v6.name())).containsExactly(InetAddress.ofLiteral("2001:db8::1"));

        for (String bad : List.of("[300.1.1.1]", "[mail.example.org]", "[IPv6:192.0.2.1]", "[x-tag:whatever]")) {
            assertThatThrownBy(() -> resolver.mailHosts(bad)).as(bad)
                    .isInstanceOfSatisfying(DnsException.class, e -> assertThat(e.status()).isEqualTo("5.1.3"));
        }
        assertThat(dns.asked("192.0.2.1", Type.A)).isZero();
    }

    @Test
    void aHostThatIsItselfAnMxUsesOnlyBetterOnes() throws Exception {
        dns.mx("example.org", 10, "primary.example.org").mx("example.org", 20, OWN_HOSTNAME).mx("example.org", 30, "worse.example.org");
        dns.mx("loop.example", 10, OWN_HOSTNAME).mx("loop.example", 20, "backup.example.org");

        assertThat(resolver.mailHosts("example.org")).containsExactly(new MailHost("primary.example.org", 10));
        assertThatThrownBy(() -> resolver.mailHosts("loop.example"))
                .isInstanceOfSatisfying(DnsException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.LOOPS_BACK);
                    assertThat(e.status()).isEqualTo("5.4.6");
                });
    }

    @Test
    void looksUpInternationalisedDomainsInTheirAsciiForm() throws Exception {
        dns.mx("xn--bcher-kva.example", 10, "mx.xn--bcher-kva.example");

        assertThat(resolver.mailHosts("bücher.example")).containsExactly(new MailHost("mx.xn--bcher-kva.example", 10));
    }
}
