package org.cartero.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cartero.smtp.TestMta.ALICE;
import static org.cartero.smtp.TestMta.BOB;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.cartero.core.auth.Passwords;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.TestMta;
import org.cartero.smtp.TestTransport;
import org.cartero.smtp.protocol.RcptParameters.Notify;
import org.cartero.smtp.protocol.Reply;
import org.cartero.smtp.routing.Router;
import org.cartero.smtp.srs.Srs;
import org.cartero.core.config.ConfigFile;
import org.cartero.store.MailStore;
import org.cartero.store.embedded.EmbeddedMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery attempts driven one by one with a clock the test moves: retries and their delays,
 * expiry, delay warnings, the DSNs each outcome causes (read back as a mail reader reads them),
 * NOTIFY, the null sender, SRS for forwarded mail, and local delivery's own failures.
 */
class DeliveryAgentTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final MailAddress CAROL = MailAddress.parse("carol@elsewhere.test");

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(START);
    private final TestTransport transport = new TestTransport();
    private TestMta.Parts parts;
    private MailQueue queue;
    private DeliveryAgent agent;

    @BeforeEach
    void setUp() throws Exception {
        parts = TestMta.Parts.create(dir, "");
        queue = MailQueue.open(parts.config().dataDir().resolve("queue"));
        agent = agent(parts.store());
    }

    private DeliveryAgent agent(MailStore store) {
        Srs srs = new Srs("test secret".getBytes(StandardCharsets.US_ASCII), parts.config().hostname(), () -> now.get());
        Router router = new Router(parts.directory(), srs, parts.config().hostname(), "+", Optional.empty());
        return new DeliveryAgent(queue, parts.directory(), store, transport, router, srs,
                parts.settings(), parts.config().hostname(), () -> now.get());
    }

    @AfterEach
    void tearDown() throws Exception {
        queue.close();
        parts.close();
    }

    private QueueEntry enqueue(Optional<MailAddress> sender, Recipient... recipients) throws Exception {
        Envelope envelope = new Envelope(QueueId.next(), now.get(), sender, List.of(recipients), Optional.of("ENV-7"),
                Optional.empty(), false, Optional.empty(), Optional.empty(), "192.0.2.1", Optional.of("client.test"));
        try (MailQueue.Draft draft = queue.create(envelope)) {
            draft.content().write("From: alice@example.test\r\nSubject: hello\r\n\r\nthe body\r\n".getBytes(StandardCharsets.US_ASCII));
            return draft.commit();
        }
    }

    private static Recipient remote(MailAddress address, Notify... notify) {
        return new Recipient(address, Set.of(notify), Optional.empty(), new Destination.Remote(address, false));
    }

    private static Recipient local(MailAddress address) {
        return new Recipient(address, Set.of(), Optional.empty(), new Destination.Local(address.toString(), address));
    }

    /** Delivers a notification the agent queued (to a local sender) and returns it as a mail reader sees it. */
    private MimeMessage deliverNotification(QueueEntry notification, MailAddress to, int expectedCount) throws Exception {
        List<String> before = TestMta.mailbox(parts.config(), to);
        assertThat(agent.attempt(notification).remaining()).isEmpty();
        List<String> box = new java.util.ArrayList<>(TestMta.mailbox(parts.config(), to));
        assertThat(box).hasSize(expectedCount);
        box.removeAll(before);
        return new MimeMessage(Session.getInstance(new Properties()),
                new java.io.ByteArrayInputStream(box.getFirst().getBytes(StandardCharsets.UTF_8)));
    }

    private static String deliveryStatus(MimeMessage dsn) throws Exception {
        MimeMultipart parts = (MimeMultipart) dsn.getContent();
        try (InputStream in = parts.getBodyPart(1).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aTemporaryFailureIsRetriedWithGrowingDelaysUntilItWorks() throws Exception {
        transport.thenAnswer(r -> TestTransport.deferred()).thenAnswer(r -> TestTransport.deferred())
                .thenAnswer(r -> TestTransport.deferred());
        QueueEntry entry = enqueue(Optional.of(ALICE), remote(CAROL));
        List<Duration> waits = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            DeliveryAgent.Result result = agent.attempt(entry);
            assertThat(result.notifications()).isEmpty();
            entry = result.remaining().orElseThrow();
            assertThat(entry.state().recipients().getFirst().diagnostic()).contains("smtp; 451 4.2.0 greylisted, try again");
            waits.add(Duration.between(now.get(), entry.state().nextAttempt()));
            now.set(entry.state().nextAttempt());
            // What is saved is what the next start would pick up.
            assertThat(queue.load(entry.id()).orElseThrow().state()).isEqualTo(entry.state());
        }
        assertThat(waits).containsExactly(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(20));
        DeliveryAgent.Result last = agent.attempt(entry);
        assertThat(last.remaining()).isEmpty();
        assertThat(queue.ids()).isEmpty();
        assertThat(transport.sent()).hasSize(4);
    }

    @Test
    void aPermanentFailureBouncesToTheSenderWithTheDeliveryStatus() throws Exception {
        transport.thenAnswer(r -> TestTransport.failed());
        QueueEntry entry = enqueue(Optional.of(ALICE), remote(CAROL));
        DeliveryAgent.Result result = agent.attempt(entry);
        assertThat(result.remaining()).isEmpty();
        assertThat(result.notifications()).hasSize(1);
        QueueEntry bounce = result.notifications().getFirst();
        assertThat(bounce.envelope().sender()).isEmpty(); // a bounce has the null sender

        MimeMessage dsn = deliverNotification(bounce, ALICE, 1);
        assertThat(dsn.getContentType()).contains("multipart/report", "report-type=delivery-status");
        assertThat(dsn.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(deliveryStatus(dsn)).contains("Reporting-MTA: dns; mail.example.test", "Original-Envelope-Id: ENV-7",
                "Final-Recipient: rfc822; carol@elsewhere.test", "Action: failed", "Status: 5.1.1",
                "Remote-MTA: dns; mx.remote.test", "Diagnostic-Code: smtp; 550 5.1.1 no such user here", "Last-Attempt-Date: ");
        MimeMessage returned = (MimeMessage) ((MimeMultipart) dsn.getContent()).getBodyPart(2).getContent();
        assertThat(returned.getSubject()).isEqualTo("hello");
    }

    @Test
    void aMessageTooOldIsReturnedWithTheLastReason() throws Exception {
        transport.thenAnswer(r -> TestTransport.deferred());
        QueueEntry entry = enqueue(Optional.of(ALICE), remote(CAROL));
        entry = agent.attempt(entry).remaining().orElseThrow();
        now.set(START.plus(Duration.ofDays(5)));
        transport.thenAnswer(r -> new RemoteTransport.Outcome.Deferred(Optional.empty(),
                Reply.of(451, "4.4.1", "connection refused by mx.remote.test"), false));
        DeliveryAgent.Result result = agent.attempt(entry);
        assertThat(result.remaining()).isEmpty();
        MimeMessage dsn = deliverNotification(result.notifications().getFirst(), ALICE, 1);
        assertThat(deliveryStatus(dsn)).contains("Action: failed", "Status: 5.4.7",
                "Diagnostic-Code: X-Cartero; 451 4.4.1 connection refused by mx.remote.test (gave up after 120 hours)");
    }

    @Test
    void theNextAttemptNeverLiesBeyondTheExpiry() throws Exception {
        transport.thenAnswer(r -> TestTransport.deferred());
        QueueEntry entry = enqueue(Optional.of(ALICE), remote(CAROL));
        now.set(START.plus(Duration.ofDays(5)).minus(Duration.ofMinutes(1)));
        entry = agent.attempt(entry).remaining().orElseThrow();
        assertThat(entry.state().nextAttempt()).isEqualTo(START.plus(Duration.ofDays(5)));
    }

    @Test
    void theSenderIsWarnedOnceOfADelay() throws Exception {
        for (int i = 0; i < 5; i++) transport.thenAnswer(r -> TestTransport.deferred());
        QueueEntry entry = enqueue(Optional.of(ALICE), remote(CAROL));
        entry = agent.attempt(entry).remaining().orElseThrow();
        now.set(START.plus(Duration.ofHours(4)));
        DeliveryAgent.Result warned = agent.attempt(entry);
        assertThat(warned.notifications()).hasSize(1);
        entry = warned.remaining().orElseThrow();
        assertThat(entry.state().delayWarned()).isTrue();
        MimeMessage dsn = deliverNotification(warned.notifications().getFirst(), ALICE, 1);
        assertThat(dsn.getSubject()).isEqualTo("Delayed Mail (still being retried)");
        assertThat(deliveryStatus(dsn)).contains("Action: delayed", "Status: 4.2.0", "Will-Retry-Until: ");
        now.set(START.plus(Duration.ofHours(5)));
        assertThat(agent.attempt(entry).notifications()).isEmpty();
    }

    @Test
    void notifyDecidesWhatTheSenderIsTold() throws Exception {
        // NEVER: no bounce. SUCCESS to a server without DSN: "relayed". SUCCESS to one with DSN: it reports, not us.
        transport.thenAnswer(r -> TestTransport.failed());
        assertThat(agent.attempt(enqueue(Optional.of(ALICE), remote(CAROL, Notify.NEVER))).notifications()).isEmpty();

        transport.thenAnswer(r -> TestTransport.accepted());
        DeliveryAgent.Result relayed = agent.attempt(enqueue(Optional.of(ALICE), remote(CAROL, Notify.SUCCESS)));
        MimeMessage dsn = deliverNotification(relayed.notifications().getFirst(), ALICE, 1);
        assertThat(dsn.getSubject()).isEqualTo("Successful Mail Delivery Report");
        assertThat(deliveryStatus(dsn)).contains("Action: relayed", "Remote-MTA: dns; mx.remote.test");

        transport.thenAnswer(r -> new RemoteTransport.Outcome.Accepted("mx.remote.test", Reply.of(250, "2.0.0", "ok"), true));
        assertThat(agent.attempt(enqueue(Optional.of(ALICE), remote(CAROL, Notify.SUCCESS))).notifications()).isEmpty();

        DeliveryAgent.Result delivered = agent.attempt(enqueue(Optional.of(ALICE),
                new Recipient(BOB, Set.of(Notify.SUCCESS), Optional.empty(), new Destination.Local(BOB.toString(), BOB))));
        MimeMessage local = deliverNotification(delivered.notifications().getFirst(), ALICE, 2);
        assertThat(deliveryStatus(local)).contains("Action: delivered", "Final-Recipient: rfc822; bob@example.test")
                .doesNotContain("Remote-MTA");
    }

    @Test
    void theNullSenderIsNeverSentANotification() throws Exception {
        transport.thenAnswer(r -> TestTransport.failed());
        DeliveryAgent.Result result = agent.attempt(enqueue(Optional.empty(), remote(CAROL)));
        assertThat(result.remaining()).isEmpty();
        assertThat(result.notifications()).isEmpty();
    }

    @Test
    void forwardedMailLeavesWithAnSrsSenderAndDirectMailWithItsOwn() throws Exception {
        MailAddress outsider = MailAddress.parse("sender@outside.test");
        agent.attempt(enqueue(Optional.of(outsider),
                new Recipient(MailAddress.parse("list@example.test"), Set.of(), Optional.empty(), new Destination.Remote(CAROL, true)),
                remote(MailAddress.parse("dave@elsewhere.test"))));
        assertThat(transport.sent()).hasSize(2);
        var forwarded = transport.sent().stream().filter(s -> s.message().recipients().getFirst().address().equals(CAROL)).findFirst().orElseThrow();
        assertThat(forwarded.message().sender().orElseThrow().toString()).matches("SRS0=[^=]{4}=JP=outside\\.test=sender@mail\\.example\\.test");
        var direct = transport.sent().stream().filter(s -> !s.message().recipients().getFirst().address().equals(CAROL)).findFirst().orElseThrow();
        assertThat(direct.message().sender()).contains(outsider);
    }

    @Test
    void aFullMailboxIsRetriedAndAMissingOneBounces() throws Exception {
        MailAddress small = MailAddress.parse("small@example.test");
        parts.directory().addUser(small, Passwords.hash("x"), 10);
        QueueEntry entry = enqueue(Optional.of(ALICE), local(small), local(MailAddress.parse("gone@example.test")));
        DeliveryAgent.Result first = agent.attempt(entry);
        entry = first.remaining().orElseThrow();
        assertThat(entry.state().recipients().get(0).pending()).isTrue();
        assertThat(entry.state().recipients().get(0).code()).contains("4.2.2");
        assertThat(entry.state().recipients().get(1).status()).isEqualTo(DeliveryState.RecipientState.Status.FAILED);
        MimeMessage bounce = deliverNotification(first.notifications().getFirst(), ALICE, 1);
        assertThat(deliveryStatus(bounce)).contains("Final-Recipient: rfc822; gone@example.test", "Status: 5.1.1")
                .doesNotContain("small@");

        // The quota is raised; a store opened afresh sees it (the running one keeps an open account's quota for a while).
        parts.directory().removeUser(small);
        parts.directory().addUser(small, Passwords.hash("x"), 0);
        try (EmbeddedMailStore store = new EmbeddedMailStore(EmbeddedMailStore.Settings.from(parts.config(),
                ConfigFile.load(parts.config().file())))) {
            now.set(entry.state().nextAttempt());
            assertThat(agent(store).attempt(entry).remaining()).isEmpty();
        }
        assertThat(TestMta.mailbox(parts.config(), small)).hasSize(1);
    }
}
