package org.cartero.smtp.pickup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.MailParameters.Ret;
import org.cartero.smtp.protocol.RcptParameters.Notify;
import org.cartero.smtp.queue.MailQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sendmail command line and what it leaves in the maildrop. */
class SendmailTest {
    private static final String HOST = "mail.example.test";

    @TempDir
    Path dir;

    private record Dropped(MaildropFile envelope, String message) {}

    private MailQueue queue;

    @BeforeEach
    void open() throws Exception {
        queue = MailQueue.open(dir);
    }

    @AfterEach
    void close() throws Exception {
        queue.close();
    }

    private Dropped submit(String input, String... args) throws Exception {
        String name = Sendmail.submit(Sendmail.parse(List.of(args)),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), queue.maildrop(), HOST, "alice");
        try (InputStream in = Files.newInputStream(queue.maildrop().resolve(name))) {
            MaildropFile envelope = MaildropFile.read(in);
            return new Dropped(envelope, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theSenderIsTheInvokingUserAndBareNamesAreLocal() throws Exception {
        Dropped d = submit("Subject: cron\n\noutput\n", "root", "bob@example.test");
        assertThat(d.envelope().sender()).contains(new MailAddress("alice", HOST));
        assertThat(d.envelope().recipients()).containsExactly(new MailAddress("root", HOST), MailAddress.parse("bob@example.test"));
        assertThat(d.message()).isEqualTo("Subject: cron\r\n\r\noutput\r\n");
    }

    @Test
    void aLoneDotEndsTheInputUnlessDotsAreData() throws Exception {
        assertThat(submit("Subject: a\n\nbefore\n.\nafter\n", "bob@example.test").message()).isEqualTo("Subject: a\r\n\r\nbefore\r\n");
        assertThat(submit("Subject: a\n\nbefore\n.\nafter\n", "-i", "bob@example.test").message())
                .isEqualTo("Subject: a\r\n\r\nbefore\r\n.\r\nafter\r\n");
        assertThat(submit("Subject: a\n\nbefore\n.\nafter", "-oi", "bob@example.test").message())
                .isEqualTo("Subject: a\r\n\r\nbefore\r\n.\r\nafter\r\n");
    }

    @Test
    void minusTTakesRecipientsFromTheHeaderAndDropsBcc() throws Exception {
        String input = "From: Alice <alice@mail.example.test>\nTo: Bob <bob@example.test>, carol@elsewhere.test\n"
                + "Cc: \"Dave, D.\" <dave@elsewhere.test>\nBcc: secret@elsewhere.test,\n  hidden@elsewhere.test\n"
                + "Subject: t\n\nBcc: in the body stays\n";
        Dropped d = submit(input, "-t", "-f", "<bounces@example.test>", "extra@elsewhere.test");
        assertThat(d.envelope().sender()).contains(MailAddress.parse("bounces@example.test"));
        assertThat(d.envelope().recipients()).containsExactly(MailAddress.parse("extra@elsewhere.test"),
                MailAddress.parse("bob@example.test"), MailAddress.parse("carol@elsewhere.test"),
                MailAddress.parse("dave@elsewhere.test"), MailAddress.parse("secret@elsewhere.test"),
                MailAddress.parse("hidden@elsewhere.test"));
        assertThat(d.message()).doesNotContain("secret@", "hidden@").contains("Cc: \"Dave, D.\" <dave@elsewhere.test>\r\nSubject: t\r\n",
                "Bcc: in the body stays");
    }

    @Test
    void dsnOptionsAndTheNullSenderAreCarried() throws Exception {
        Dropped d = submit("x\n", "-f", "<>", "-N", "failure,delay", "-R", "hdrs", "-V", "env1", "-FCron Daemon",
                "-oem", "-odi", "-B8BITMIME", "bob@example.test");
        assertThat(d.envelope().sender()).isEmpty();
        assertThat(d.envelope().notifyOn()).containsExactlyInAnyOrder(Notify.FAILURE, Notify.DELAY);
        assertThat(d.envelope().ret()).contains(Ret.HDRS);
        assertThat(d.envelope().envelopeId()).contains("env1");
        assertThat(d.envelope().fullName()).isEqualTo(Optional.of("Cron Daemon"));
    }

    @Test
    void badCommandLinesAreUsageErrors() {
        assertThatThrownBy(() -> Sendmail.parse(List.of("-bs"))).isInstanceOf(Sendmail.UsageException.class).hasMessageContaining("-bs");
        assertThatThrownBy(() -> Sendmail.parse(List.of("-x"))).hasMessageContaining("unknown option -x");
        assertThatThrownBy(() -> Sendmail.parse(List.of("-f"))).hasMessageContaining("-f needs a value");
        assertThatThrownBy(() -> Sendmail.parse(List.of("-N", "never,success"))).hasMessageContaining("never stands alone");
        assertThatThrownBy(() -> submit("Subject: nobody\n\n", "-t")).hasMessageContaining("no recipient");
        assertThat(dir.resolve("maildrop")).isEmptyDirectory();
    }

    @Test
    void modesForQueueAndAliases() throws Exception {
        assertThat(Sendmail.parse(List.of("-bp")).mode()).isEqualTo(Sendmail.Mode.LIST_QUEUE);
        assertThat(Sendmail.parse(List.of("-bi")).mode()).isEqualTo(Sendmail.Mode.REBUILD_ALIASES);
        assertThat(Sendmail.parse(List.of("-q")).mode()).isEqualTo(Sendmail.Mode.FLUSH_QUEUE);
        assertThat(Sendmail.parse(List.of("-C", "/etc/other.toml", "-t")).config()).contains(Path.of("/etc/other.toml"));
    }
}
