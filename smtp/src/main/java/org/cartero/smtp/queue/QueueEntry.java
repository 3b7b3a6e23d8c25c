package org.cartero.smtp.queue;

/**
 * A message in the queue as the scheduler and {@code cartero queue list} see it: its envelope, its
 * delivery state, and where its content lies in the message file.
 *
 * @param contentOffset the octet of the message file where the content starts
 * @param contentSize   octets of content
 */
public record QueueEntry(Envelope envelope, DeliveryState state, long contentOffset, long contentSize) {

    public String id() {
        return envelope.id();
    }

    public QueueEntry withState(DeliveryState newState) {
        return new QueueEntry(envelope, newState, contentOffset, contentSize);
    }
}
