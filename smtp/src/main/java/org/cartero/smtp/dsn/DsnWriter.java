package org.cartero.smtp.dsn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.message.HeaderFields;
import org.cartero.smtp.protocol.MailParameters.Body;
import org.cartero.smtp.queue.Envelope;
import org.cartero.smtp.queue.Recipient;

/**
 * Writes a delivery status notification: a multipart/report message (RFC 6522) with a part for
 * people, a message/delivery-status part for programs (RFC 3464), and the original message or its
 * header. For a message sent with SMTPUTF8 the parts are message/global-delivery-status and
 * message/global (RFC 6533), and addresses with UTF-8 get the "utf-8" address type.
 *
 * <p>The original content is streamed from the queue, never held: whole for a failure when the
 * sender asked for RET=FULL or said nothing and it is no larger than the bounce size limit,
 * else only its header (always for delays and successes, RFC 3461 section 4.3).
 */
public final class DsnWriter {
    private static final ZoneId ZONE = ZoneId.systemDefault();

    /** Which event the notification reports; it sets the subject and the words for people. */
    public enum Kind {
        FAILURE("Undelivered Mail Returned to Sender",
                "I'm sorry to have to inform you that your message could not be delivered to one or more recipients.\r\n"
                        + "The details are below."),
        DELAY("Delayed Mail (still being retried)",
                "This is only a warning: you do not need to send your message again.\r\n"
                        + "It has not yet been delivered to the recipients below; delivery will be retried."),
        SUCCESS("Successful Mail Delivery Report",
                "Your message was delivered to the recipients below, as you asked to be told.");

        private final String subject;
        private final String text;

        Kind(String subject, String text) {
            this.subject = subject;
            this.text = text;
        }
    }

    /** RFC 3464 section 2.3.3 Action values. */
    public enum Action { FAILED, DELAYED, DELIVERED, RELAYED, EXPANDED }

    /**
     * What happened to one recipient (RFC 3464 section 2.3).
     *
     * @param status      the enhanced status code, e.g. "5.1.1"
     * @param remoteMta   the server that answered, if any
     * @param diagnostic  "smtp; 550 5.1.1 ..." or "X-Cartero; ...", if known
     * @param lastAttempt when delivery was last tried
     */
    public record RecipientReport(Recipient recipient, Action action, String status, Optional<String> remoteMta,
                                  Optional<String> diagnostic, Optional<Instant> lastAttempt) {}

    /**
     * What to return of the original message.
     *
     * @param whole   the whole message rather than its header
     * @param content the original content from its first octet (CRLF line ends)
     */
    public record Returned(boolean whole, InputStream content) {}

    private DsnWriter() {}

