package org.cartero.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.queue.DeliveryState.RecipientState;
import org.cartero.smtp.queue.QueueEntry.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue on disk: written whole or not at all, read back after a restart, updated and removed. */
class MailQueueTest {
    private static final String SMALL = "Subject: hello\r\n\r\nbody\r\n";

    @TempDir
    Path dir;

    private static Envelope envelope() {
        return new Envelope(QueueId.next(), Instant.ofEpochMilli(1_764_170_000_000L), Optional.of(MailAddress.parse("a@example.test")),
                List.of(new Recipient(MailAddress.parse("b@example.test"), Set.of(), Optional.empty(),
                        new Destination.Local("b@example.test", MailAddress.parse("b@example.test")))),
                Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), "192.0.2.1", Optional.empty());
    }

    private static QueueEntry commit(MailQueue queue, Envelope envelope, byte[] content) throws Exception {
        try (MailQueue.Draft draft = queue.create(envelope)) {
            draft.content().write(content);
            return draft.commit();
        }
    }

    private static String content(MailQueue queue, QueueEntry entry) throws Exception {
        try (InputStream in = queue.openContent(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aSmallMessageGoesToTheJournalAndIsThereAfterARestart() throws Exception {
        Envelope envelope = envelope();
        try (MailQueue queue = MailQueue.open(dir)) {
            QueueEntry entry = commit(queue, envelope, SMALL.getBytes(StandardCharsets.US_ASCII));
            assertThat(entry.storage()).isInstanceOf(Storage.Journaled.class);
            assertThat(queue.ids()).containsExactly(envelope.id());
            assertThat(content(queue, entry)).isEqualTo(SMALL);
        }
        try (MailQueue queue = MailQueue.open(dir)) {
            QueueEntry entry = queue.load(envelope.id()).orElseThrow();
            assertThat(entry.envelope()).isEqualTo(envelope);
            assertThat(entry.state()).isEqualTo(DeliveryState.initial(envelope));
            assertThat(content(queue, entry)).isEqualTo(SMALL);
        }
    }

    @Test
    void aLargeMessageGetsAFileOfItsOwn() throws Exception {
        byte[] large = new byte[MailQueue.JOURNAL_MESSAGE_LIMIT + 1];
        java.util.Arrays.fill(large, (byte) 'x');
        Envelope envelope = envelope();
        try (MailQueue queue = MailQueue.open(dir)) {
            QueueEntry entry = commit(queue, envelope, large);
            assertThat(entry.storage()).isInstanceOf(Storage.OwnFile.class);
            assertThat(dir.resolve("messages").resolve(envelope.id())).exists();
            assertThat(queue.load(envelope.id()).orElseThrow()).isEqualTo(entry);
            assertThat(content(queue, entry)).hasSize(large.length);
        }
    }

    @Test
    void aDraftNotCommittedLeavesNothing() throws Exception {
        try (MailQueue queue = MailQueue.open(dir)) {
            try (MailQueue.Draft draft = queue.create(envelope())) {
                draft.content().write(new byte[MailQueue.JOURNAL_MESSAGE_LIMIT * 2]); // into a file under tmp/
                assertThat(queue.ids()).isEmpty(); // not visible while written
            }
            try (MailQueue.Draft draft = queue.create(envelope())) {
                draft.content().write("half a messa".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(queue.ids()).isEmpty();
            assertThat(dir.resolve("tmp")).isEmptyDirectory();
        }
        try (MailQueue queue = MailQueue.open(dir)) {
            assertThat(queue.ids()).isEmpty();
        }
    }

    @Test
    void aJournalRecordCutShortIsNotThereAfterACrash() throws Exception {
        Envelope kept = envelope();
        try (MailQueue queue = MailQueue.open(dir)) {
            commit(queue, kept, SMALL.getBytes(StandardCharsets.US_ASCII));
        }
        // A crash in the middle of the next append: a record header and part of its payload.
        Path segment;
        try (var files = Files.list(dir.resolve("journal"))) {
            segment = files.sorted(Collections.reverseOrder()).filter(f -> {
                try {
                    return Files.size(f) > 0;
                } catch (java.io.IOException e) {
                    return false;
                }
            }).findFirst().orElseThrow();
        }
        byte[] torn = java.nio.ByteBuffer.allocate(40).putInt(Journal.MAGIC).put(Journal.MESSAGE).putInt(500).putInt(1234)
                .put(QueueId.next().getBytes(StandardCharsets.US_ASCII)).array();
        Files.write(segment, torn, StandardOpenOption.APPEND);
        try (MailQueue queue = MailQueue.open(dir)) {
            assertThat(queue.ids()).containsExactly(kept.id());
            assertThat(content(queue, queue.load(kept.id()).orElseThrow())).isEqualTo(SMALL);
        }
    }

    @Test
    void recoveryRemovesWhatACrashLeftHalfDone() throws Exception {
        MailQueue.open(dir).close();
        Files.writeString(dir.resolve("tmp").resolve(QueueId.next()), "CARTERO-QUEUE 1\narri");
        Files.writeString(dir.resolve("state").resolve(QueueId.next()), "CARTERO-STATE 1\n");
        try (MailQueue queue = MailQueue.open(dir)) {
            assertThat(dir.resolve("tmp")).isEmptyDirectory();
            assertThat(dir.resolve("state")).isEmptyDirectory();
            assertThat(queue.ids()).isEmpty();
        }
    }

    @Test
    void aMessageThatMustWaitMovesToItsOwnFileWithItsState() throws Exception {
        Envelope envelope = envelope();
        DeliveryState state = DeliveryState.initial(envelope)
                .withRecipient(0, new RecipientState(RecipientState.Status.PENDING, Optional.of(Instant.ofEpochMilli(7)),
                        Optional.of("4.2.2"), Optional.empty(), Optional.of("X-Cartero; 451 4.2.2 mailbox full")))
                .afterAttempt(Instant.ofEpochMilli(99));
        try (MailQueue queue = MailQueue.open(dir)) {
            QueueEntry entry = commit(queue, envelope, SMALL.getBytes(StandardCharsets.US_ASCII));
            QueueEntry saved = queue.saveState(entry, state);
            assertThat(saved.storage()).isInstanceOf(Storage.OwnFile.class);
            assertThat(queue.load(envelope.id()).orElseThrow()).isEqualTo(saved);
        }
        try (MailQueue queue = MailQueue.open(dir)) {
            QueueEntry entry = queue.load(envelope.id()).orElseThrow();
            assertThat(entry.storage()).isInstanceOf(Storage.OwnFile.class);
            assertThat(entry.state()).isEqualTo(state);
            assertThat(content(queue, entry)).isEqualTo(SMALL);
            assertThat(queue.ids()).containsExactly(envelope.id()); // once, not also from the journal
            queue.remove(entry);
            assertThat(queue.load(envelope.id())).isEmpty();
            assertThat(dir.resolve("state")).isEmptyDirectory();
        }
    }

    @Test
    void removedMessagesStayRemovedAndEmptySegmentsAreDeleted() throws Exception {
        List<String> ids = new ArrayList<>();
        try (MailQueue queue = MailQueue.open(dir)) {
            for (int i = 0; i < 3; i++) {
                Envelope e = envelope();
                ids.add(e.id());
                QueueEntry entry = commit(queue, e, SMALL.getBytes(StandardCharsets.US_ASCII));
                if (i < 2) queue.remove(entry);
            }
            assertThat(queue.delete(ids.get(2))).isTrue();
            assertThat(queue.delete(ids.get(2))).isFalse();
        }
        try (MailQueue queue = MailQueue.open(dir)) {
            assertThat(queue.ids()).isEmpty();
        }
        try (var segments = Files.list(dir.resolve("journal"))) {
            assertThat(segments.count()).isEqualTo(1); // only the one being written
        }
    }

    @Test
    void concurrentWritersAllGetTheirMessagesDurable() throws Exception {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        try (MailQueue queue = MailQueue.open(dir)) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                writers.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 25; i++) {
                            Envelope e = envelope();
                            commit(queue, e, (SMALL + e.id()).getBytes(StandardCharsets.US_ASCII));
                            ids.add(e.id());
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (Thread w : writers) w.join();
        }
        try (MailQueue queue = MailQueue.open(dir)) {
            assertThat(queue.ids()).containsExactlyInAnyOrderElementsOf(ids);
            for (String id : ids) assertThat(content(queue, queue.load(id).orElseThrow())).endsWith(id);
        }
    }

    @Test
    void oneProcessOwnsTheQueueAndOthersMayLookIn() throws Exception {
        Envelope envelope = envelope();
        try (MailQueue owner = MailQueue.open(dir)) {
            commit(owner, envelope, SMALL.getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> MailQueue.open(dir)).isInstanceOf(MailQueue.QueueBusyException.class);
            MailQueue look = MailQueue.inspect(dir);
            assertThat(look.ids()).containsExactly(envelope.id());
            assertThat(content(look, look.load(envelope.id()).orElseThrow())).isEqualTo(SMALL);
            assertThatThrownBy(() -> look.delete(envelope.id())).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void theMaildropLetsEveryoneDropButNobodyLook() throws Exception {
        try (MailQueue queue = MailQueue.open(dir)) {
            assertThat(Files.getAttribute(queue.maildrop(), "unix:mode")).isEqualTo(041733);
            for (String sub : List.of("messages", "state", "tmp", "control", "journal")) {
                assertThat(Files.getAttribute(dir.resolve(sub), "unix:mode")).isEqualTo(040700);
            }
        }
    }
}
