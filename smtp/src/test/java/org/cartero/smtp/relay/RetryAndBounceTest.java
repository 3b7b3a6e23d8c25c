package org.cartero.smtp.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cartero.smtp.TestMta.ALICE;
import static org.cartero.smtp.relay.RelayTest.route;

import jakarta.mail.internet.InternetHeaders;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.cartero.smtp.TestMta;
import org.cartero.smtp.TestMta.Site;
import org.cartero.smtp.client.ScriptedSmtpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the queue does when the other server does not simply say yes, seen end to end: a message
 * submitted with Angus Mail, a remote server on loopback that answers as scripted, and what the
 * sender finds in their mailbox: nothing when a 4xx was followed by a 250 on the retry (and the
 * message arrived once), an RFC 3464 bounce for a 5xx, a delay warning and then a bounce when
 * the remote keeps saying "later" past the queue lifetime.
 */
class RetryAndBounceTest {
    private static final String FAST_RETRIES = """
            retry_min = "200ms"
            retry_max = "400ms"
            """;

    @TempDir
    Path dir;

    private TestMta sender(ScriptedSmtpServer remote, String smtpKeys) throws Exception {
        return TestMta.withClient(dir, Site.EXAMPLE, FAST_RETRIES + smtpKeys + route("elsewhere.test", remote.port()));
    }

    @Test
    void aRemoteThatSaysLaterThenYesGetsTheMessageExactlyOnce() throws Exception {
        try (ScriptedSmtpServer remote = ScriptedSmtpServer.start().reply(".", "451 4.3.0 Try again later");
             TestMta a = sender(remote, "")) {
            Submission.send(a, ALICE, "carol@elsewhere.test", "persistence", "x\n");
            a.awaitEmptyQueue();

            assertThat(remote.sessions()).isEqualTo(2);
            assertThat(remote.received()).singleElement()
                    .satisfies(m -> assertThat(m.text()).contains("Subject: persistence"));
            assertThat(a.mailbox(ALICE)).isEmpty(); // no bounce, no warning
        }
    }

    @Test
    void aRecipientRefusedAtRcptBouncesToTheSenderAsAnRfc3464Report() throws Exception {
        try (ScriptedSmtpServer remote = ScriptedSmtpServer.start()
                .reply("RCPT", "550 5.1.1 <carol@elsewhere.test>: Recipient address rejected: no such mailbox here");
             TestMta a = sender(remote, "")) {
            String id = Submission.send(a, ALICE, "carol@elsewhere.test", "doomed", "x\n");

            String bounce = a.awaitMailbox(ALICE, 1).getFirst();
            assertThat(bounce).startsWith("Return-Path: <>\n"); // a bounce has the null sender: it cannot bounce in turn
            DeliveryReport report = DeliveryReport.parse(bounce);
            assertThat(report.subject()).isEqualTo("Undelivered Mail Returned to Sender");
            assertThat(report.perMessage().getHeader("Reporting-MTA", null)).isEqualTo("dns; mail.example.test");
            assertThat(report.perMessage().getHeader("X-Cartero-Queue-ID", null)).isEqualTo(id);
            InternetHeaders carol = report.recipient();
            assertThat(carol.getHeader("Final-Recipient", null)).isEqualTo("rfc822; carol@elsewhere.test");
            assertThat(carol.getHeader("Action", null)).isEqualTo("failed");
            assertThat(carol.getHeader("Status", null)).isEqualTo("5.1.1");
            assertThat(carol.getHeader("Remote-MTA", null)).isEqualTo("dns; 127.0.0.1");
            assertThat(carol.getHeader("Diagnostic-Code", null))
                    .isEqualTo("smtp; 550 5.1.1 <carol@elsewhere.test>: Recipient address rejected: no such mailbox here");
            assertThat(report.human()).contains("Recipient address rejected: no such mailbox here");
            assertThat(report.returned()).contains("Subject: doomed", "\n\nx\n"); // the whole message comes back
            a.awaitEmptyQueue();
            assertThat(remote.received()).isEmpty();
        }
    }

    @Test
    void aRemoteThatSaysLaterForTooLongCausesADelayWarningThenABounce() throws Exception {
        String later = "451 4.2.1 <carol@elsewhere.test>: mailbox busy, try again later";
        try (ScriptedSmtpServer remote = ScriptedSmtpServer.start().reply("RCPT", Collections.nCopies(1000, later).toArray(String[]::new));
             TestMta a = sender(remote, """
                     delay_warning = "1s"
                     queue_lifetime = "6s"
                     """)) {
            Submission.send(a, ALICE, "carol@elsewhere.test", "slow", "x\n");

            List<String> notices = a.awaitMailbox(ALICE, 2);
            DeliveryReport warning = DeliveryReport.parse(notices.get(0));
            assertThat(warning.subject()).isEqualTo("Delayed Mail (still being retried)");
            assertThat(warning.recipient().getHeader("Action", null)).isEqualTo("delayed");
            assertThat(warning.recipient().getHeader("Status", null)).isEqualTo("4.2.1");
            assertThat(warning.recipient().getHeader("Will-Retry-Until", null)).isNotBlank();

            DeliveryReport bounce = DeliveryReport.parse(notices.get(1));
            assertThat(bounce.subject()).isEqualTo("Undelivered Mail Returned to Sender");
            InternetHeaders carol = bounce.recipient();
            assertThat(carol.getHeader("Final-Recipient", null)).isEqualTo("rfc822; carol@elsewhere.test");
            assertThat(carol.getHeader("Action", null)).isEqualTo("failed");
            // RFC 3463 X.4.7: delivery time expired; the remote's last words say why.
            assertThat(carol.getHeader("Status", null)).isEqualTo("5.4.7");
            assertThat(carol.getHeader("Remote-MTA", null)).isEqualTo("dns; 127.0.0.1");
            assertThat(carol.getHeader("Diagnostic-Code", null)).startsWith("smtp; " + later);
            a.awaitEmptyQueue();
            assertThat(a.mailbox(ALICE)).hasSize(2); // warned once
            assertThat(remote.sessions()).isGreaterThanOrEqualTo(3);
        }
    }
}
