package org.cartero.smtp.queue;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.cartero.core.directory.Account;
import org.cartero.core.mail.MailAddress;
import org.cartero.store.MailStore;
import org.cartero.store.delivery.DeliveryException;
import org.cartero.store.delivery.LocalDelivery;

/**
 * Local delivery with group commit: deliveries to one mailbox that wait at the same moment are
 * committed in one store transaction (one index commit, one round of fsyncs), which costs a
 * third of committing them one by one. The first delivery for a mailbox commits; those arriving
 * meanwhile wait, and the first of them commits them all next, so no thread commits for others
 * longer than for one group. A delivery to a busy mailbox (one that had a commit within the
 * last {@link #BUSY_WINDOW_NANOS}) waits {@link #LINGER} first, for others to join it; a
 * delivery to a quiet mailbox is never held back. When a group fails (a quota that only part of
 * it exceeds, say), each of its messages is delivered alone, which tells every one of them
 * precisely why. The store's {@link LocalDelivery} writes the messages and their trace fields
 * either way. Thread-safe.
 */
final class MailboxDelivery {
    /** The most messages one commit takes. */
    private static final int MAX_GROUP = 64;
    /** How long a delivery to a busy mailbox waits for others to commit with it. */
    static final Duration LINGER = Duration.ofMillis(20);
    private static final long BUSY_WINDOW_NANOS = Duration.ofMillis(200).toNanos();
    /** Mailboxes remembered as recently busy; beyond this many the memory is cleared. */
    private static final int MAX_REMEMBERED = 10_000;

    /** One message waiting for its mailbox: {@code done} when it is delivered (or failed), {@code lead} when it is its turn to commit. */
    private record Request(Account account, QueueEntry entry, MailAddress recipient, String returnPath,
                           CompletableFuture<Void> done, CompletableFuture<Void> lead) {}

    private final MailQueue queue;
    private final LocalDelivery delivery;
    private final ConcurrentHashMap<String, List<Request>> waiting = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> lastCommit = new ConcurrentHashMap<>();

    MailboxDelivery(MailStore store, MailQueue queue) {
        this.queue = queue;
        this.delivery = new LocalDelivery(store);
    }

    /**
     * Delivers the queued message to {@code account}'s INBOX; returns once it is durable there.
     *
     * @param returnPath the envelope sender, "" for the null sender
     * @throws DeliveryException when it could not be delivered (temporary or not)
     */
    void deliver(Account account, QueueEntry entry, MailAddress recipient, String returnPath)
            throws DeliveryException, InterruptedException {
        Request request = new Request(account, entry, recipient, returnPath, new CompletableFuture<>(), new CompletableFuture<>());
        if (!enqueue(request)) {
            try {
                CompletableFuture.anyOf(request.done(), request.lead()).get();
            } catch (ExecutionException e) {
                // done failed: reported below
            }
        }
        if (!request.done().isDone()) {
            if (isBusy(account.name())) Thread.sleep(LINGER);
            commitGroupAndHandOver(account.name());
        }
        try {
            request.done().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DeliveryException d) throw d;
            throw new DeliveryException(true, "4.3.0", "local delivery failed: " + e.getCause(), e.getCause());
        }
    }

    /** Adds the request to its mailbox's waiting list; true when it is the first there, and so commits next. */
    private boolean enqueue(Request request) {
        boolean[] first = new boolean[1];
        waiting.compute(request.account().name(), (key, list) -> {
            if (list == null) {
                first[0] = true;
                list = new ArrayList<>();
            }
            list.add(request);
            return list;
        });
        return first[0];
    }

    /**
     * Commits the first group waiting for the mailbox (the caller's request, first in line, among
     * them), then passes the turn to the first request still waiting, if any.
     */
    private void commitGroupAndHandOver(String mailbox) {
        List<Request> group = new ArrayList<>();
        waiting.computeIfPresent(mailbox, (key, list) -> {
            int n = Math.min(list.size(), MAX_GROUP);
            group.addAll(list.subList(0, n));
            list.subList(0, n).clear();
            return list;
        });
        try {
            commit(group);
        } finally {
            if (lastCommit.size() > MAX_REMEMBERED) lastCommit.clear();
            lastCommit.put(mailbox, System.nanoTime());
            waiting.compute(mailbox, (key, list) -> {
                if (list == null || list.isEmpty()) return null;
                list.getFirst().lead().complete(null);
                return list;
            });
        }
    }

    private boolean isBusy(String mailbox) {
        Long last = lastCommit.get(mailbox);
        return last != null && System.nanoTime() - last < BUSY_WINDOW_NANOS;
    }

    private void commit(List<Request> group) {
        if (group.size() > 1 && commitTogether(group)) return;
        for (Request r : group) {
            try (InputStream content = queue.openContent(r.entry())) {
                delivery.deliver(content, r.account(), r.recipient(), r.returnPath());
                r.done().complete(null);
            } catch (DeliveryException e) {
                r.done().completeExceptionally(e);
            } catch (IOException | RuntimeException e) {
                r.done().completeExceptionally(new DeliveryException(true, "4.3.0",
                        "cannot read the queued message: " + e.getMessage(), e));
            }
        }
    }

    /** One transaction for the whole group; false (nothing delivered) when anything fails. */
    private boolean commitTogether(List<Request> group) {
        List<InputStream> opened = new ArrayList<>(group.size());
        try {
            List<LocalDelivery.Incoming> messages = new ArrayList<>(group.size());
            for (Request r : group) {
                InputStream content = queue.openContent(r.entry());
                opened.add(content);
                messages.add(new LocalDelivery.Incoming(content, r.recipient(), r.returnPath()));
            }
            delivery.deliverAll(group.getFirst().account(), messages);
        } catch (IOException | RuntimeException e) {
            return false;
        } finally {
            for (InputStream in : opened) {
                try {
                    in.close();
                } catch (IOException e) {
                    // a read-only file: nothing was lost
                }
            }
        }
        group.forEach(r -> r.done().complete(null));
        return true;
    }
}
