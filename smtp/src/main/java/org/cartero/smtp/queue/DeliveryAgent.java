package org.cartero.smtp.queue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.Directory;
import org.cartero.core.directory.DirectoryException;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.SmtpSettings;
import org.cartero.smtp.dsn.DsnWriter;
import org.cartero.smtp.dsn.DsnWriter.Action;
import org.cartero.smtp.dsn.DsnWriter.Kind;
import org.cartero.smtp.dsn.DsnWriter.RecipientReport;
import org.cartero.smtp.protocol.MailParameters.Ret;
import org.cartero.smtp.protocol.RcptParameters.Notify;
import org.cartero.smtp.protocol.Reply;
import org.cartero.smtp.queue.DeliveryState.RecipientState;
import org.cartero.smtp.queue.DeliveryState.RecipientState.Status;
import org.cartero.smtp.queue.RemoteTransport.Outcome;
import org.cartero.smtp.routing.Route;
import org.cartero.smtp.routing.Router;
import org.cartero.smtp.srs.Srs;
import org.cartero.store.MailStore;
import org.cartero.store.delivery.DeliveryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery attempt for one queued message: every pending recipient is tried — a mailbox here
 * through the store, other servers through the {@link RemoteTransport} (one call per domain) —
 * and the outcomes decide what comes next:
 *
 * <ul>
 *   <li>delivered or failed for good: the recipient is done; a failure is reported to the sender
 *       (RFC 3464 DSN) unless NOTIFY says otherwise, a success when NOTIFY=SUCCESS asks for it;
 *   <li>failed for now: retried after a growing delay ({@link RetrySchedule}); once the message is
 *       older than {@code queue_lifetime} it fails for good, and at {@code delay_warning} the
 *       sender is told once that it is late;
 *   <li>when nobody is pending the message leaves the queue, else its state is saved durably.
 * </ul>
 *
 * Notifications never go to the null sender (RFC 5321 section 4.5.5), so a bounce cannot bounce.
 * Mail forwarded by an alias leaves with its sender rewritten by SRS. Thread-safe.
 */
public final class DeliveryAgent {
    private static final Logger log = LoggerFactory.getLogger(DeliveryAgent.class);
    /** The diagnostic type of failures found here rather than reported by another server's SMTP reply. */
    static final String LOCAL_DIAGNOSTIC = "X-Cartero; ";

    /** The message with its new state (empty when it has left the queue) and the notifications it caused. */
    public record Result(Optional<QueueEntry> remaining, List<QueueEntry> notifications) {}

    private final MailQueue queue;
    private final Directory directory;
    private final MailboxDelivery mailboxes;
    private final RemoteTransport transport;
    private final Router router;
    private final Srs srs;
    private final SmtpSettings settings;
    private final RetrySchedule retries;
    private final String hostname;
    private final InstantSource clock;

    public DeliveryAgent(MailQueue queue, Directory directory, MailStore store, RemoteTransport transport,
                         Router router, Srs srs, SmtpSettings settings, String hostname, InstantSource clock) {
        this.queue = queue;
        this.directory = directory;
        this.mailboxes = new MailboxDelivery(store, queue);
        this.transport = transport;
        this.router = router;
        this.srs = srs;
        this.settings = settings;
        this.retries = new RetrySchedule(settings.retryMin(), settings.retryMax());
        this.hostname = hostname;
        this.clock = clock;
    }

    public Result attempt(QueueEntry entry) throws IOException, InterruptedException {
        Envelope envelope = entry.envelope();
        Instant now = clock.instant();
        Progress progress = new Progress(entry.state());
        for (Map.Entry<Integer, Outcome> outcome : tryPending(entry).entrySet()) {
            progress.record(envelope, outcome.getKey(), outcome.getValue(), now);
        }
        Instant expiry = envelope.arrival().plus(settings.queueLifetime());
        if (!progress.state.finished() && !now.isBefore(expiry)) {
            progress.expire(envelope, now);
        } else if (!progress.state.finished() && !progress.state.delayWarned() && !settings.delayWarning().isZero()
                && !now.isBefore(envelope.arrival().plus(settings.delayWarning()))) {
            progress.warnOfDelay(envelope);
        }

        List<QueueEntry> notifications = new ArrayList<>();
        notify(entry, Kind.FAILURE, progress.failures, Optional.empty()).ifPresent(notifications::add);
        notify(entry, Kind.DELAY, progress.delays, Optional.of(expiry)).ifPresent(notifications::add);
        notify(entry, Kind.SUCCESS, progress.successes, Optional.empty()).ifPresent(notifications::add);

        DeliveryState state = progress.state;
        if (state.finished()) {
            queue.remove(entry);
            log.info("{}: removed", envelope.id());
            return new Result(Optional.empty(), notifications);
        }
        state = state.afterAttempt(nextAttempt(state, envelope, now));
        return new Result(Optional.of(queue.saveState(entry, state)), notifications);
    }

