package org.cartero.smtp.relay;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A delivery status notification as a mail program reads it, parsed with Jakarta Mail: a
 * multipart/report (RFC 6522) whose second part is a message/delivery-status (RFC 3464) of
 * field groups, the per-message fields first, then one group per recipient.
 *
 * @param subject     the notification's Subject
 * @param perMessage  Reporting-MTA, Arrival-Date...
 * @param recipients  Final-Recipient, Action, Status, Remote-MTA, Diagnostic-Code... of each recipient
 * @param human       the first part, for people
 * @param returned    the third part: the original message or its header
 */
record DeliveryReport(String subject, InternetHeaders perMessage, List<InternetHeaders> recipients, String human,
                      String returned) {

    /** Parses a message as delivered into a mailbox; fails unless it has the shape of RFC 3464. */
    static DeliveryReport parse(String stored) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(stored.getBytes(StandardCharsets.UTF_8)));
        assertThat(message.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        assertThat(parts.getBodyPart(1).getContentType()).isEqualTo("message/delivery-status");
        String[] groups = text(parts.getBodyPart(1)).split("\r?\n\r?\n");
        List<InternetHeaders> recipients = new ArrayList<>();
        for (int i = 1; i < groups.length; i++) {
            if (!groups[i].isBlank()) recipients.add(headers(groups[i]));
        }
        return new DeliveryReport(message.getSubject(), headers(groups[0]), recipients, text(parts.getBodyPart(0)),
                text(parts.getBodyPart(2)));
    }

    /** The only recipient's fields. */
    InternetHeaders recipient() {
        assertThat(recipients).hasSize(1);
        return recipients.getFirst();
    }

    private static InternetHeaders headers(String group) throws Exception {
        return new InternetHeaders(new ByteArrayInputStream((group + "\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(BodyPart part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
