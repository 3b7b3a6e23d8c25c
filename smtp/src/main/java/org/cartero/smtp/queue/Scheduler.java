package org.cartero.smtp.queue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the queue: every message is attempted when it is due, at most {@code delivery_concurrency}
 * at once, each on its own virtual thread. A message just accepted is due at once (and its entry
 * is handed over in memory, so the fast path reads nothing back but its content); a deferred one
 * is remembered by id and due time only, and read from disk when due, so the heap holds little
 * per waiting message. At start every message in the queue is picked up again (a crash loses
 * nothing acknowledged); {@link #flush()} makes everything due now.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    /** How long {@link #close()} waits for attempts under way. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** One waiting message; {@code entry} is kept only for a message just accepted. */
    private record Due(Instant at, String id, QueueEntry entry) {}

    private static final Comparator<Due> ORDER = Comparator.comparing(Due::at).thenComparing(Due::id);

    private final MailQueue queue;
    private final DeliveryAgent agent;
    private final InstantSource clock;
    private final int concurrency;
    private final Semaphore slots;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final TreeSet<Due> due = new TreeSet<>(ORDER);
    private final Map<String, Due> dueById = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private boolean stopping;
    private Thread dispatcher;

    public Scheduler(MailQueue queue, DeliveryAgent agent, int concurrency, InstantSource clock) {
        this.queue = queue;
        this.agent = agent;
        this.clock = clock;
        this.concurrency = concurrency;
        this.slots = new Semaphore(concurrency);
    }

    /** Picks up what the queue holds and starts delivering. */
    public void start() throws IOException {
        int count = 0;
        for (String id : queue.ids()) {
            try {
                Optional<QueueEntry> entry = queue.load(id);
                if (entry.isEmpty()) continue;
                schedule(new Due(entry.get().state().nextAttempt(), id, null));
                count++;
            } catch (IOException e) {
                log.error("{}: cannot read the queued message, setting it aside in {}/corrupt: {}", id, queue.root(), e.getMessage());
                queue.setAside(id);
            }
        }
        if (count > 0) log.info("Queue: {} messages picked up", count);
        dispatcher = Thread.ofVirtual().name("queue-scheduler").start(this::dispatch);
    }

    /** A message just made durable: deliver it at once. */
    public void submit(QueueEntry entry) {
        schedule(new Due(clock.instant(), entry.id(), entry));
    }

    /** Makes every waiting message due now (cartero queue flush). */
    public void flush() {
        lock.lock();
        try {
            Instant now = clock.instant();
            for (Due d : due) dueById.put(d.id(), new Due(now, d.id(), d.entry()));
            due.clear();
            due.addAll(dueById.values());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        log.info("Queue flushed: every message is due now");
    }

    /** Messages waiting or under way. */
    public int size() {
        lock.lock();
        try {
            return due.size() + inFlight.size();
        } finally {
            lock.unlock();
        }
    }

    private void schedule(Due d) {
        lock.lock();
        try {
            Due previous = dueById.put(d.id(), d);
            if (previous != null) due.remove(previous);
            due.add(d);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void dispatch() {
        try {
            while (true) {
                slots.acquire();
                Due next = takeDue();
                if (next == null) {
                    slots.release();
                    return;
                }
                Thread.ofVirtual().name("delivery-" + next.id()).start(() -> {
                    try {
                        run(next);
                    } finally {
                        slots.release();
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until a message is due (it is then in flight) or the scheduler stops (null). */
    private Due takeDue() throws InterruptedException {
        lock.lock();
        try {
            while (!stopping) {
                Due first = due.isEmpty() ? null : due.first();
                if (first == null) {
                    changed.await();
                    continue;
                }
                long wait = Duration.between(clock.instant(), first.at()).toNanos();
                if (wait > 0) {
                    changed.awaitNanos(wait);
                    continue;
                }
                due.pollFirst();
                dueById.remove(first.id());
                inFlight.add(first.id());
                return first;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private void run(Due d) {
        Optional<QueueEntry> remaining = Optional.empty();
        try {
            Optional<QueueEntry> entry = d.entry() != null ? Optional.of(d.entry()) : queue.load(d.id());
            if (entry.isEmpty()) {
                log.info("{}: no longer in the queue (deleted)", d.id());
                return;
            }
            DeliveryAgent.Result result = agent.attempt(entry.get());
            remaining = result.remaining();
            result.notifications().forEach(this::submit);
        } catch (IOException e) {
            log.error("{}: delivery attempt failed, retrying later: {}", d.id(), e.toString());
            remaining = Optional.empty();
            schedule(new Due(clock.instant().plus(Duration.ofMinutes(1)), d.id(), null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            schedule(new Due(clock.instant(), d.id(), null)); // picked up again at the next start
        } catch (RuntimeException e) {
            log.error("{}: delivery attempt failed, retrying later", d.id(), e);
            schedule(new Due(clock.instant().plus(Duration.ofMinutes(1)), d.id(), null));
        } finally {
            lock.lock();
            try {
                inFlight.remove(d.id());
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
        // The entry is not kept: the next attempt reads it from disk, so a waiting message costs no heap.
        remaining.ifPresent(e -> schedule(new Due(e.state().nextAttempt(), e.id(), null)));
    }

    /** Stops dispatching and waits (a while) for the attempts under way; what is left waits for the next start. */
    @Override
    public void close() {
        lock.lock();
        try {
            stopping = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (dispatcher != null) {
            dispatcher.interrupt();
            try {
                dispatcher.join(STOP_TIMEOUT);
                if (!slots.tryAcquire(concurrency, STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("Queue: deliveries still under way at shutdown; they are retried at the next start");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