    /** Tries every pending recipient: mailboxes here one by one, other servers one call per domain, at once. */
    private Map<Integer, Outcome> tryPending(QueueEntry entry) throws InterruptedException {
        Map<Integer, Outcome> outcomes = new LinkedHashMap<>();
        Map<RemoteGroup, List<Integer>> remote = new LinkedHashMap<>();
        List<Recipient> recipients = entry.envelope().recipients();
        for (int i = 0; i < recipients.size(); i++) {
            if (!entry.state().recipients().get(i).pending()) continue;
            switch (recipients.get(i).destination()) {
                case Destination.Local local -> outcomes.put(i, deliverLocally(entry, local));
                case Destination.Remote r -> remote.computeIfAbsent(
                        new RemoteGroup(r.address().domain(), r.forwarded()), k -> new ArrayList<>()).add(i);
            }
        }
        outcomes.putAll(deliverRemotely(entry, remote));
        return outcomes;
    }

    /** The state an attempt leaves, and what the sender is to be told about it. */
    private static final class Progress {
        DeliveryState state;
        final List<RecipientReport> failures = new ArrayList<>();
        final List<RecipientReport> delays = new ArrayList<>();
        final List<RecipientReport> successes = new ArrayList<>();

        Progress(DeliveryState state) {
            this.state = state;
        }

        void record(Envelope envelope, int index, Outcome outcome, Instant now) {
            Recipient recipient = envelope.recipients().get(index);
            boolean local = recipient.destination() instanceof Destination.Local;
            RecipientState result = recipientState(outcome, local, now);
            state = state.withRecipient(index, result);
            logOutcome(envelope.id(), state.attempts(), recipient, outcome, result);
            switch (outcome) {
                case Outcome.Accepted accepted -> {
                    // Sent on to a server with DSN: NOTIFY went along, that server reports success (RFC 3461 section 5.2.2).
                    if (recipient.wantsSuccessNotice() && (local || !accepted.dsnPassedOn())) {
                        successes.add(report(recipient, local ? Action.DELIVERED : Action.RELAYED, result));
                    }
                }
                case Outcome.Failed failed -> {
                    if (recipient.wantsFailureNotice()) failures.add(report(recipient, Action.FAILED, result));
                }
                case Outcome.Deferred deferred -> { }
            }
        }

        /** RFC 3463 X.4.7, delivery time expired: every pending recipient fails, the last temporary failure saying why. */
        void expire(Envelope envelope, Instant now) {
            long hours = Duration.between(envelope.arrival(), now).toHours();
            List<Recipient> recipients = envelope.recipients();
            for (int i = 0; i < recipients.size(); i++) {
                RecipientState r = state.recipients().get(i);
                if (!r.pending()) continue;
                RecipientState expired = new RecipientState(Status.FAILED, r.lastAttempt(), Optional.of("5.4.7"), r.remoteMta(),
                        Optional.of(r.diagnostic().map(d -> d + " (gave up after " + hours + " hours)")
                                .orElse(LOCAL_DIAGNOSTIC + "delivery time expired")));
                state = state.withRecipient(i, expired);
                log.info("{}: to=<{}> status=expired, returned to sender after {} attempts", envelope.id(),
                        recipients.get(i).destination().address(), state.attempts() + 1);
                if (recipients.get(i).wantsFailureNotice()) failures.add(report(recipients.get(i), Action.FAILED, expired));
            }
        }

        /** Tells the sender, once, which recipients are still waiting (NOTIFY=DELAY, or no NOTIFY). */
        void warnOfDelay(Envelope envelope) {
            List<Recipient> recipients = envelope.recipients();
            for (int i = 0; i < recipients.size(); i++) {
                RecipientState r = state.recipients().get(i);
                if (r.pending() && recipients.get(i).wantsDelayNotice()) delays.add(report(recipients.get(i), Action.DELAYED, r));
            }
            state = state.warned();
        }

        private static void logOutcome(String id, int attempts, Recipient recipient, Outcome outcome, RecipientState state) {
            String status = switch (outcome) {
                case Outcome.Accepted a -> "sent";
                case Outcome.Deferred d -> "deferred";
                case Outcome.Failed f -> "bounced";
            };
            log.info("{}: to=<{}>{} relay={} attempt={} status={} ({})", id, recipient.destination().address(),
                    recipient.address().equals(recipient.destination().address()) ? "" : " orig_to=<" + recipient.address() + ">",
                    state.remoteMta().orElse(recipient.destination() instanceof Destination.Local ? "local" : "none"),
                    attempts + 1, status, state.diagnostic().orElse(""));
        }
    }

