package org.cartero.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cartero.smtp.TestMta.ALICE;
import static org.cartero.smtp.TestMta.BOB;
import static org.cartero.smtp.TestMta.PASSWORD;

import java.nio.file.Path;
import java.util.List;
import org.cartero.core.config.Service;
import org.cartero.smtp.RawSmtp;
import org.cartero.smtp.TestMta;
import org.cartero.smtp.TestTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMTP session over real sockets and TLS, command by command: what a client sees. */
class SmtpSessionTest {
    private static final String MESSAGE = "From: someone@elsewhere.test\r\nTo: bob@example.test\r\nSubject: hi\r\n\r\nHello Bob\r\n";

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

    private RawSmtp mx() throws Exception {
        return RawSmtp.connect(mta.address(Service.SMTP));
    }

    private RawSmtp submissionWithTls() throws Exception {
        RawSmtp smtp = RawSmtp.connect(mta.address(Service.SUBMISSION));
        smtp.ehlo();
        smtp.startTls(mta.clientTls());
        smtp.ehlo();
        return smtp;
    }

    @Test
    void theMxPortOffersEveryExtensionButAuth() throws Exception {
        try (RawSmtp smtp = mx()) {
            String ehlo = smtp.ehlo();
            assertThat(ehlo).startsWith("250-mail.example.test Hello client.test [127.0.0.1]")
                    .contains("250-PIPELINING", "250-SIZE 52428800", "250-8BITMIME", "250-SMTPUTF8",
                            "250-ENHANCEDSTATUSCODES", "250-DSN", "250-CHUNKING", "250 STARTTLS")
                    .doesNotContain("AUTH");
            assertThat(smtp.send("AUTH PLAIN AGFsaWNlAHg=")).startsWith("503 5.5.1");
        }
    }

    @Test
    void mailForALocalUserIsQueuedWithItsIdAndDeliveredWithAReceivedField() throws Exception {
        try (RawSmtp smtp = mx()) {
            smtp.ehlo();
            smtp.expect("MAIL FROM:<someone@elsewhere.test>", "250 2.1.0");
            smtp.expect("RCPT TO:<bob@example.test>", "250 2.1.5");
            String reply = smtp.data(MESSAGE);
            assertThat(reply).matches("250 2\\.0\\.0 OK: queued as [0-9A-Z]{15}");
            String id = reply.substring(reply.length() - 15);
            String delivered = mta.awaitMailbox(BOB, 1).getFirst();
            // The store keeps messages with LF line ends (Maildir's way).
            assertThat(delivered).contains("Received: from client.test ([127.0.0.1])\n\tby mail.example.test (Cartero) with ESMTP id " + id,
                    "for <bob@example.test>;", "Return-Path: <someone@elsewhere.test>", "Hello Bob");
            // The MX port leaves the header alone: no Message-ID or Date added.
            assertThat(delivered).doesNotContain("Message-ID:");
        }
    }

    @Test
    void anUnknownUserIsRefusedAtRcptAndTheTransactionGoesOn() throws Exception {
        try (RawSmtp smtp = mx()) {
            smtp.ehlo();
            smtp.expect("MAIL FROM:<someone@elsewhere.test>", "250");
            assertThat(smtp.send("RCPT TO:<nobody@example.test>")).startsWith("550 5.1.1");
            smtp.expect("RCPT TO:<bob@example.test>", "250");
            assertThat(smtp.data(MESSAGE)).startsWith("250 2.0.0");
        }
        mta.awaitMailbox(BOB, 1);
    }

    @Test
    void theMxPortIsNoOpenRelay() throws Exception {
        try (RawSmtp smtp = mx()) {
            smtp.ehlo();
            smtp.expect("MAIL FROM:<spammer@elsewhere.test>", "250");
            assertThat(smtp.send("RCPT TO:<victim@elsewhere.test>")).startsWith("554 5.7.1");
            assertThat(smtp.send("RCPT TO:<victim@[192.0.2.1]>")).startsWith("554 5.7.1");
            // A source route naming us does not open the relay either.
            assertThat(smtp.send("RCPT TO:<@mail.example.test:victim@elsewhere.test>")).startsWith("554 5.7.1");
            assertThat(smtp.send("DATA")).startsWith("554 5.5.1");
        }
        assertThat(mta.transport().sent()).isEmpty();
    }

