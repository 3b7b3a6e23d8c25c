package org.cartero.smtp.relay;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import java.util.Properties;
import org.cartero.core.config.Service;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.TestMta;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * A user's mail program sending through their server: Angus (Jakarta) Mail on the submission
 * port, STARTTLS required, AUTH with the user's password.
 */
final class Submission {
    /** A text whose lines start with dots: SMTP must stuff them on the way and unstuff them at the far side. */
    static final String DOTTED_TEXT = """
            Hello.
            .a line that starts with a dot
            ..and one with two
            .
            The end.
            """;

    private Submission() {}

    /**
     * Sends a text message from {@code user} to {@code to} with these DSN options
     * ({@link SMTPMessage#NOTIFY_SUCCESS}..., 0 for none); returns the queue id of the 250 reply.
     */
    static String send(TestMta mta, MailAddress user, String to, String subject, String text, int notify)
            throws MessagingException {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(mta.address(Service.SUBMISSION).getPort()));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.socketFactory", mta.clientTls());
        p.put("mail.smtp.ssl.checkserveridentity", "false");
        p.put("mail.smtp.timeout", "30000");
        p.put("mail.smtp.connectiontimeout", "30000");
        Session session = Session.getInstance(p);
        SMTPMessage message = new SMTPMessage(session);
        message.setFrom(new InternetAddress(user.toString()));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText(text);
        if (notify != 0) message.setNotifyOptions(notify);
        try (SMTPTransport transport = (SMTPTransport) session.getTransport("smtp")) {
            transport.connect(user.toString(), TestMta.PASSWORD);
            transport.sendMessage(message, message.getAllRecipients());
            String reply = transport.getLastServerResponse().strip();
            return reply.substring(reply.lastIndexOf(' ') + 1);
        }
    }

    static String send(TestMta mta, MailAddress user, String to, String subject, String text) throws MessagingException {
        return send(mta, user, to, subject, text, 0);
    }
}