    /** After the retry delay, but not past the moment the message expires or the delay warning is due. */
    private Instant nextAttempt(DeliveryState state, Envelope envelope, Instant now) {
        Instant next = now.plus(retries.delayAfter(state.attempts() + 1));
        Instant expiry = envelope.arrival().plus(settings.queueLifetime());
        if (next.isAfter(expiry)) next = expiry;
        if (!state.delayWarned() && !settings.delayWarning().isZero()) {
            Instant warning = envelope.arrival().plus(settings.delayWarning());
            if (warning.isAfter(now) && next.isAfter(warning)) next = warning;
        }
        return next;
    }

    // ---- Local delivery ----

    private Outcome deliverLocally(QueueEntry entry, Destination.Local local) throws InterruptedException {
        Optional<Account> account;
        try {
            account = directory.account(local.account());
        } catch (DirectoryException e) {
            return new Outcome.Deferred(Optional.empty(), Reply.of(451, "4.3.0", "the directory cannot be read: " + e.getMessage()), false);
        }
        if (account.isEmpty()) {
            return new Outcome.Failed(Optional.empty(), Reply.of(550, "5.1.1", "no such user here: " + local.account()), false);
        }
        try {
            mailboxes.deliver(account.get(), entry, local.address(), entry.envelope().senderText());
            return new Outcome.Accepted(hostname, Reply.of(250, "2.0.0", "delivered to mailbox"), false);
        } catch (DeliveryException e) {
            String code = e.enhancedStatus();
            int reply = e.temporary() ? 451 : 550;
            if (code.charAt(0) != (e.temporary() ? '4' : '5')) code = (e.temporary() ? "4" : "5") + code.substring(1);
            Reply why = Reply.of(reply, code, e.getMessage());
            return e.temporary() ? new Outcome.Deferred(Optional.empty(), why, false) : new Outcome.Failed(Optional.empty(), why, false);
        }
    }

    // ---- Remote delivery ----

    /** The recipients that go out together: one domain, and one sender (forwarded mail has its own, SRS). */
    private record RemoteGroup(String domain, boolean forwarded) {}

