package org.cartero.smtp.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cartero.smtp.TestMta.ALICE;
import static org.cartero.smtp.relay.Submission.DOTTED_TEXT;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.mail.internet.InternetHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cartero.core.config.Service;
import org.cartero.smtp.TestMta;
import org.cartero.smtp.TestMta.Site;
import org.cartero.smtp.TestTransport;
import org.cartero.smtp.client.SmtpSink;
import org.cartero.smtp.dns.DnsResponder;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * A user's mail for other domains, end to end over real sockets: submitted with Angus Mail on the
 * submission port (STARTTLS, AUTH), queued, and carried by the SMTP client to Postfix's smtp-sink
 * through {@code [smtp.routes]}, or to a second Cartero found by an MX lookup. Lines that start
 * with a dot arrive as they were written. NOTIFY=SUCCESS goes along to a server that offers DSN
 * and is answered with a "relayed" report when the server does not.
 */
class RelayTest {
    static final Site SITE_B = new Site("mail.b.test", "b.test");

    @TempDir
    Path dir;

    static String route(String domain, int port) {
        return "[smtp.routes]\n\"" + domain + "\" = \"127.0.0.1:" + port + "\"\n";
    }

    private Path dir(String name) throws Exception {
        return Files.createDirectories(dir.resolve(name));
    }

    private SmtpSink sink(String... options) throws Exception {
        assumeTrue(Files.isExecutable(SmtpSink.PROGRAM), "smtp-sink (Debian package postfix) is not installed");
        return SmtpSink.start(dir.resolve("sink"), "127.0.0.1:0", options);
    }

    /** Waits for smtp-sink to have written a message (or fails after 30 s); returns it. */
    static SmtpSink.Dump awaitDump(SmtpSink sink) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<SmtpSink.Dump> dumps = sink.dumps();
        while (dumps.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            dumps = sink.dumps();
        }
        assertThat(dumps).as("messages at smtp-sink").hasSize(1);
        return dumps.getFirst();
    }

    @Test
    void mailForARoutedDomainReachesSmtpSinkIntact() throws Exception {
        try (SmtpSink sink = sink(); TestMta a = TestMta.withClient(dir("a"), Site.EXAMPLE, route("elsewhere.test", sink.port()))) {
            String id = Submission.send(a, ALICE, "carol@elsewhere.test", "to the sink", DOTTED_TEXT);

            SmtpSink.Dump dump = awaitDump(sink);
            assertThat(dump.mailArgs()).startsWith("<alice@example.test>");
            assertThat(dump.rcptArgs()).containsExactly("<carol@elsewhere.test>");
            assertThat(dump.content()).contains("by mail.example.test (Cartero) with ESMTPSA id " + id, "Subject: to the sink")
                    .endsWith("\n\n" + DOTTED_TEXT);
            a.awaitEmptyQueue();
            assertThat(a.mailbox(ALICE)).isEmpty(); // no bounce, no report
        }
    }

    @Test
    void mailForADomainGoesToItsMxHostASecondCartero() throws Exception {
        try (DnsResponder dns = new DnsResponder(); TestMta b = TestMta.start(dir("b"), SITE_B, "", new TestTransport())) {
            dns.mx("b.test", 10, "mx.b.test").a("mx.b.test", "127.0.0.1");
            String client = """
                    dns_resolver = "%s"
                    mx_port = %d
                    """.formatted(dns.address(), b.address(Service.SMTP).getPort());
            try (TestMta a = TestMta.withClient(dir("a"), Site.EXAMPLE, client)) {
                String id = Submission.send(a, ALICE, "bob@b.test", "by MX", DOTTED_TEXT);

                String delivered = b.awaitMailbox(SITE_B.user("bob"), 1).getFirst();
                assertThat(delivered).startsWith("Return-Path: <alice@example.test>\nDelivered-To: bob@b.test\n")
                        // B's trace: A came over STARTTLS (opportunistic TLS, RFC 7435)...
                        .contains("Received: from mail.example.test ([127.0.0.1])\n\tby mail.b.test (Cartero) with ESMTPS id ",
                                "\n\t(using TLSv1.3 with cipher ")
                        // ...below A's own, for the authenticated submission.
                        .contains("by mail.example.test (Cartero) with ESMTPSA id " + id)
                        .endsWith("\n\n" + DOTTED_TEXT);
                assertThat(dns.asked("b.test", Type.MX)).isPositive();
                a.awaitEmptyQueue();
                assertThat(a.mailbox(ALICE)).isEmpty();
                assertThat(b.transport().sent()).isEmpty();
            }
        }
    }

    @Test
    void notifySuccessGoesAlongToAServerThatOffersDsn() throws Exception {
        try (SmtpSink sink = sink(); TestMta a = TestMta.withClient(dir("a"), Site.EXAMPLE, route("elsewhere.test", sink.port()))) {
            Submission.send(a, ALICE, "carol@elsewhere.test", "tell me", "x\n", SMTPMessage.NOTIFY_SUCCESS);

            // RFC 3461 section 5.2.2: the next server has the request now, and reports success itself.
            assertThat(awaitDump(sink).rcptArgs()).singleElement().asString()
                    .startsWith("<carol@elsewhere.test>").contains("NOTIFY=SUCCESS");
            a.awaitEmptyQueue();
            assertThat(a.mailbox(ALICE)).isEmpty();
        }
    }

    @Test
    void notifySuccessToAServerWithoutDsnIsAnsweredWithRelayed() throws Exception {
        try (SmtpSink sink = sink("-N"); TestMta a = TestMta.withClient(dir("a"), Site.EXAMPLE, route("elsewhere.test", sink.port()))) {
            String id = Submission.send(a, ALICE, "carol@elsewhere.test", "tell me", "x\n", SMTPMessage.NOTIFY_SUCCESS);

            assertThat(awaitDump(sink).rcptArgs()).containsExactly("<carol@elsewhere.test>");
            // RFC 3461 section 4.1: the request could not go along, so this server says how far the message got.
            DeliveryReport report = DeliveryReport.parse(a.awaitMailbox(ALICE, 1).getFirst());
            assertThat(report.subject()).isEqualTo("Successful Mail Delivery Report");
            assertThat(report.perMessage().getHeader("Reporting-MTA", null)).isEqualTo("dns; mail.example.test");
            assertThat(report.perMessage().getHeader("X-Cartero-Queue-ID", null)).isEqualTo(id);
            InternetHeaders carol = report.recipient();
            assertThat(carol.getHeader("Final-Recipient", null)).isEqualTo("rfc822; carol@elsewhere.test");
            assertThat(carol.getHeader("Action", null)).isEqualTo("relayed");
            assertThat(carol.getHeader("Status", null)).isEqualTo("2.0.0");
            assertThat(carol.getHeader("Remote-MTA", null)).isEqualTo("dns; 127.0.0.1");
            assertThat(report.returned()).contains("Subject: tell me").doesNotContain("\n\nx\n"); // the header only
            a.awaitEmptyQueue();
        }
    }
}
