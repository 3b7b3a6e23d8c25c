package org.cartero.smtp.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cartero.smtp.TestMta.ALICE;
import static org.cartero.smtp.TestMta.BOB;
import static org.cartero.smtp.TestMta.PASSWORD;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.cartero.core.config.Service;
import org.cartero.smtp.TestMta;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that people and programs really use, talking to the server over real sockets and TLS:
 * Python's smtplib, swaks and Angus (Jakarta) Mail, each over STARTTLS on the submission port
 * and implicit TLS on submissions, plus the MX port's refusals as they see them.
 */
class RealClientsTest {
    @TempDir
    Path dir;

    private TestMta mta;

    @BeforeEach
    void start() throws Exception {
        mta = TestMta.start(dir);
    }

    @AfterEach
    void stop() {
        mta.close();
    }

    // ---- Python smtplib ----

    private static final String PYTHON = """
            import smtplib, ssl, sys
            from email.message import EmailMessage
            host, port, mode, cafile, user, password, sender, rcpt = sys.argv[1:9]
            ctx = ssl.create_default_context(cafile=cafile)
            ctx.check_hostname = False  # the test server's certificate names mail.example.test
            msg = EmailMessage()
            msg['From'] = sender
            msg['To'] = rcpt
            msg['Subject'] = 'from smtplib ' + mode
            msg.set_content('Hello from Python\\n')
            if mode == 'starttls':
                s = smtplib.SMTP(host, int(port), timeout=30)
                s.ehlo()
                assert not s.has_extn('auth'), 'AUTH offered before TLS'
                s.starttls(context=ctx)
                s.ehlo()
            else:
                s = smtplib.SMTP_SSL(host, int(port), context=ctx, timeout=30)
            s.login(user, password)
            try:
                s.send_message(msg)
            except smtplib.SMTPException as e:
                print('REFUSED', e)
                sys.exit(3)
            s.quit()
            print('SENT')
            """;

    @Test
    void pythonSendsOverStartTls() throws Exception {
        Result r = python(Service.SUBMISSION, "starttls", ALICE.toString(), BOB.toString());
        assertThat(r.output()).contains("SENT");
        assertThat(mta.awaitMailbox(BOB, 1).getFirst()).contains("Subject: from smtplib starttls", "Hello from Python",
                "with ESMTPSA id");
    }

    @Test
    void pythonSendsOverImplicitTls() throws Exception {
        Result r = python(Service.SUBMISSIONS, "implicit", ALICE.toString(), BOB.toString());
        assertThat(r.output()).contains("SENT");
        assertThat(mta.awaitMailbox(BOB, 1).getFirst()).contains("Subject: from smtplib implicit");
    }

    @Test
    void pythonCannotSendAsAnotherUser() throws Exception {
        Result r = python(Service.SUBMISSION, "starttls", BOB.toString(), ALICE.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).contains("REFUSED", "553", "5.7.1");
    }

    private Result python(Service service, String mode, String sender, String recipient) throws Exception {
        InetSocketAddress address = mta.address(service);
        return run(List.of("python3", "-c", PYTHON, "127.0.0.1", String.valueOf(address.getPort()), mode,
                mta.certificateFile().toString(), ALICE.toString(), PASSWORD, sender, recipient));
    }

    // ---- swaks ----

    @Test
    void swaksSendsOverStartTlsWithPipelining() throws Exception {
        Result r = swaks(Service.SUBMISSION, "--tls", "--pipeline", "--auth", "PLAIN", "--auth-user", ALICE.toString(),
                "--auth-password", PASSWORD, "--from", ALICE.toString(), "--to", BOB.toString(), "--header", "Subject: swaks starttls");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("<~  250 2.0.0 OK: queued as");
        assertThat(mta.awaitMailbox(BOB, 1).getFirst()).contains("Subject: swaks starttls");
    }

    @Test
    void swaksSendsOverImplicitTls() throws Exception {
        Result r = swaks(Service.SUBMISSIONS, "--tlsc", "--auth", "LOGIN", "--auth-user", ALICE.toString(),
                "--auth-password", PASSWORD, "--from", ALICE.toString(), "--to", BOB.toString(), "--header", "Subject: swaks implicit");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(mta.awaitMailbox(BOB, 1).getFirst()).contains("Subject: swaks implicit");
    }

