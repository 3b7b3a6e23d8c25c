package org.cartero.core.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slows down password guessing, per client IP and per user name. Each key counts its failures
 * in a window that starts with its first failure and lasts {@code window}. Once a key has
 * {@code failuresBeforeDelay} failures, every further attempt waits first (half a second,
 * doubling with each failure, at most {@link #MAX_DELAY}); once it has {@code maxFailures}, attempts
 * are refused without a check until its window has passed. A success resets the user's count,
 * not the client's (an attacker's own account must not reset the count of the IP it guesses
 * from). Thread-safe.
 */
final class BruteForceBrake {

    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);
    /** Forgotten windows are swept out every so many failures. */
    private static final int SWEEP_EVERY = 1024;

    /** What to do with the next attempt: refuse it, or check it after {@code delay}. */
    record Decision(boolean refused, Duration delay) {}

    private record Failures(Instant since, int count) {}

    private final int failuresBeforeDelay;
    private final int maxFailures;
    private final Duration window;
    private final InstantSource clock;
    private final ConcurrentHashMap<String, Failures> byClient = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Failures> byUser = new ConcurrentHashMap<>();
    private final AtomicLong recorded = new AtomicLong();

    BruteForceBrake(int failuresBeforeDelay, int maxFailures, Duration window, InstantSource clock) {
        this.failuresBeforeDelay = failuresBeforeDelay;
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
    }

    Decision check(String client, String user) {
        Instant now = clock.instant();
        int failures = Math.max(count(byClient, client, now), count(byUser, user, now));
        if (failures >= maxFailures) return new Decision(true, Duration.ZERO);
        if (failures < failuresBeforeDelay) return new Decision(false, Duration.ZERO);
        int doublings = Math.min(failures - failuresBeforeDelay, 16);
        Duration delay = FIRST_DELAY.multipliedBy(1L << doublings);
        return new Decision(false, delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
    }

    void failed(String client, String user) {
        Instant now = clock.instant();
        record(byClient, client, now);
        record(byUser, user, now);
        if (recorded.incrementAndGet() % SWEEP_EVERY == 0) {
            byClient.values().removeIf(f -> expired(f, now));
            byUser.values().removeIf(f -> expired(f, now));
        }
    }

    void succeeded(String user) {
        byUser.remove(user);
    }

    private int count(ConcurrentHashMap<String, Failures> map, String key, Instant now) {
        Failures f = map.get(key);
        return f == null || expired(f, now) ? 0 : f.count();
    }

    private void record(ConcurrentHashMap<String, Failures> map, String key, Instant now) {
        map.compute(key, (k, f) -> f == null || expired(f, now) ? new Failures(now, 1) : new Failures(f.since(), f.count() + 1));
    }

    private boolean expired(Failures f, Instant now) {
        return !now.isBefore(f.since().plus(window));
    }
}
