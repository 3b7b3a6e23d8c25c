package org.cartero.smtp.client;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.cartero.smtp.client.RecipientOutcome.Deferred;
import org.cartero.smtp.client.RecipientOutcome.Delivered;
import org.cartero.smtp.client.RecipientOutcome.Failed;
import org.cartero.smtp.protocol.Reply;

/**
 * What has become of each recipient of one delivery so far, as the client works through the mail
 * hosts: settled (delivered or failed for good) or still pending, with the problems met on the way.
 * A pending recipient that is left when every host was tried is deferred with its most telling
 * temporary problem, or failed when every problem it met was permanent (no host had an address).
 */
final class DeliveryLedger {

    private final List<RemoteRecipient> recipients;
    private final Map<RemoteRecipient, RecipientOutcome> settled = new IdentityHashMap<>();
    private final Map<RemoteRecipient, Problem> temporary = new IdentityHashMap<>();
    private final Map<RemoteRecipient, Problem> permanent = new IdentityHashMap<>();

    DeliveryLedger(List<RemoteRecipient> recipients) {
        this.recipients = recipients;
    }

    /** The recipients not settled yet, in the order of the request. */
    List<RemoteRecipient> pending() {
        return recipients.stream().filter(r -> !settled.containsKey(r)).toList();
    }

    boolean done() {
        return settled.size() == recipients.size();
    }

    void delivered(RemoteRecipient recipient, RemoteHost host, Reply reply, boolean dsnSupported) {
        settled.put(recipient, new Delivered(recipient, host, reply, dsnSupported));
    }

    /** A permanent problem settles the recipient; a temporary one leaves it for the next host. */
    void problem(RemoteRecipient recipient, Problem problem) {
        if (problem.permanent()) {
            settled.put(recipient, new Failed(recipient, problem));
        } else {
            remember(recipient, problem);
        }
    }

    /** Every pending recipient met this problem. */
    void problemForAll(Problem problem) {
        pending().forEach(r -> problem(r, problem));
    }

    /**
     * Every pending recipient met a permanent problem at one host (it has no address) that other
     * hosts may not have: they stay pending, and fail only if nothing better turns up.
     */
    void hostUnusable(Problem problem) {
        pending().forEach(r -> permanent.put(r, problem));
    }

    /** Every recipient's outcome, in the order of the request. */
    List<RecipientOutcome> outcomes() {
        return recipients.stream().map(r -> {
            RecipientOutcome outcome = settled.get(r);
            if (outcome != null) return outcome;
            Problem problem = temporary.get(r);
            if (problem != null) return (RecipientOutcome) new Deferred(r, problem);
            return new Failed(r, permanent.get(r));
        }).toList();
    }

    /** A server's own reply says more than a broken connection: it is kept over a later problem without one. */
    private void remember(RemoteRecipient recipient, Problem problem) {
        Problem earlier = temporary.get(recipient);
        if (earlier == null || problem.reply().isPresent() || earlier.reply().isEmpty()) temporary.put(recipient, problem);
    }
}
