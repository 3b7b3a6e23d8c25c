package org.cartero.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.cartero.smtp.client.RecipientOutcome.Deferred;
import org.cartero.smtp.client.RecipientOutcome.Delivered;
import org.cartero.smtp.client.RecipientOutcome.Failed;
import org.cartero.smtp.dns.DnsResponder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where mail goes: MX hosts in preference order with fallback, the implicit MX, null MX, DNS
 * failures, IPv6, address literals, routes and the relay host. The remote servers listen on
 * 127.0.0.1, 127.0.0.2 and ::1 on one port, the MX port of the configuration.
 */
class RoutingTest {

    @TempDir
    Path dir;
    private ClientFixture fixture;
    private DnsResponder dns;

    @BeforeEach
    void setUp() throws IOException {
        fixture = new ClientFixture(dir);
        dns = fixture.dns;
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        fixture.close();
    }

    @Test
    void deliversToTheMxHostWithTheLowestPreference() throws Exception {
        try (ScriptedSmtpServer worse = ScriptedSmtpServer.start();
             ScriptedSmtpServer best = ScriptedSmtpServer.start("127.0.0.2", worse.port())) {
            dns.mx("example.org", 20, "mx2.example.org").mx("example.org", 10, "mx1.example.org");
            dns.a("mx2.example.org", "127.0.0.1").a("mx1.example.org", "127.0.0.2");

            List<RecipientOutcome> outcomes = fixture.delivery(worse.port()).deliver(fixture.request("bob@example.org"));

            assertThat(outcomes).singleElement().isInstanceOfSatisfying(Delivered.class, d -> {
                assertThat(d.host().name()).isEqualTo("mx1.example.org");
                assertThat(d.host().address()).isEqualTo(new InetSocketAddress("127.0.0.2", worse.port()));
            });
            assertThat(best.received()).singleElement().satisfies(m -> assertThat(m.rcptTo()).containsExactly("RCPT TO:<bob@example.org>"));
            assertThat(worse.sessions()).isZero();
        }
    }

    @Test
    void movesOnToTheNextMxWhenTheFirstRefusesConnections() throws Exception {
        try (ScriptedSmtpServer backup = ScriptedSmtpServer.start()) {
            // nothing listens on 127.0.0.2 at this port: the connection is refused
            dns.mx("example.org", 10, "mx1.example.org").mx("example.org", 20, "mx2.example.org");
            dns.a("mx1.example.org", "127.0.0.2").a("mx2.example.org", "127.0.0.1");

            List<RecipientOutcome> outcomes = fixture.delivery(backup.port()).deliver(fixture.request("bob@example.org"));

            assertThat(outcomes).singleElement().isInstanceOfSatisfying(Delivered.class,
                    d -> assertThat(d.host().name()).isEqualTo("mx2.example.org"));
            assertThat(backup.received()).hasSize(1);
        }
    }

    @Test
    void movesOnToTheNextMxOnATemporaryRefusal() throws Exception {
        try (ScriptedSmtpServer backup = ScriptedSmtpServer.start();
             ScriptedSmtpServer busy = ScriptedSmtpServer.start("127.0.0.2", backup.port())
                     .reply("MAIL FROM", "421 4.7.0 Too busy, try later")) {
            dns.mx("example.org", 10, "mx1.example.org").mx("example.org", 20, "mx2.example.org");
            dns.a("mx1.example.org", "127.0.0.2").a("mx2.example.org", "127.0.0.1");

            List<RecipientOutcome> outcomes = fixture.delivery(backup.port()).deliver(fixture.request("bob@example.org"));

            assertThat(outcomes).singleElement().isInstanceOf(Delivered.class);
            assertThat(busy.received()).isEmpty();
            assertThat(busy.transcripts().getFirst()).anyMatch(line -> line.startsWith("MAIL FROM"));
            assertThat(backup.received()).hasSize(1);
        }
    }

