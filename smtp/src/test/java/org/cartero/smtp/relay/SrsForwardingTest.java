package org.cartero.smtp.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cartero.smtp.relay.RelayTest.SITE_B;
import static org.cartero.smtp.relay.RelayTest.route;

import jakarta.mail.internet.InternetHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.cartero.core.auth.Passwords;
import org.cartero.core.config.Service;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.RawSmtp;
import org.cartero.smtp.TestMta;
import org.cartero.smtp.TestMta.Site;
import org.cartero.smtp.client.ScriptedSmtpServer;
import org.cartero.smtp.queue.RemoteTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding between two Carteros, end to end: a virtual alias on A sends dave's mail on to two
 * addresses on B with the envelope sender rewritten by SRS (A cannot send in origin.test's name);
 * B delivers to one, whose Return-Path shows the SRS0 address, and returns the other (a mailbox
 * that stays full) to that address; A reverses it and the bounce reaches dave's own server.
 */
class SrsForwardingTest {
    private static final String SRS0 = "SRS0=[^=]{4}=[A-Z2-7]{2}=origin\\.test=dave@mail\\.example\\.test";

    @TempDir
    Path dir;

    @Test
    void aForwardedMessageCarriesAnSrsSenderAndItsBounceFindsTheWayBack() throws Exception {
        MailAddress full = SITE_B.user("carol");
        // A and B each need the other's port: B's way out is given to it once A listens.
        AtomicReference<RemoteTransport> bWayOut = new AtomicReference<>();
        try (ScriptedSmtpServer origin = ScriptedSmtpServer.start();
             TestMta b = TestMta.start(Files.createDirectories(dir.resolve("b")), SITE_B, """
                     retry_min = "200ms"
                     retry_max = "400ms"
                     queue_lifetime = "2s"
                     delay_warning = "0s"
                     """, message -> bWayOut.get().deliver(message));
             TestMta a = TestMta.withClient(Files.createDirectories(dir.resolve("a")), Site.EXAMPLE,
                     route("b.test", b.address(Service.SMTP).getPort()) + "\"origin.test\" = \"127.0.0.1:" + origin.port() + "\"\n")) {
            bWayOut.set(b.client(route("mail.example.test", a.address(Service.SMTP).getPort())));
            b.directory().addUser(full, Passwords.hash(TestMta.PASSWORD), 1); // a mailbox that is always full
            a.addAlias("team@example.test", SITE_B.user("bob"), full);

            // dave's server delivers to A's MX port, as any server on the internet would.
            try (RawSmtp smtp = RawSmtp.connect(a.address(Service.SMTP))) {
                smtp.ehlo();
                smtp.expect("MAIL FROM:<dave@origin.test>", "250");
                smtp.expect("RCPT TO:<team@example.test>", "250");
                assertThat(smtp.data("From: dave@origin.test\r\nSubject: for the team\r\n\r\nhello team\r\n")).startsWith("250");
            }

            // B saw the SRS0 address as the envelope sender.
            String delivered = b.awaitMailbox(SITE_B.user("bob"), 1).getFirst();
            assertThat(delivered.lines().findFirst().orElseThrow()).matches("Return-Path: <" + SRS0 + ">");
            assertThat(delivered).contains("Subject: for the team", "hello team");

            // B's bounce went to that address; A turned it back into dave's, and dave's server has it.
            ScriptedSmtpServer.Received bounce = awaitOne(origin);
            assertThat(bounce.mailFrom()).isEqualTo("MAIL FROM:<>");
            assertThat(bounce.rcptTo()).containsExactly("RCPT TO:<dave@origin.test>");
            assertThat(bounce.text()).contains("by mail.example.test (Cartero)");
            assertThat(bounce.text().lines().filter(l -> l.startsWith("To: ")).findFirst().orElseThrow()).matches("To: <" + SRS0 + ">");
            DeliveryReport report = DeliveryReport.parse(bounce.text());
            assertThat(report.subject()).isEqualTo("Undelivered Mail Returned to Sender");
            assertThat(report.perMessage().getHeader("Reporting-MTA", null)).isEqualTo("dns; mail.b.test");
            InternetHeaders carol = report.recipient();
            assertThat(carol.getHeader("Final-Recipient", null)).isEqualTo("rfc822; carol@b.test");
            assertThat(carol.getHeader("Action", null)).isEqualTo("failed");
            assertThat(carol.getHeader("Status", null)).isEqualTo("5.4.7");
            assertThat(carol.getHeader("Diagnostic-Code", null)).startsWith("X-Cartero; 451 4.2.2 mailbox full: 0 of 1 bytes used");
            assertThat(report.returned()).contains("Subject: for the team");

            a.awaitEmptyQueue();
            b.awaitEmptyQueue();
        }
    }

    /** Waits until the server has taken one message (or fails after 30 s); returns it. */
    private static ScriptedSmtpServer.Received awaitOne(ScriptedSmtpServer server) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (server.received().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(server.received()).hasSize(1);
        return server.received().getFirst();
    }
}