    @Test
    void submissionOffersNoAuthBeforeTlsAndRefusesMail() throws Exception {
        try (RawSmtp smtp = RawSmtp.connect(mta.address(Service.SUBMISSION))) {
            assertThat(smtp.ehlo()).contains("STARTTLS").doesNotContain("AUTH");
            assertThat(smtp.send("AUTH PLAIN AGFsaWNlQGV4YW1wbGUudGVzdABPcGVuIHNlc2FtZSA0Mg==")).startsWith("538 5.7.11");
            assertThat(smtp.send("MAIL FROM:<alice@example.test>")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
        }
    }

    @Test
    void submissionRequiresAuthenticationAfterTls() throws Exception {
        try (RawSmtp smtp = RawSmtp.connect(mta.address(Service.SUBMISSION))) {
            smtp.ehlo();
            smtp.startTls(mta.clientTls());
            assertThat(smtp.ehlo()).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            assertThat(smtp.send("MAIL FROM:<alice@example.test>")).isEqualTo("530 5.7.0 Authentication required");
            assertThat(smtp.send("AUTH PLAIN " + base64("\0alice@example.test\0wrong"))).startsWith("535 5.7.8");
            assertThat(smtp.send("AUTH CRAM-MD5")).startsWith("504 5.5.4");
            // LOGIN: two challenges, each answered in base64.
            assertThat(smtp.send("AUTH LOGIN")).startsWith("334 ");
            assertThat(smtp.send(base64("alice@example.test"))).startsWith("334 ");
            assertThat(smtp.send(base64(PASSWORD))).startsWith("235 2.7.0");
            assertThat(smtp.send("AUTH PLAIN " + base64("\0alice@example.test\0" + PASSWORD))).startsWith("503 5.5.1");
        }
    }

    @Test
    void anAuthenticatedUserRelaysAndTheHeaderIsCompleted() throws Exception {
        try (RawSmtp smtp = submissionWithTls()) {
            smtp.login(ALICE.toString(), PASSWORD);
            smtp.expect("MAIL FROM:<alice@example.test>", "250");
            smtp.expect("RCPT TO:<carol@elsewhere.test>", "250");
            assertThat(smtp.data("Subject: out\r\n\r\nbody\r\n")).startsWith("250 2.0.0");
        }
        mta.awaitEmptyQueue();
        List<TestTransport.Sent> sent = mta.transport().sent();
        assertThat(sent).hasSize(1);
        assertThat(sent.getFirst().message().sender()).hasValue(ALICE);
        assertThat(sent.getFirst().message().domain()).isEqualTo("elsewhere.test");
        assertThat(sent.getFirst().content())
                .containsPattern("with ESMTPSA id [0-9A-Z]{15}\r\n\t\\(using TLSv1\\.[23] with cipher TLS_")
                .containsPattern("\r\nDate: [A-Z][a-z]{2}, \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\r\n")
                .containsPattern("\r\nMessage-ID: <[0-9A-Z]{15}@mail\\.example\\.test>\r\n\r\nbody");
    }

    @Test
    void anAuthenticatedUserCannotSendAsSomeoneElse() throws Exception {
        mta.addAlias("sales@example.test", ALICE);
        try (RawSmtp smtp = submissionWithTls()) {
            smtp.login(ALICE.toString(), PASSWORD);
            assertThat(smtp.send("MAIL FROM:<bob@example.test>")).startsWith("553 5.7.1");
            assertThat(smtp.send("MAIL FROM:<ceo@elsewhere.test>")).startsWith("553 5.7.1");
            smtp.expect("MAIL FROM:<sales@example.test>", "250"); // an alias that leads to her
            smtp.expect("RSET", "250");
            smtp.expect("MAIL FROM:<Alice+lists@Example.test>", "250"); // her address with a detail, any case
        }
    }

    @Test
    void commandsPipelinedBehindStartTlsAreThrownAway() throws Exception {
        try (RawSmtp smtp = mx()) {
            smtp.ehlo();
            // CVE-2011-0411: a MAIL slipped in before the handshake must not run inside TLS.
            smtp.write("STARTTLS\r\nMAIL FROM:<injected@elsewhere.test>\r\n");
            assertThat(smtp.reply()).startsWith("220 2.0.0");
            smtp.lineClient().startTls(mta.clientTls());
            smtp.ehlo();
            assertThat(smtp.send("RCPT TO:<bob@example.test>")).startsWith("503 5.5.1");
        }
    }

    @Test
    void theStateAfterStartTlsStartsAfresh() throws Exception {
        try (RawSmtp smtp = mx()) {
            smtp.ehlo();
            smtp.startTls(mta.clientTls());
            assertThat(smtp.send("MAIL FROM:<a@elsewhere.test>")).startsWith("503 5.5.1"); // EHLO again first
            assertThat(smtp.send("STARTTLS")).startsWith("503 5.5.1");
        }
    }

    @Test
    void sizeIsRefusedAtMailWhenDeclaredAndAfterTheDataWhenNot() throws Exception {
        mta.close();
        mta = TestMta.start(dir, "max_message_size = \"2K\"\n", new TestTransport());
        try (RawSmtp smtp = mx()) {
            assertThat(smtp.ehlo()).contains("250-SIZE 2048");
            assertThat(smtp.send("MAIL FROM:<a@elsewhere.test> SIZE=4096")).startsWith("552 5.3.4");
            smtp.expect("MAIL FROM:<a@elsewhere.test> SIZE=1000", "250");
            smtp.expect("RCPT TO:<bob@example.test>", "250");
            String big = "Subject: big\r\n\r\n" + ("x".repeat(70) + "\r\n").repeat(100);
            assertThat(smtp.data(big)).startsWith("552 5.3.4");
            // The session is in step: the next transaction works.
            smtp.expect("MAIL FROM:<a@elsewhere.test>", "250");
            smtp.expect("RCPT TO:<bob@example.test>", "250");
            assertThat(smtp.data(MESSAGE)).startsWith("250");
        }
        assertThat(mta.awaitMailbox(BOB, 1)).hasSize(1);
    }

    @Test
    void pipelinedCommandsGetTheirRepliesInOrder() throws Exception {
        try (RawSmtp smtp = mx()) {
            smtp.ehlo();
            smtp.write("MAIL FROM:<a@elsewhere.test>\r\nRCPT TO:<bob@example.test>\r\nRCPT TO:<nobody@example.test>\r\n"
                    + "RCPT TO:<alice@example.test>\r\nDATA\r\n");
            assertThat(smtp.reply()).startsWith("250 2.1.0");
            assertThat(smtp.reply()).startsWith("250 2.1.5");
            assertThat(smtp.reply()).startsWith("550 5.1.1");
            assertThat(smtp.reply()).startsWith("250 2.1.5");
            assertThat(smtp.reply()).startsWith("354");
            smtp.write(MESSAGE + ".\r\nQUIT\r\n");
            assertThat(smtp.reply()).startsWith("250 2.0.0");
            assertThat(smtp.reply()).startsWith("221 2.0.0");
        }
        mta.awaitMailbox(BOB, 1);
        mta.awaitMailbox(ALICE, 1);
    }

    @Test
    void bdatChunksMakeOneMessage() throws Exception {
        try (RawSmtp smtp = mx()) {
            smtp.ehlo();
            // A refused BDAT still has its chunk read: the octets after it are the next command.
            smtp.write("BDAT 6\r\nQUIT\r\nNOOP\r\n");
            assertThat(smtp.reply()).startsWith("503 5.5.1");
            assertThat(smtp.reply()).startsWith("250 2.0.0");
            smtp.expect("MAIL FROM:<a@elsewhere.test>", "250");
            smtp.expect("RCPT TO:<bob@example.test>", "250");
            String first = "Subject: chunks\r\n\r\n";
            smtp.write("BDAT " + first.length() + "\r\n" + first);
            assertThat(smtp.reply()).startsWith("250 2.0.0");
            String second = "line one\r\n.line two starts with a dot\r\n";
            smtp.write("BDAT " + second.length() + " LAST\r\n" + second);
            assertThat(smtp.reply()).matches("250 2\\.0\\.0 OK: queued as [0-9A-Z]{15}");
            assertThat(smtp.send("DATA")).startsWith("503"); // the transaction is over
        }
        assertThat(mta.awaitMailbox(BOB, 1).getFirst()).endsWith("Subject: chunks\n\nline one\n.line two starts with a dot\n");
    }

    @Test
    void dataAfterBdatIsRefused() throws Exception {
        try (RawSmtp smtp = mx()) {
            smtp.ehlo();
            smtp.expect("MAIL FROM:<a@elsewhere.test>", "250");
            smtp.expect("RCPT TO:<bob@example.test>", "250");
            smtp.write("BDAT 3\r\nabc");
            assertThat(smtp.reply()).startsWith("250");
            assertThat(smtp.send("DATA")).startsWith("503 5.5.1");
        }
    }

    @Test
    void dsnParametersAreKeptWithTheMessageAndPassedOn() throws Exception {
        mta.transport().thenAnswer(r -> TestTransport.deferred());
        String id;
        try (RawSmtp smtp = submissionWithTls()) {
            smtp.login(ALICE.toString(), PASSWORD);
            smtp.expect("MAIL FROM:<alice@example.test> RET=HDRS ENVID=QQ+2B314159", "250");
            smtp.expect("RCPT TO:<carol@elsewhere.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;Carol@Elsewhere.test", "250");
            String reply = smtp.data(MESSAGE);
            id = reply.substring(reply.length() - 15);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (mta.transport().sent().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
        var message = mta.transport().sent().getFirst().message();
        assertThat(message.envelopeId()).hasValue("QQ+314159");
        assertThat(message.ret()).hasValue(org.cartero.smtp.protocol.MailParameters.Ret.HDRS);
        assertThat(message.recipients().getFirst().notifyOn()).containsExactlyInAnyOrder(
                org.cartero.smtp.protocol.RcptParameters.Notify.SUCCESS, org.cartero.smtp.protocol.RcptParameters.Notify.FAILURE);
        assertThat(message.recipients().getFirst().orcpt().orElseThrow().address()).isEqualTo("Carol@Elsewhere.test");
        // Deferred: still queued, with its envelope as it came.
        Thread.sleep(100);
        var entry = mta.mta().queue().load(id).orElseThrow();
        assertThat(entry.envelope().envelopeId()).hasValue("QQ+314159");
        assertThat(entry.envelope().recipients().getFirst().orcpt().orElseThrow().encode()).isEqualTo("rfc822;Carol@Elsewhere.test");
        assertThat(entry.state().recipients().getFirst().pending()).isTrue();
    }

    @Test
    void repliesFollowTheSequencingRules() throws Exception {
        try (RawSmtp smtp = mx()) {
            assertThat(smtp.send("MAIL FROM:<a@elsewhere.test>")).startsWith("503 5.5.1"); // no EHLO yet
            smtp.ehlo();
            assertThat(smtp.send("RCPT TO:<bob@example.test>")).startsWith("503 5.5.1");
            assertThat(smtp.send("DATA")).startsWith("503 5.5.1");
            smtp.expect("MAIL FROM:<a@elsewhere.test>", "250");
            assertThat(smtp.send("MAIL FROM:<a@elsewhere.test>")).startsWith("503 5.5.1");
            assertThat(smtp.send("DATA")).startsWith("554 5.5.1"); // no valid recipient
            smtp.expect("RSET", "250 2.0.0");
            assertThat(smtp.send("RCPT TO:<bob@example.test>")).startsWith("503 5.5.1");
            assertThat(smtp.send("VRFY bob")).startsWith("252 2.5.0");
            assertThat(smtp.send("EXPN staff")).startsWith("502 5.5.1");
            assertThat(smtp.send("HELP")).startsWith("214-2.0.0");
            assertThat(smtp.send("NOOP")).startsWith("250 2.0.0");
            assertThat(smtp.send("FOO")).startsWith("500 5.5.2");
            assertThat(smtp.send("MAIL FROM:<a@elsewhere.test> BODY=BINARYMIME")).startsWith("555 5.5.4");
            assertThat(smtp.send("HELO client.test")).isEqualTo("250 mail.example.test");
            assertThat(smtp.send("MAIL FROM:<a@elsewhere.test> SIZE=10")).startsWith("555 5.5.4"); // no extensions after HELO
            assertThat(smtp.send("QUIT")).startsWith("221 2.0.0");
            assertThat(smtp.reply()).isNull();
        }
    }

    @Test
    void postmasterIsAlwaysAccepted() throws Exception {
        try (RawSmtp smtp = mx()) {
            smtp.ehlo();
            smtp.expect("MAIL FROM:<someone@elsewhere.test>", "250");
            smtp.expect("RCPT TO:<Postmaster>", "250");
            smtp.expect("RCPT TO:<postmaster@example.test>", "250");
            assertThat(smtp.data(MESSAGE)).startsWith("250");
        }
        // postmaster@example.test is nobody's: it goes to postmaster@mail.example.test, aliased to root, then alice.
        assertThat(mta.awaitMailbox(ALICE, 1)).hasSize(1);
    }

    @Test
    void aLineTooLongIsRefusedAndTheSessionGoesOn() throws Exception {
        try (RawSmtp smtp = mx()) {
            smtp.ehlo();
            assertThat(smtp.send("NOOP " + "x".repeat(70_000))).startsWith("500 5.5.2");
            assertThat(smtp.send("NOOP")).startsWith("250");
        }
    }

    @Test
    void utf8AddressesNeedSmtputf8() throws Exception {
        mta.addAlias("jörg@example.test", BOB);
        try (RawSmtp smtp = mx()) {
            smtp.ehlo();
            smtp.expect("MAIL FROM:<a@elsewhere.test>", "250");
            assertThat(smtp.send("RCPT TO:<jörg@example.test>")).startsWith("553 5.6.7");
            smtp.expect("RSET", "250");
            smtp.expect("MAIL FROM:<a@elsewhere.test> SMTPUTF8", "250");
            smtp.expect("RCPT TO:<jörg@example.test>", "250");
            assertThat(smtp.data("Subject: grüße\r\n\r\nhallo\r\n")).startsWith("250");
        }
        assertThat(mta.awaitMailbox(BOB, 1).getFirst()).contains("with UTF8SMTP id", "Subject: grüße");
    }

    private static String base64(String s) {
        return java.util.Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