    @Test
    void whenEveryMxFailsTheRecipientIsDeferredWithTheLastServersWords() throws Exception {
        try (ScriptedSmtpServer first = ScriptedSmtpServer.start().reply("RCPT", "450 4.2.1 Mailbox busy");
             ScriptedSmtpServer second = ScriptedSmtpServer.start("127.0.0.2", first.port()).reply("RCPT", "451 4.3.0 Try again")) {
            dns.mx("example.org", 10, "mx1.example.org").mx("example.org", 20, "mx2.example.org");
            dns.a("mx1.example.org", "127.0.0.1").a("mx2.example.org", "127.0.0.2");

            List<RecipientOutcome> outcomes = fixture.delivery(first.port()).deliver(fixture.request("bob@example.org"));

            assertThat(outcomes).singleElement().isInstanceOfSatisfying(Deferred.class, d -> {
                assertThat(d.problem().status()).isEqualTo("4.3.0");
                assertThat(d.problem().remoteHost().orElseThrow().name()).isEqualTo("mx2.example.org");
                assertThat(d.problem().reply().orElseThrow().code()).isEqualTo(451);
                assertThat(d.problem().text()).isEqualTo("host mx2.example.org[127.0.0.2]:" + first.port()
                        + " said: 451 4.3.0 Try again (in reply to RCPT TO)");
            });
        }
    }

