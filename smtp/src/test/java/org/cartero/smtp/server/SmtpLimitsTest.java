package org.cartero.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.cartero.core.config.Service;
import org.cartero.smtp.RawSmtp;
import org.cartero.smtp.TestMta;
import org.cartero.smtp.TestTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-session limits: failed commands, commands without mail, recipients per message, idle clients. */
class SmtpLimitsTest {
    @TempDir
    Path dir;

    private TestMta mta;

    @BeforeEach
    void start() throws Exception {
        mta = TestMta.start(dir, """
                max_errors = 5
                errors_before_delay = 2
                error_delay = "10ms"
                max_junk_commands = 4
                max_recipients = 2
                [timeouts]
                smtp = "1s"
                """, new TestTransport());
    }

    @AfterEach
    void stop() {
        mta.close();
    }

    @Test
    void aClientThatKeepsFailingIsDisconnected() throws Exception {
        try (RawSmtp smtp = RawSmtp.connect(mta.address(Service.SMTP))) {
            smtp.ehlo();
            for (int i = 1; i < 5; i++) assertThat(smtp.send("BOGUS " + i)).startsWith("500 5.5.2");
            // The fifth failure is answered, then the session ends.
            assertThat(smtp.send("BOGUS 5")).startsWith("500 5.5.2");
            assertThat(smtp.reply()).startsWith("421 4.7.0").contains("Too many errors");
            assertThat(smtp.reply()).isNull();
        }
    }

    @Test
    void unknownRecipientsCountAsFailures() throws Exception {
        try (RawSmtp smtp = RawSmtp.connect(mta.address(Service.SMTP))) {
            smtp.ehlo();
            smtp.expect("MAIL FROM:<a@elsewhere.test>", "250");
            for (int i = 1; i <= 4; i++) assertThat(smtp.send("RCPT TO:<guess" + i + "@example.test>")).startsWith("550 5.1.1");
            assertThat(smtp.send("RCPT TO:<guess5@example.test>")).startsWith("550 5.1.1");
            assertThat(smtp.reply()).startsWith("421 4.7.0");
        }
    }

    @Test
    void tooManyCommandsWithoutMailEndTheSession() throws Exception {
        try (RawSmtp smtp = RawSmtp.connect(mta.address(Service.SMTP))) {
            smtp.ehlo();
            for (int i = 0; i < 4; i++) smtp.expect("NOOP", "250");
            assertThat(smtp.send("NOOP")).startsWith("421 4.7.0").contains("Too many commands");
            assertThat(smtp.reply()).isNull();
        }
    }

    @Test
    void recipientsBeyondTheLimitAreToldToWait() throws Exception {
        try (RawSmtp smtp = RawSmtp.connect(mta.address(Service.SMTP))) {
            smtp.ehlo();
            smtp.expect("MAIL FROM:<a@elsewhere.test>", "250");
            smtp.expect("RCPT TO:<alice@example.test>", "250");
            smtp.expect("RCPT TO:<bob@example.test>", "250");
            assertThat(smtp.send("RCPT TO:<postmaster@example.test>")).startsWith("452 4.5.3");
            // 452 is the protocol's pacing, not the client's fault: many of them do not disconnect.
            for (int i = 0; i < 6; i++) assertThat(smtp.send("RCPT TO:<postmaster@example.test>")).startsWith("452 4.5.3");
            assertThat(smtp.data("Subject: two\r\n\r\nx\r\n")).startsWith("250");
        }
        mta.awaitMailbox(TestMta.BOB, 1);
    }

    @Test
    void anIdleClientIsToldAndDisconnected() throws Exception {
        try (RawSmtp smtp = RawSmtp.connect(mta.address(Service.SMTP))) {
            smtp.ehlo();
            // RFC 5321 section 4.5.3.2.7: the server times out an idle client (here after 1 s).
            assertThat(smtp.reply()).startsWith("421 4.4.2");
            assertThat(smtp.reply()).isNull();
        }
    }
}