    @Test
    void swaksSeesTheMxRefuseRelayingAndUnknownUsers() throws Exception {
        Result relay = swaks(Service.SMTP, "--from", "spammer@elsewhere.test", "--to", "victim@elsewhere.test");
        assertThat(relay.exitCode()).isNotZero();
        assertThat(relay.output()).contains("<** 554 5.7.1 <victim@elsewhere.test>: Relay access denied");
        Result unknown = swaks(Service.SMTP, "--from", "someone@elsewhere.test", "--to", "nobody@example.test");
        assertThat(unknown.output()).contains("<** 550 5.1.1");
        assertThat(mta.transport().sent()).isEmpty();
    }

    private Result swaks(Service service, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--server", "127.0.0.1:" + mta.address(service).getPort(),
                "--helo", "client.test", "--timeout", "30"));
        command.addAll(List.of(arguments));
        return run(command);
    }

    // ---- Angus Mail ----

    @Test
    void angusMailSendsOverStartTlsWithDsnOptions() throws Exception {
        Properties p = angusProperties("smtp", Service.SUBMISSION);
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        Session session = Session.getInstance(p);
        SMTPMessage message = message(session, ALICE.toString(), "from Angus", "Hello from Jakarta Mail");
        message.setNotifyOptions(SMTPMessage.NOTIFY_SUCCESS | SMTPMessage.NOTIFY_FAILURE);
        message.setReturnOption(SMTPMessage.RETURN_HDRS);
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(ALICE.toString(), PASSWORD);
            transport.sendMessage(message, message.getAllRecipients());
        }
        String delivered = mta.awaitMailbox(BOB, 1).getFirst();
        assertThat(delivered).contains("Subject: from Angus", "Hello from Jakarta Mail");
        // NOTIFY=SUCCESS: the sender is told of the delivery.
        String notice = mta.awaitMailbox(ALICE, 1).getFirst();
        assertThat(notice).contains("Subject: Successful Mail Delivery Report", "Action: delivered", "Status: 2.0.0");
    }

    @Test
    void angusMailSendsOverImplicitTls() throws Exception {
        Properties p = angusProperties("smtps", Service.SUBMISSIONS);
        Session session = Session.getInstance(p);
        MimeMessage message = message(session, ALICE.toString(), "over smtps", "implicit TLS");
        try (Transport transport = session.getTransport("smtps")) {
            transport.connect(ALICE.toString(), PASSWORD);
            transport.sendMessage(message, message.getAllRecipients());
        }
        assertThat(mta.awaitMailbox(BOB, 1).getFirst()).contains("Subject: over smtps", "implicit TLS");
    }

    @Test
    void angusMailIsRefusedASenderThatIsNotTheUsers() throws Exception {
        Properties p = angusProperties("smtps", Service.SUBMISSIONS);
        Session session = Session.getInstance(p);
        MimeMessage message = message(session, "boss@elsewhere.test", "spoofed", "spoofed");
        try (Transport transport = session.getTransport("smtps")) {
            transport.connect(ALICE.toString(), PASSWORD);
            assertThatThrownBy(() -> transport.sendMessage(message, message.getAllRecipients()))
                    .isInstanceOf(SMTPSendFailedException.class)
                    .satisfies(e -> assertThat(((SMTPSendFailedException) e).getReturnCode()).isEqualTo(553));
        }
    }

    private static SMTPMessage message(Session session, String from, String subject, String text) throws Exception {
        SMTPMessage message = new SMTPMessage(session);
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(BOB.toString()));
        message.setSubject(subject);
        message.setText(text);
        return message;
    }

    private Properties angusProperties(String protocol, Service service) {
        Properties p = new Properties();
        p.put("mail." + protocol + ".host", "127.0.0.1");
        p.put("mail." + protocol + ".port", String.valueOf(mta.address(service).getPort()));
        p.put("mail." + protocol + ".auth", "true");
        p.put("mail." + protocol + ".ssl.socketFactory", mta.clientTls());
        p.put("mail." + protocol + ".ssl.checkserveridentity", "false");
        p.put("mail." + protocol + ".timeout", "30000");
        p.put("mail." + protocol + ".connectiontimeout", "30000");
        return p;
    }

    // ---- Running programs ----

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command.getFirst() + " did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
