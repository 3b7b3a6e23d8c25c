package org.cartero.smtp.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.dsn.DsnWriter.Action;
import org.cartero.smtp.dsn.DsnWriter.Kind;
import org.cartero.smtp.dsn.DsnWriter.RecipientReport;
import org.cartero.smtp.protocol.OriginalRecipient;
import org.cartero.smtp.queue.Destination;
import org.cartero.smtp.queue.Envelope;
import org.cartero.smtp.queue.QueueId;
import org.cartero.smtp.queue.Recipient;
import org.junit.jupiter.api.Test;

/** Notifications written, then read back with Jakarta Mail as a mail reader would. */
class DsnWriterTest {
    private static final String ORIGINAL = "From: alice@example.test\r\nSubject: the original\r\n\r\nthe body\r\n";

    private static Envelope envelope(boolean smtputf8) {
        return new Envelope(QueueId.next(), Instant.parse("2026-11-26T10:00:00Z"), Optional.of(MailAddress.parse("alice@example.test")),
                List.of(new Recipient(MailAddress.parse("list@example.test"), Set.of(), Optional.empty(),
                                new Destination.Remote(MailAddress.parse("carol@elsewhere.test"), true)),
                        new Recipient(MailAddress.parse("dave@elsewhere.test"), Set.of(),
                                Optional.of(new OriginalRecipient("rfc822", "Dave@Elsewhere.test")),
                                new Destination.Remote(MailAddress.parse("dave@elsewhere.test"), false))),
                Optional.of("ENV-42"), Optional.empty(), smtputf8, Optional.empty(), Optional.of("alice"), "192.0.2.1", Optional.empty());
    }

    private static MimeMessage write(Kind kind, Envelope envelope, List<RecipientReport> reports, boolean whole) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DsnWriter.write(out, kind, envelope, reports, "mail.example.test", QueueId.next(), Instant.parse("2026-11-27T10:00:00Z"),
                Optional.of(Instant.parse("2026-12-01T10:00:00Z")),
                new DsnWriter.Returned(whole, new ByteArrayInputStream(ORIGINAL.getBytes(StandardCharsets.US_ASCII))));
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void aBounceIsAMultipartReportWithTheDeliveryStatusAndTheWholeMessage() throws Exception {
        Envelope envelope = envelope(false);
        MimeMessage dsn = write(Kind.FAILURE, envelope, List.of(
                new RecipientReport(envelope.recipients().get(0), Action.FAILED, "5.1.1", Optional.of("mx.elsewhere.test"),
                        Optional.of("smtp; 550 5.1.1 <carol@elsewhere.test>: no such user"), Optional.of(Instant.parse("2026-11-27T09:00:00Z"))),
                new RecipientReport(envelope.recipients().get(1), Action.FAILED, "5.4.7", Optional.empty(),
                        Optional.of("X-Cartero; delivery time expired"), Optional.empty())), true);

        assertThat(dsn.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        assertThat(dsn.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(dsn.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
        assertThat(dsn.getRecipients(jakarta.mail.Message.RecipientType.TO)[0].toString()).isEqualTo("alice@example.test");
        MimeMultipart parts = (MimeMultipart) dsn.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat((String) parts.getBodyPart(0).getContent()).contains("<list@example.test> (expanded to <carol@elsewhere.test>): "
                + "host mx.elsewhere.test said: 550 5.1.1 <carol@elsewhere.test>: no such user");

        BodyPart status = parts.getBodyPart(1);
        assertThat(status.getContentType()).isEqualTo("message/delivery-status");
        String fields = new String(status.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(fields).contains("Reporting-MTA: dns; mail.example.test\r\n", "Original-Envelope-Id: ENV-42\r\n",
                "Arrival-Date: ", "X-Cartero-Queue-ID: " + envelope.id());
        String[] groups = fields.split("\r\n\r\n");
        assertThat(groups[1]).contains("Original-Recipient: rfc822;list@example.test\r\n",
                "Final-Recipient: rfc822; carol@elsewhere.test\r\n", "Action: failed\r\n", "Status: 5.1.1\r\n",
                "Remote-MTA: dns; mx.elsewhere.test\r\n", "Diagnostic-Code: smtp; 550 5.1.1 <carol@elsewhere.test>: no such user\r\n",
                "Last-Attempt-Date: ");
        assertThat(groups[2]).contains("Original-Recipient: rfc822;Dave@Elsewhere.test", "Final-Recipient: rfc822; dave@elsewhere.test",
                "Status: 5.4.7").doesNotContain("Remote-MTA");

        BodyPart returned = parts.getBodyPart(2);
        assertThat(returned.getContentType()).isEqualTo("message/rfc822");
        MimeMessage original = (MimeMessage) returned.getContent();
        assertThat(original.getSubject()).isEqualTo("the original");
        assertThat(((String) original.getContent()).strip()).isEqualTo("the body");
    }

    @Test
    void aDelayWarningReturnsOnlyTheHeaderAndSaysUntilWhen() throws Exception {
        Envelope envelope = envelope(false);
        MimeMessage dsn = write(Kind.DELAY, envelope, List.of(new RecipientReport(envelope.recipients().get(1), Action.DELAYED,
                "4.4.1", Optional.empty(), Optional.of("X-Cartero; connection refused"), Optional.empty())), false);
        assertThat(dsn.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        MimeMultipart parts = (MimeMultipart) dsn.getContent();
        String fields = new String(parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(fields).contains("Action: delayed", "Status: 4.4.1", "Will-Retry-Until: ");
        assertThat(parts.getBodyPart(2).getContentType()).isEqualTo("text/rfc822-headers");
        String header = new String(parts.getBodyPart(2).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(header).contains("Subject: the original").doesNotContain("the body");
    }

    @Test
    void anInternationalMessageGetsTheGlobalTypes() throws Exception {
        Envelope envelope = envelope(true);
        MimeMessage dsn = write(Kind.FAILURE, envelope, List.of(new RecipientReport(envelope.recipients().get(1), Action.FAILED,
                "5.1.1", Optional.empty(), Optional.empty(), Optional.empty())), true);
        assertThat(dsn.getContentType()).contains("report-type=global-delivery-status");
        MimeMultipart parts = (MimeMultipart) dsn.getContent();
        assertThat(parts.getBodyPart(1).getContentType()).isEqualTo("message/global-delivery-status");
        assertThat(parts.getBodyPart(2).getContentType()).isEqualTo("message/global");
    }
}
