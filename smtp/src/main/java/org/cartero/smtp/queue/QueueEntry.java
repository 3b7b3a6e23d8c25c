package org.cartero.smtp.queue;

/**
 * A message in the queue as the scheduler and {@code cartero queue list} see it: its envelope, its
 * delivery state, and where its content is kept.
 *
 * @param contentSize octets of content
 */
public record QueueEntry(Envelope envelope, DeliveryState state, long contentSize, Storage storage) {

    /** Where a queued message's content is kept. */
    public sealed interface Storage {

        /** In the message's own file, messages/ID, from {@code contentOffset}. */
        record OwnFile(long contentOffset) implements Storage {}

        /**
         * In the journal (a message in its first delivery attempt), from {@code contentOffset} of a
         * segment; also in memory while that attempt runs ({@code content} is null after a restart).
         */
        record Journaled(long segment, long contentOffset, byte[] content) implements Storage {}
    }

    public String id() {
        return envelope.id();
    }

    public QueueEntry withState(DeliveryState newState) {
        return new QueueEntry(envelope, newState, contentSize, storage);
    }
}
