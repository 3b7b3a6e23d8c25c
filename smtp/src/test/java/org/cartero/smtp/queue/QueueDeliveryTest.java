package org.cartero.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cartero.smtp.TestMta.ALICE;
import static org.cartero.smtp.TestMta.BOB;
import static org.cartero.smtp.TestMta.PASSWORD;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cartero.core.config.Service;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.RawSmtp;
import org.cartero.smtp.TestMta;
import org.cartero.smtp.TestTransport;
import org.cartero.smtp.pickup.Sendmail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queue end to end in a running MTA, with real time and short delays: retries until the remote
 * server takes the message, bounces and delay warnings landing in a local sender's mailbox, SRS
 * for forwarded mail and its bounce finding the way back, and mail left by sendmail.
 */
class QueueDeliveryTest {
    private static final String FAST = """
            retry_min = "200ms"
            retry_max = "400ms"
            """;

    @TempDir
    Path dir;

    private static String submit(TestMta mta, MailAddress from, String to, String content) throws Exception {
        try (RawSmtp smtp = RawSmtp.connect(mta.address(Service.SUBMISSION))) {
            smtp.ehlo();
            smtp.startTls(mta.clientTls());
            smtp.ehlo();
            smtp.login(from.toString(), PASSWORD);
            smtp.expect("MAIL FROM:<" + from + ">", "250");
            smtp.expect("RCPT TO:<" + to + ">", "250");
            String reply = smtp.data(content);
            assertThat(reply).startsWith("250");
            return reply.substring(reply.length() - 15);
        }
    }

    @Test
    void aRemoteThatDefersIsRetriedUntilItAccepts() throws Exception {
        TestTransport transport = new TestTransport().thenAnswer(r -> TestTransport.deferred())
                .thenAnswer(r -> TestTransport.deferred());
        try (TestMta mta = TestMta.start(dir, FAST, transport)) {
            submit(mta, ALICE, "carol@elsewhere.test", "Subject: retry me\r\n\r\nx\r\n");
            mta.awaitEmptyQueue();
            assertThat(transport.sent()).hasSize(3).allSatisfy(s -> assertThat(s.content()).contains("Subject: retry me"));
            assertThat(mta.mailbox(ALICE)).isEmpty(); // no bounce, no warning
        }
    }

    @Test
    void aRefusedMessageBouncesIntoTheSendersMailbox() throws Exception {
        TestTransport transport = new TestTransport().thenAnswer(r -> TestTransport.failed());
        try (TestMta mta = TestMta.start(dir, FAST, transport)) {
            String id = submit(mta, ALICE, "carol@elsewhere.test", "Subject: doomed\r\n\r\nx\r\n");
            String bounce = mta.awaitMailbox(ALICE, 1).getFirst();
            assertThat(bounce).contains("Return-Path: <>", "From: Mail Delivery System <MAILER-DAEMON@mail.example.test>",
                    "Content-Type: multipart/report; report-type=delivery-status", "X-Cartero-Queue-ID: " + id,
                    "Final-Recipient: rfc822; carol@elsewhere.test", "Action: failed", "Status: 5.1.1",
                    "Diagnostic-Code: smtp; 550 5.1.1 no such user here", "Subject: doomed");
            mta.awaitEmptyQueue();
        }
    }

    @Test
    void aLongDelayIsReportedOnceWhileRetriesGoOn() throws Exception {
        TestTransport transport = new TestTransport();
        for (int i = 0; i < 100; i++) transport.thenAnswer(r -> TestTransport.deferred());
        try (TestMta mta = TestMta.start(dir, FAST + "delay_warning = \"1s\"\n", transport)) {
            submit(mta, ALICE, "carol@elsewhere.test", "Subject: slow\r\n\r\nx\r\n");
            String warning = mta.awaitMailbox(ALICE, 1).getFirst();
            assertThat(warning).contains("Subject: Delayed Mail (still being retried)", "Action: delayed", "Will-Retry-Until:",
                    "Content-Type: text/rfc822-headers");
            int attempts = transport.sent().size();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (transport.sent().size() < attempts + 3 && System.nanoTime() < deadline) Thread.sleep(50);
            assertThat(transport.sent().size()).isGreaterThanOrEqualTo(attempts + 3);
            assertThat(mta.mailbox(ALICE)).hasSize(1); // warned once only
        }
    }