    @Test
    void aDomainWithoutMxIsDeliveredToItsAddress() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start()) {
            dns.a("example.org", "127.0.0.1");

            List<RecipientOutcome> outcomes = fixture.delivery(server.port()).deliver(fixture.request("bob@example.org"));

            assertThat(outcomes).singleElement().isInstanceOfSatisfying(Delivered.class,
                    d -> assertThat(d.host().name()).isEqualTo("example.org"));
        }
    }

    @Test
    void aNullMxFailsAtOnce() throws Exception {
        dns.nullMx("example.org");

        List<RecipientOutcome> outcomes = fixture.delivery(25).deliver(fixture.request("bob@example.org", "carol@example.org"));

        assertThat(outcomes).hasSize(2).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.problem().status()).isEqualTo("5.1.10");
            assertThat(f.problem().remoteHost()).isEmpty();
            assertThat(f.problem().text()).isEqualTo("example.org accepts no mail (null MX, RFC 7505)");
        }));
    }

    @Test
    void aDomainThatDoesNotExistFailsAndOneWhoseDnsFailsIsDeferred() throws Exception {
        dns.nxdomain("nowhere.example").servfail("broken.example");
        RemoteDelivery delivery = fixture.delivery(25);

        assertThat(delivery.deliver(fixture.request("bob@nowhere.example"))).singleElement()
                .isInstanceOfSatisfying(Failed.class, f -> assertThat(f.problem().status()).isEqualTo("5.1.2"));
        assertThat(delivery.deliver(fixture.request("bob@broken.example"))).singleElement()
                .isInstanceOfSatisfying(Deferred.class, d -> assertThat(d.problem().status()).isEqualTo("4.4.3"));
    }

    @Test
    void mailHostsWithoutAnyAddressFailTheDelivery() throws Exception {
        dns.mx("example.org", 10, "ghost.example.org");

        assertThat(fixture.delivery(25).deliver(fixture.request("bob@example.org"))).singleElement()
                .isInstanceOfSatisfying(Failed.class, f -> {
                    assertThat(f.problem().status()).isEqualTo("5.4.4");
                    assertThat(f.problem().text()).isEqualTo("mail host ghost.example.org does not exist (A, AAAA)");
                });
    }

    @Test
    void aMailHostWithoutAddressIsSkippedForTheNextOne() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start()) {
            dns.mx("example.org", 10, "ghost.example.org").mx("example.org", 20, "mx.example.org").a("mx.example.org", "127.0.0.1");

            assertThat(fixture.delivery(server.port()).deliver(fixture.request("bob@example.org"))).singleElement()
                    .isInstanceOf(Delivered.class);
        }
    }

    @Test
    void deliversOverIpv6() throws Exception {
        assumeTrue(ipv6Loopback(), "no IPv6 on the loopback interface");
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start("::1", 0)) {
            dns.mx("example.org", 10, "mx.example.org").aaaa("mx.example.org", "::1");

            List<RecipientOutcome> outcomes = fixture.delivery(server.port()).deliver(fixture.request("bob@example.org"));

            assertThat(outcomes).singleElement().isInstanceOfSatisfying(Delivered.class,
                    d -> assertThat(d.host().address().getAddress()).isEqualTo(InetAddress.ofLiteral("::1")));
            assertThat(server.received()).hasSize(1);
        }
    }

    @Test
    void deliversToAnAddressLiteralWithoutAskingTheDns() throws Exception {
        try (ScriptedSmtpServer server = ScriptedSmtpServer.start()) {
            List<RecipientOutcome> outcomes = fixture.delivery(server.port()).deliver(fixture.request("bob@[127.0.0.1]"));

            assertThat(outcomes).singleElement().isInstanceOf(Delivered.class);
            assertThat(server.received()).singleElement().satisfies(m -> assertThat(m.rcptTo()).containsExactly("RCPT TO:<bob@[127.0.0.1]>"));
        }
    }

    @Test
    void aRouteOverridesTheMxAndTheRelayHost() throws Exception {
        try (ScriptedSmtpServer routed = ScriptedSmtpServer.start();
             ScriptedSmtpServer relay = ScriptedSmtpServer.start()) {
            dns.nxdomain("example.org").nxdomain("other.example");
            RemoteDelivery delivery = fixture.delivery(25, "relay_host = \"127.0.0.1:" + relay.port() + "\"",
                    "[smtp.routes]\n\"Example.ORG\" = \"127.0.0.1:" + routed.port() + "\"\n");

            assertThat(delivery.deliver(fixture.request("bob@example.org"))).singleElement().isInstanceOfSatisfying(Delivered.class,
                    d -> assertThat(d.host().address().getPort()).isEqualTo(routed.port()));
            assertThat(delivery.deliver(fixture.request("carol@other.example"))).singleElement().isInstanceOfSatisfying(Delivered.class,
                    d -> assertThat(d.host().address().getPort()).isEqualTo(relay.port()));
            assertThat(routed.received()).singleElement().satisfies(m -> assertThat(m.rcptTo()).containsExactly("RCPT TO:<bob@example.org>"));
            assertThat(relay.received()).singleElement().satisfies(m -> assertThat(m.rcptTo()).containsExactly("RCPT TO:<carol@other.example>"));
        }
    }

    @Test
    void aRouteByNameIsLookedUpWithoutMx() throws Exception {
        try (ScriptedSmtpServer routed = ScriptedSmtpServer.start()) {
            dns.a("smarthost.example.net", "127.0.0.1").mx("smarthost.example.net", 10, "elsewhere.example");
            RemoteDelivery delivery = fixture.delivery(25, "",
                    "[smtp.routes]\n\"example.org\" = \"smarthost.example.net:" + routed.port() + "\"\n");

            assertThat(delivery.deliver(fixture.request("bob@example.org"))).singleElement().isInstanceOfSatisfying(Delivered.class,
                    d -> assertThat(d.host().name()).isEqualTo("smarthost.example.net"));
        }
    }

    @Test
    void aRelayHostThatCannotBeFoundDefersRatherThanBounces() throws Exception {
        dns.nxdomain("relay.example.net");
        RemoteDelivery delivery = fixture.delivery(25, "relay_host = \"relay.example.net:587\"", "");

        assertThat(delivery.deliver(fixture.request("bob@example.org"))).singleElement()
                .isInstanceOfSatisfying(Deferred.class, d -> assertThat(d.problem().status()).isEqualTo("4.4.4"));
    }

    private static boolean ipv6Loopback() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.ofLiteral("::1"))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