    private Map<Integer, Outcome> deliverRemotely(QueueEntry entry, Map<RemoteGroup, List<Integer>> groups)
            throws InterruptedException {
        Map<Integer, Outcome> outcomes = new LinkedHashMap<>();
        if (groups.isEmpty()) return outcomes;
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<RemoteGroup, Future<List<Outcome>>> running = new LinkedHashMap<>();
            for (Map.Entry<RemoteGroup, List<Integer>> group : groups.entrySet()) {
                RemoteTransport.OutboundMessage message = outbound(entry, group.getKey(), group.getValue());
                running.put(group.getKey(), executor.submit(() -> transport.deliver(message)));
            }
            for (Map.Entry<RemoteGroup, Future<List<Outcome>>> r : running.entrySet()) {
                List<Integer> indexes = groups.get(r.getKey());
                List<Outcome> results;
                try {
                    results = r.getValue().get();
                    if (results.size() != indexes.size()) {
                        throw new ExecutionException(new IllegalStateException("the transport answered for "
                                + results.size() + " of " + indexes.size() + " recipients"));
                    }
                } catch (ExecutionException e) {
                    log.error("{}: delivery to {} failed", entry.id(), r.getKey().domain(), e.getCause());
                    Outcome deferred = new Outcome.Deferred(Optional.empty(),
                            Reply.of(451, "4.3.0", "internal error delivering to " + r.getKey().domain()), false);
                    results = Collections.nCopies(indexes.size(), deferred);
                }
                for (int i = 0; i < indexes.size(); i++) outcomes.put(indexes.get(i), results.get(i));
            }
        }
        return outcomes;
    }

    private RemoteTransport.OutboundMessage outbound(QueueEntry entry, RemoteGroup group, List<Integer> indexes) {
        Envelope envelope = entry.envelope();
        List<RemoteTransport.OutboundRecipient> recipients = new ArrayList<>();
        for (int index : indexes) {
            Recipient r = envelope.recipients().get(index);
            recipients.add(new RemoteTransport.OutboundRecipient(r.destination().address(), r.notifyOn(), r.orcpt()));
        }
        // Forwarding in the sender's name would fail SPF at the next server, and its bounces must come back here: SRS.
        Optional<MailAddress> sender = group.forwarded() ? envelope.sender().map(srs::forward) : envelope.sender();
        RemoteTransport.Content content = new RemoteTransport.Content() {
            @Override
            public long size() {
                return entry.contentSize();
            }

            @Override
            public InputStream open() throws IOException {
                return queue.openContent(entry);
            }
        };
        return new RemoteTransport.OutboundMessage(envelope.id(), sender, group.domain(), recipients,
                envelope.envelopeId(), envelope.ret(), envelope.smtputf8(), envelope.body(), content);
    }

    // ---- Outcomes ----

    /** The state after {@code outcome}; a delivery here names no remote MTA. */
    private static RecipientState recipientState(Outcome outcome, boolean local, Instant now) {
        return switch (outcome) {
            case Outcome.Accepted a -> new RecipientState(Status.SENT, Optional.of(now), Optional.of(code(a.reply())),
                    local ? Optional.empty() : Optional.of(a.remoteMta()),
                    Optional.of(local ? LOCAL_DIAGNOSTIC + a.reply().text() : "smtp; " + a.reply()));
            case Outcome.Deferred d -> new RecipientState(Status.PENDING, Optional.of(now), Optional.of(code(d.reply())),
                    d.remoteMta(), Optional.of(diagnostic(d.reply(), d.fromRemote())));
            case Outcome.Failed f -> new RecipientState(Status.FAILED, Optional.of(now), Optional.of(code(f.reply())),
                    f.remoteMta(), Optional.of(diagnostic(f.reply(), f.fromRemote())));
        };
    }

    /** The reply's enhanced status code, or the plain one of its class (RFC 3463 section 3.1: X.0.0). */
    private static String code(Reply reply) {
        return reply.enhancedCode() != null ? reply.enhancedCode() : reply.code() / 100 + ".0.0";
    }

    /** RFC 3464 section 2.3.6: "smtp; " and the reply for a server's answer, our own type for ours. */
    private static String diagnostic(Reply reply, boolean fromRemote) {
        return (fromRemote ? "smtp; " : LOCAL_DIAGNOSTIC) + reply;
    }

    private static RecipientReport report(Recipient recipient, Action action, RecipientState state) {
        String status = state.code().orElse(action == Action.FAILED ? "5.0.0" : action == Action.DELAYED ? "4.0.0" : "2.0.0");
        return new RecipientReport(recipient, action, status, state.remoteMta(), state.diagnostic(), state.lastAttempt());
    }


    // ---- Notifications ----

    /**
     * Queues a notification of {@code kind} about {@code reports} to the sender of {@code entry}.
     * Empty when there is nothing to report, the sender is the null sender, or it has nowhere to go.
     */
    private Optional<QueueEntry> notify(QueueEntry entry, Kind kind, List<RecipientReport> reports,
                                        Optional<Instant> willRetryUntil) throws IOException {
        Envelope original = entry.envelope();
        if (reports.isEmpty()) return Optional.empty();
        if (original.sender().isEmpty()) {
            log.info("{}: no {} notification: the sender is the null sender", original.id(), kind.name().toLowerCase(Locale.ROOT));
            return Optional.empty();
        }
        MailAddress sender = original.sender().get();
        List<Destination> destinations;
        try {
            destinations = switch (router.route(sender)) {
                case Route.Deliver d -> d.destinations();
                case Route.Foreign f -> List.of(f.destination());
                case Route.Unknown u -> List.of();
            };
        } catch (DirectoryException e) {
            throw new IOException("cannot route the notification to " + sender + ": " + e.getMessage(), e);
        }
        if (destinations.isEmpty()) {
            log.warn("{}: no {} notification: the sender <{}> does not exist here", original.id(), kind.name().toLowerCase(Locale.ROOT), sender);
            return Optional.empty();
        }
        List<Recipient> recipients = new ArrayList<>();
        for (Destination d : destinations) {
            // A notification asks for none in turn (RFC 3461 section 6.2: its sender is null anyway).
            recipients.add(new Recipient(sender, Set.of(Notify.NEVER), Optional.empty(), d));
        }
        Instant now = clock.instant();
        Envelope envelope = new Envelope(QueueId.next(), now, Optional.empty(), recipients, Optional.empty(),
                Optional.empty(), original.smtputf8(), original.body(), Optional.empty(), "local", Optional.empty());
        // RFC 3461 section 4.3: RET applies to failures; without it the whole message goes back, if not too big.
        boolean whole = kind == Kind.FAILURE && original.ret().orElse(Ret.FULL) == Ret.FULL
                && entry.contentSize() <= settings.bounceSizeLimit();
        QueueEntry notification;
        try (MailQueue.Draft draft = queue.create(envelope); InputStream content = queue.openContent(entry)) {
            DsnWriter.write(draft.content(), kind, original, reports, hostname, envelope.id(), now, willRetryUntil,
                    new DsnWriter.Returned(whole, content));
            notification = draft.commit();
        }
        log.info("{}: sender {} notification: {}", original.id(), kind.name().toLowerCase(Locale.ROOT), envelope.id());
        return Optional.of(notification);
    }
}