    @Test
    void aForwardLeavesWithSrsAndItsBounceComesBackToTheSender() throws Exception {
        TestTransport transport = new TestTransport();
        try (TestMta mta = TestMta.start(dir, FAST, transport)) {
            mta.addAlias("list@example.test", MailAddress.parse("carol@elsewhere.test"), BOB);
            submit(mta, ALICE, "list@example.test", "Subject: to the list\r\n\r\nx\r\n");
            mta.awaitMailbox(BOB, 1);
            mta.awaitEmptyQueue();
            assertThat(transport.sent()).hasSize(1);
            MailAddress srsSender = transport.sent().getFirst().message().sender().orElseThrow();
            assertThat(srsSender.toString()).matches("SRS0=[^=]{4}=[A-Z2-7]{2}=example\\.test=alice@mail\\.example\\.test");

            // The remote server bounces to the SRS address, on the MX port, as any server would.
            try (RawSmtp smtp = RawSmtp.connect(mta.address(Service.SMTP))) {
                smtp.ehlo();
                smtp.expect("MAIL FROM:<>", "250");
                smtp.expect("RCPT TO:<" + srsSender + ">", "250");
                assertThat(smtp.data("Subject: Undelivered Mail\r\n\r\ncarol is gone\r\n")).startsWith("250");
                // A forged SRS address is nobody's.
                smtp.expect("MAIL FROM:<>", "250");
                assertThat(smtp.send("RCPT TO:<SRS0=AAAA=AA=example.test=alice@mail.example.test>")).startsWith("550 5.1.1");
            }
            assertThat(mta.awaitMailbox(ALICE, 1).getFirst()).contains("carol is gone", "Return-Path: <>");
        }
    }

    @Test
    void sendmailMailIsPickedUpAndDelivered() throws Exception {
        try (TestMta mta = TestMta.start(dir)) {
            Sendmail.Arguments arguments = Sendmail.parse(List.of("-t", "-i", "-F", "Cron Daemon"));
            Sendmail.submit(arguments, new ByteArrayInputStream("To: bob@example.test\nSubject: from cron\n\n.\ndone\n"
                    .getBytes(StandardCharsets.UTF_8)), mta.mta().queue().maildrop(), mta.config().hostname(), "root");
            String message = mta.awaitMailbox(BOB, 1).getFirst();
            assertThat(message).contains("Return-Path: <root@mail.example.test>", "(Cartero, from userid ",
                    ") with local id ", "From: \"Cron Daemon\" <root@mail.example.test>", "Message-ID: <",
                    "Date: ", "Subject: from cron", "\n.\ndone\n");
            assertThat(mta.mta().queue().maildrop()).isEmptyDirectory();
        }
    }

    @Test
    void aBrokenMaildropFileIsSetAside() throws Exception {
        try (TestMta mta = TestMta.start(dir)) {
            Path bad = mta.mta().queue().maildrop().resolve(QueueId.next());
            Files.writeString(bad, "not a maildrop file\n\nhello\n");
            Path corrupt = mta.mta().queue().root().resolve("corrupt").resolve("maildrop-" + bad.getFileName());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.exists(corrupt) && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(corrupt).exists();
            assertThat(bad).doesNotExist();
        }
    }

    @Test
    void flushRetriesADeferredMessageAtOnce() throws Exception {
        TestTransport transport = new TestTransport().thenAnswer(r -> TestTransport.deferred());
        try (TestMta mta = TestMta.start(dir, "retry_min = \"1h\"\nretry_max = \"2h\"\n", transport)) {
            submit(mta, ALICE, "carol@elsewhere.test", "Subject: flush me\r\n\r\nx\r\n");
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (transport.sent().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
            Thread.sleep(200);
            assertThat(mta.mta().queue().ids()).hasSize(1); // waiting an hour
            Files.createFile(MailQueue.flushRequest(mta.mta().queue().root())); // what cartero queue flush does
            mta.awaitEmptyQueue();
            assertThat(transport.sent()).hasSize(2);
            assertThat(MailQueue.flushRequest(mta.mta().queue().root())).doesNotExist();
        }
    }
}
