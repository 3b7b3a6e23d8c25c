package org.cartero.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.cartero.core.auth.Passwords;
import org.cartero.core.directory.Account;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.TestMta;
import org.cartero.store.delivery.DeliveryException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit into one mailbox: many deliveries at once all land, each with its own trace fields; a group that fails is retried one by one. */
class MailboxDeliveryTest {
    private static final int SENDERS = 30;

    @TempDir
    Path dir;

    private TestMta.Parts parts;
    private MailQueue queue;
    private MailboxDelivery delivery;

    @BeforeEach
    void setUp() throws Exception {
        parts = TestMta.Parts.create(dir, "");
        queue = MailQueue.open(parts.config().dataDir().resolve("queue"));
        delivery = new MailboxDelivery(parts.store(), queue);
    }

    @AfterEach
    void tearDown() throws Exception {
        queue.close();
        parts.close();
    }

    private QueueEntry queued(int n, MailAddress to) throws Exception {
        Envelope envelope = new Envelope(QueueId.next(), Instant.now(), Optional.of(MailAddress.parse("sender" + n + "@elsewhere.test")),
                List.of(new Recipient(to, Set.of(), Optional.empty(), new Destination.Local(to.toString(), to))),
                Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), "192.0.2.1", Optional.empty());
        try (MailQueue.Draft draft = queue.create(envelope)) {
            draft.content().write(("Subject: message " + n + "\r\n\r\n" + "x".repeat(100) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            return draft.commit();
        }
    }

    /** Delivers {@code SENDERS} messages to {@code to} from as many threads at once; returns the failures. */
    private List<DeliveryException> deliverAtOnce(MailAddress to) throws Exception {
        Account account = parts.directory().account(to.toString()).orElseThrow();
        List<QueueEntry> entries = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) entries.add(queued(i, to));
        ConcurrentLinkedQueue<DeliveryException> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (QueueEntry entry : entries) {
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    delivery.deliver(account, entry, to, entry.envelope().senderText());
                } catch (DeliveryException e) {
                    failures.add(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        start.countDown();
        for (Thread t : threads) t.join();
        return List.copyOf(failures);
    }

    @Test
    void manyDeliveriesAtOnceAllLandWithTheirOwnTraceFields() throws Exception {
        assertThat(deliverAtOnce(TestMta.BOB)).isEmpty();
        List<String> box = TestMta.mailbox(parts.config(), TestMta.BOB);
        assertThat(box).hasSize(SENDERS);
        for (int i = 0; i < SENDERS; i++) {
            String subject = "Subject: message " + i + "\n";
            String message = box.stream().filter(m -> m.contains(subject)).findFirst().orElseThrow();
            assertThat(message).startsWith("Return-Path: <sender" + i + "@elsewhere.test>\nDelivered-To: bob@example.test\n");
        }
    }

    @Test
    void whatDoesNotFitTheQuotaFailsForNowAndTheRestIsDelivered() throws Exception {
        MailAddress small = MailAddress.parse("small@example.test");
        parts.directory().addUser(small, Passwords.hash("x"), 1200); // room for a few messages only
        List<DeliveryException> failures = deliverAtOnce(small);
        int delivered = TestMta.mailbox(parts.config(), small).size();
        assertThat(delivered).isPositive();
        assertThat(delivered + failures.size()).isEqualTo(SENDERS);
        assertThat(failures).isNotEmpty().allSatisfy(e -> {
            assertThat(e.temporary()).isTrue();
            assertThat(e.enhancedStatus()).isEqualTo("4.2.2");
        });
    }
}