    /**
     * Writes the notification about {@code original} to {@code out}.
     *
     * @param id             the notification's own queue id (in its Message-ID and boundary)
     * @param willRetryUntil for a delay: when the queue gives up
     */
    public static void write(OutputStream out, Kind kind, Envelope original, List<RecipientReport> reports,
                             String reportingMta, String id, Instant now, Optional<Instant> willRetryUntil,
                             Returned returned) throws IOException {
        if (original.sender().isEmpty()) throw new IllegalArgumentException("no notification goes to the null sender");
        boolean global = original.smtputf8();
        String boundary = id + "/" + reportingMta;
        StringBuilder s = new StringBuilder(2048);

        // The message header (RFC 3834 section 5: Auto-Submitted marks it as no reply to be answered).
        s.append("From: Mail Delivery System <MAILER-DAEMON@").append(reportingMta).append(">\r\n");
        s.append("To: <").append(original.sender().get()).append(">\r\n");
        s.append("Subject: ").append(kind.subject).append("\r\n");
        s.append("Date: ").append(HeaderFields.date(ZonedDateTime.ofInstant(now, ZONE))).append("\r\n");
        s.append("Message-ID: ").append(HeaderFields.messageId(id, reportingMta)).append("\r\n");
        s.append("Auto-Submitted: auto-replied\r\n");
        s.append("MIME-Version: 1.0\r\n");
        s.append("Content-Type: multipart/report; report-type=")
                .append(global ? "global-delivery-status" : "delivery-status").append(";\r\n");
        s.append("\tboundary=\"").append(boundary).append("\"\r\n");
        s.append("\r\n");
        s.append("This is a MIME-encapsulated message.\r\n\r\n");

        // The part for people.
        String humanText = humanText(kind, original, reports, reportingMta);
        s.append("--").append(boundary).append("\r\n");
        s.append("Content-Description: Notification\r\n");
        s.append("Content-Type: text/plain; charset=utf-8\r\n");
        s.append("Content-Transfer-Encoding: ").append(isAscii(humanText) ? "7bit" : "8bit").append("\r\n\r\n");
        s.append(humanText).append("\r\n");

        // The part for programs (RFC 3464 section 2.2: per-message fields, then per-recipient groups).
        s.append("--").append(boundary).append("\r\n");
        s.append("Content-Description: Delivery report\r\n");
        s.append("Content-Type: message/").append(global ? "global-delivery-status" : "delivery-status").append("\r\n\r\n");
        s.append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n");
        s.append("X-Cartero-Queue-ID: ").append(original.id()).append("\r\n");
        original.envelopeId().ifPresent(envid -> s.append("Original-Envelope-Id: ").append(envid).append("\r\n"));
        s.append("Arrival-Date: ").append(date(original.arrival())).append("\r\n");
        for (RecipientReport r : reports) {
            s.append("\r\n");
            Recipient recipient = r.recipient();
            if (recipient.orcpt().isPresent()) {
                s.append("Original-Recipient: ").append(recipient.orcpt().get().addressType()).append(';')
                        .append(recipient.orcpt().get().address()).append("\r\n");
            } else if (!recipient.address().canonical().equals(recipient.destination().address().canonical())) {
                // An alias led elsewhere: name the address the sender used.
                s.append("Original-Recipient: ").append(addressType(recipient.address())).append(';')
                        .append(recipient.address()).append("\r\n");
            }
            MailAddress finalRecipient = recipient.destination().address();
            s.append("Final-Recipient: ").append(addressType(finalRecipient)).append("; ").append(finalRecipient).append("\r\n");
            s.append("Action: ").append(r.action().name().toLowerCase(Locale.ROOT)).append("\r\n");
            s.append("Status: ").append(r.status()).append("\r\n");
            r.remoteMta().ifPresent(mta -> s.append("Remote-MTA: dns; ").append(mta).append("\r\n"));
            r.diagnostic().ifPresent(d -> s.append("Diagnostic-Code: ").append(d).append("\r\n"));
            r.lastAttempt().ifPresent(t -> s.append("Last-Attempt-Date: ").append(date(t)).append("\r\n"));
            if (r.action() == Action.DELAYED) {
                willRetryUntil.ifPresent(t -> s.append("Will-Retry-Until: ").append(date(t)).append("\r\n"));
            }
        }
        s.append("\r\n");

        // The original, or its header.
        boolean whole = returned.whole();
        String type = whole ? (global ? "message/global" : "message/rfc822")
                : (global ? "message/global-headers" : "text/rfc822-headers");
        s.append("--").append(boundary).append("\r\n");
        s.append("Content-Description: ").append(whole ? "Undelivered Message" : "Message Headers").append("\r\n");
        s.append("Content-Type: ").append(type).append("\r\n");
        boolean eightBit = global || original.body().orElse(Body.SEVEN_BIT) != Body.SEVEN_BIT;
        if (eightBit) s.append("Content-Transfer-Encoding: 8bit\r\n");
        s.append("\r\n");
        out.write(s.toString().getBytes(StandardCharsets.UTF_8));
        boolean endsWithLineBreak = whole ? copy(returned.content(), out) : copyHeader(returned.content(), out);
        out.write(((endsWithLineBreak ? "" : "\r\n") + "\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static String humanText(Kind kind, Envelope original, List<RecipientReport> reports, String reportingMta) {
        StringBuilder s = new StringBuilder(512);
        s.append("This is the mail system at host ").append(reportingMta).append(".\r\n\r\n");
        s.append(kind.text).append("\r\n\r\n");
        for (RecipientReport r : reports) {
            s.append("<").append(r.recipient().address()).append(">");
            if (!r.recipient().address().equals(r.recipient().destination().address())) {
                s.append(" (expanded to <").append(r.recipient().destination().address()).append(">)");
            }
            s.append(": ");
            if (r.remoteMta().isPresent()) s.append("host ").append(r.remoteMta().get()).append(" said: ");
            s.append(r.diagnostic().map(DsnWriter::diagnosticText).orElse(r.action().name().toLowerCase(Locale.ROOT)
                    + " (" + r.status() + ")")).append("\r\n");
        }
        s.append("\r\nThe message had the queue id ").append(original.id()).append(".\r\n");
        return s.toString();
    }

    /** The text after the diagnostic type: "smtp; 550 5.1.1 ..." reads as "550 5.1.1 ...". */
    private static String diagnosticText(String diagnostic) {
        int semicolon = diagnostic.indexOf(';');
        return semicolon < 0 ? diagnostic : diagnostic.substring(semicolon + 1).strip();
    }

    /** RFC 6533 section 3: "utf-8" for an address that needs it, "rfc822" otherwise. */
    private static String addressType(MailAddress address) {
        return address.needsUtf8() ? "utf-8" : "rfc822";
    }

    private static String date(Instant instant) {
        return HeaderFields.date(ZonedDateTime.ofInstant(instant, ZONE));
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }

    /** Copies everything; returns whether the last octet was LF. */
    private static boolean copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[8192];
        int last = '\n';
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            last = buffer[n - 1];
        }
        return last == '\n';
    }

    /** Copies the header section, without the empty line that ends it; returns whether it ended with LF. */
    private static boolean copyHeader(InputStream in, OutputStream out) throws IOException {
        int lineLength = 0; // octets of the current line, a CR not counted
        boolean pendingCr = false;
        int last = '\n';
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n' && lineLength == 0) return true; // the empty line: the header ends
            if (pendingCr) {
                out.write('\r');
                pendingCr = false;
            }
            if (b == '\r') {
                pendingCr = true; // held back: it may belong to the empty line
                continue;
            }
            out.write(b);
            lineLength = b == '\n' ? 0 : lineLength + 1;
            last = b;
        }
        if (pendingCr) out.write('\r');
        return last == '\n' && !pendingCr;
    }
}
