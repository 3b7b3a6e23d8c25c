package org.cartero.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.cartero.core.config.Service;
import org.cartero.smtp.RawSmtp;
import org.cartero.smtp.TestMta;
import org.cartero.smtp.TestTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMTP smuggling (CVE-2023-51766 and kin): a bare-LF or bare-CR "end of data" inside a message must
 * never end it, so no second, forged message can ride inside the first. Both policies are tested:
 * normalize (one message, the smuggled lines are its content) and reject (550, nothing stored).
 */
class SmugglingTest {
    /** A first message, a fake end of data in one of the two classic forms, then a forged second transaction. */
    private static String smuggling(String fakeEnd) {
        return "From: a@elsewhere.test\r\nSubject: first\r\n\r\nfirst body" + fakeEnd
                + "MAIL FROM:<ceo@example.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n"
                + "From: ceo@example.test\r\nSubject: forged\r\n\r\nsmuggled body\r\n";
    }

    @TempDir
    Path dir;

    /** Sends one smuggling message to bob; returns the reply to its data, after checking the session is in step. */
    private static String smuggle(TestMta mta, String fakeEnd) throws Exception {
        try (RawSmtp smtp = RawSmtp.connect(mta.address(Service.SMTP))) {
            smtp.ehlo();
            smtp.expect("MAIL FROM:<a@elsewhere.test>", "250");
            smtp.expect("RCPT TO:<bob@example.test>", "250");
            String reply = smtp.data(smuggling(fakeEnd));
            // Exactly one reply to the whole data: the next command is answered in step.
            assertThat(smtp.send("NOOP")).startsWith("250 2.0.0 OK");
            return reply;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r\n.\r"})
    void underNormalizeTheFakeEndIsContent(String fakeEnd) throws Exception {
        try (TestMta mta = TestMta.start(dir)) {
            assertThat(smuggle(mta, fakeEnd)).startsWith("250 2.0.0");
            String message = mta.awaitMailbox(TestMta.BOB, 1).getFirst();
            assertThat(message).contains("first body", "MAIL FROM:<ceo@example.test>", "smuggled body");
            Thread.sleep(200);
            assertThat(mta.mailbox(TestMta.ALICE)).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\r\n.\r"})
    void underRejectTheMessageIsRefusedWhole(String fakeEnd) throws Exception {
        try (TestMta mta = TestMta.start(dir, "bare_newline = \"reject\"\n", new TestTransport())) {
            assertThat(smuggle(mta, fakeEnd)).startsWith("550 5.5.2");
            Thread.sleep(200);
            assertThat(mta.mailbox(TestMta.BOB)).isEmpty();
            assertThat(mta.mailbox(TestMta.ALICE)).isEmpty();
            assertThat(mta.mta().queue().ids()).isEmpty();
        }
    }

    @Test
    void dotStuffingIsUndone() throws Exception {
        try (TestMta mta = TestMta.start(dir)) {
            try (RawSmtp smtp = RawSmtp.connect(mta.address(Service.SMTP))) {
                smtp.ehlo();
                smtp.expect("MAIL FROM:<a@elsewhere.test>", "250");
                smtp.expect("RCPT TO:<bob@example.test>", "250");
                assertThat(smtp.data("Subject: dots\r\n\r\n..\r\n...leading\r\n")).startsWith("250");
            }
            List<String> box = mta.awaitMailbox(TestMta.BOB, 1);
            assertThat(box.getFirst()).endsWith("\n\n.\n..leading\n");
        }
    }
}
