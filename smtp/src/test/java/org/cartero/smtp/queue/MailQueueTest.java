package org.cartero.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.cartero.smtp.queue.DeliveryState.RecipientState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue's files: written whole or not at all, read back, updated and removed. */
class MailQueueTest {
    @TempDir
    Path dir;

    @Test
    void aCommittedMessageIsInTheQueueWithItsContent() throws Exception {
        MailQueue queue = MailQueue.open(dir);
        Envelope envelope = QueueFileFormatTest.envelope();
        QueueEntry committed;
        try (MailQueue.Draft draft = queue.create(envelope)) {
            draft.content().write("Subject: hello\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
            committed = draft.commit();
        }
        assertThat(queue.ids()).containsExactly(envelope.id());
        QueueEntry loaded = queue.load(envelope.id()).orElseThrow();
        assertThat(loaded).isEqualTo(committed);
        assertThat(loaded.contentSize()).isEqualTo(24);
        assertThat(loaded.state()).isEqualTo(DeliveryState.initial(envelope));
        try (InputStream content = queue.openContent(loaded)) {
            assertThat(new String(content.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("Subject: hello\r\n\r\nbody\r\n");
        }
    }

    @Test
    void aDraftNotCommittedLeavesNothing() throws Exception {
        MailQueue queue = MailQueue.open(dir);
        try (MailQueue.Draft draft = queue.create(QueueFileFormatTest.envelope())) {
            draft.content().write("half a messa".getBytes(StandardCharsets.US_ASCII));
            assertThat(queue.ids()).isEmpty(); // not visible while written
        }
        assertThat(queue.ids()).isEmpty();
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
    }

    @Test
    void recoveryRemovesWhatACrashLeftHalfDone() throws Exception {
        MailQueue queue = MailQueue.open(dir);
        Envelope envelope = QueueFileFormatTest.envelope();
        // A crash in the middle of writing, and a state whose message is gone.
        Files.writeString(dir.resolve("tmp").resolve(envelope.id()), "CARTERO-QUEUE 1\narri");
        Files.writeString(dir.resolve("state").resolve(QueueId.next()), "CARTERO-STATE 1\n");
        MailQueue.open(dir).recover();
        assertThat(dir.resolve("tmp")).isEmptyDirectory();
        assertThat(dir.resolve("state")).isEmptyDirectory();
        assertThat(queue.ids()).isEmpty();
    }

    @Test
    void theStateIsReplacedDurablyAndRemovedWithTheMessage() throws Exception {
        MailQueue queue = MailQueue.open(dir);
        Envelope envelope = QueueFileFormatTest.envelope();
        try (MailQueue.Draft draft = queue.create(envelope)) {
            draft.commit();
        }
        DeliveryState state = DeliveryState.initial(envelope)
                .withRecipient(0, new RecipientState(RecipientState.Status.SENT, Optional.of(Instant.ofEpochMilli(7)),
                        Optional.of("2.0.0"), Optional.empty(), Optional.empty()))
                .afterAttempt(Instant.ofEpochMilli(99));
        queue.saveState(envelope.id(), state);
        assertThat(queue.load(envelope.id()).orElseThrow().state()).isEqualTo(state);
        assertThat(queue.remove(envelope.id())).isTrue();
        assertThat(queue.load(envelope.id())).isEmpty();
        assertThat(dir.resolve("state")).isEmptyDirectory();
        assertThat(queue.remove(envelope.id())).isFalse();
    }

    @Test
    void theMaildropLetsEveryoneDropButNobodyLook() throws Exception {
        MailQueue queue = MailQueue.open(dir);
        assertThat(Files.getAttribute(queue.maildrop(), "unix:mode")).isEqualTo(041733);
        for (String sub : List.of("messages", "state", "tmp", "control")) {
            assertThat(Files.getAttribute(dir.resolve(sub), "unix:mode")).isEqualTo(040700);
        }
    }
}
