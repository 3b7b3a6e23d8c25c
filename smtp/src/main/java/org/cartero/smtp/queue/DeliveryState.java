package org.cartero.smtp.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * How far the delivery of one queued message has come: one {@link RecipientState} per
 * {@link Envelope#recipients() recipient}, the attempts made, when the next one is due and
 * whether the sender was warned of the delay. Kept in its own file beside the message, replaced
 * atomically after every attempt that leaves something to do.
 */
public record DeliveryState(int attempts, Instant nextAttempt, boolean delayWarned, List<RecipientState> recipients) {

    public DeliveryState {
        recipients = List.copyOf(recipients);
    }

    /** A message just accepted: every recipient pending, the first attempt due at once. */
    public static DeliveryState initial(Envelope envelope) {
        return new DeliveryState(0, envelope.arrival(), false,
                Collections.nCopies(envelope.recipients().size(), RecipientState.PENDING));
    }

    /** True when no recipient is pending: the message can leave the queue. */
    public boolean finished() {
        return recipients.stream().noneMatch(RecipientState::pending);
    }

    public DeliveryState withRecipient(int index, RecipientState state) {
        List<RecipientState> changed = new ArrayList<>(recipients);
        changed.set(index, state);
        return new DeliveryState(attempts, nextAttempt, delayWarned, changed);
    }

    public DeliveryState afterAttempt(Instant next) {
        return new DeliveryState(attempts + 1, next, delayWarned, recipients);
    }

    public DeliveryState warned() {
        return new DeliveryState(attempts, nextAttempt, true, recipients);
    }

    public DeliveryState dueAt(Instant next) {
        return new DeliveryState(attempts, next, delayWarned, recipients);
    }

    /**
     * One recipient's progress.
     *
     * @param status      pending, sent (delivered here or accepted by the next server) or failed for good
     * @param lastAttempt when it was last tried
     * @param code        the enhanced status code of the last outcome (RFC 3463), e.g. "4.2.2"
     * @param remoteMta   the server that gave the last answer, for a remote delivery
     * @param diagnostic  the last answer as a DSN's Diagnostic-Code gives it, e.g. "smtp; 550 5.1.1 No such user"
     */
    public record RecipientState(Status status, Optional<Instant> lastAttempt, Optional<String> code,
                                 Optional<String> remoteMta, Optional<String> diagnostic) {

        public static final RecipientState PENDING = new RecipientState(Status.PENDING, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());

        public enum Status { PENDING, SENT, FAILED }

        public boolean pending() {
            return status == Status.PENDING;
        }
    }
}
