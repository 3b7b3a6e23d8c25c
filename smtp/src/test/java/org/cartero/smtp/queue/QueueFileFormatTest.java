package org.cartero.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.MailParameters.Body;
import org.cartero.smtp.protocol.MailParameters.Ret;
import org.cartero.smtp.protocol.OriginalRecipient;
import org.cartero.smtp.protocol.RcptParameters.Notify;
import org.cartero.smtp.queue.DeliveryState.RecipientState;
import org.junit.jupiter.api.Test;

class QueueFileFormatTest {
    static final String ID = QueueId.next();

    static Envelope envelope() {
        return new Envelope(ID, Instant.ofEpochMilli(1_764_170_000_123L), Optional.of(MailAddress.parse("jörg@example.test")),
                List.of(new Recipient(MailAddress.parse("bob@example.test"), Set.of(Notify.SUCCESS, Notify.FAILURE),
                                Optional.of(new OriginalRecipient("rfc822", "Bob Smith+x=y@example.test")),
                                new Destination.Local("bob@example.test", MailAddress.parse("bob+tag@example.test"))),
                        new Recipient(MailAddress.parse("list@example.test"), Set.of(), Optional.empty(),
                                new Destination.Remote(MailAddress.parse("carol@elsewhere.test"), true)),
                        new Recipient(MailAddress.parse("dave@elsewhere.test"), Set.of(Notify.NEVER), Optional.empty(),
                                new Destination.Remote(MailAddress.parse("dave@elsewhere.test"), false))),
                Optional.of("env id with spaces"), Optional.of(Ret.HDRS), true, Optional.of(Body.EIGHT_BIT_MIME),
                Optional.of("alice"), "2001:db8::1", Optional.of("client.example.test"));
    }

    @Test
    void anEnvelopeReadsBackAsWrittenAndLeavesTheStreamAtTheContent() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QueueFileFormat.writeEnvelope(envelope(), out);
        out.write("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8));
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        assertThat(QueueFileFormat.readEnvelope(ID, in)).isEqualTo(envelope());
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("Subject: x\r\n\r\nbody\r\n");
    }

    @Test
    void theNullSenderAndAbsentParametersReadBack() throws IOException {
        Envelope bounce = new Envelope(ID, Instant.ofEpochMilli(5), Optional.empty(), envelope().recipients().subList(0, 1),
                Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), "local", Optional.empty());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QueueFileFormat.writeEnvelope(bounce, out);
        assertThat(QueueFileFormat.readEnvelope(ID, new ByteArrayInputStream(out.toByteArray()))).isEqualTo(bounce);
    }

    @Test
    void aStateReadsBackAsWritten() throws IOException {
        DeliveryState state = new DeliveryState(3, Instant.ofEpochMilli(1_764_170_600_000L), true, List.of(
                new RecipientState(RecipientState.Status.SENT, Optional.of(Instant.ofEpochMilli(1)), Optional.of("2.0.0"),
                        Optional.empty(), Optional.of("X-Cartero; delivered to mailbox")),
                new RecipientState(RecipientState.Status.PENDING, Optional.of(Instant.ofEpochMilli(2)), Optional.of("4.2.0"),
                        Optional.of("mx.elsewhere.test"), Optional.of("smtp; 451 4.2.0 greylisted = try later")),
                RecipientState.PENDING));
        byte[] bytes = QueueFileFormat.encodeState(state);
        assertThat(QueueFileFormat.readState(ID, new ByteArrayInputStream(bytes), 3)).isEqualTo(state);
    }

    @Test
    void damageIsReportedWithItsLine() {
        String damaged = QueueFileFormat.MESSAGE_MAGIC + "\narrival 12\nsender a@b.test\nfrobnicate yes\n\n";
        assertThatThrownBy(() -> QueueFileFormat.readEnvelope(ID, new ByteArrayInputStream(damaged.getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(IOException.class).hasMessage("message " + ID + ", line 4: unknown keyword \"frobnicate\"");
        String noRecipients = QueueFileFormat.MESSAGE_MAGIC + "\narrival 12\nsender a@b.test\nclient x\n\n";
        assertThatThrownBy(() -> QueueFileFormat.readEnvelope(ID, new ByteArrayInputStream(noRecipients.getBytes(StandardCharsets.US_ASCII))))
                .hasMessageContaining("incomplete");
        assertThatThrownBy(() -> QueueFileFormat.readEnvelope(ID, new ByteArrayInputStream("garbage\n".getBytes(StandardCharsets.US_ASCII))))
                .hasMessageContaining("not a Cartero queue file");
        String missingRecipientState = QueueFileFormat.STATE_MAGIC + "\nattempts 1\nnext 5\nrcpt 0 sent\n";
        assertThatThrownBy(() -> QueueFileFormat.readState(ID, new ByteArrayInputStream(missingRecipientState.getBytes(StandardCharsets.US_ASCII)), 2))
                .hasMessageContaining("recipient 1 has no state");
    }
}
