package org.cartero.smtp.queue;

import java.time.Duration;

/**
 * How long the queue waits after a failed attempt, as Postfix does: {@code min} after the first,
 * twice as long after each further one, never more than {@code max} (5, 10, 20, 40, 60, 60...
 * minutes with the defaults).
 */
public record RetrySchedule(Duration min, Duration max) {

    public RetrySchedule {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 < min <= max, got " + min + " and " + max);
        }
    }

    /** The wait after the {@code failedAttempts}-th attempt that left something to do (1 for the first). */
    public Duration delayAfter(int failedAttempts) {
        if (failedAttempts <= 1) return min;
        int doublings = Math.min(failedAttempts - 1, 40);
        Duration delay = min.multipliedBy(1L << Math.min(doublings, 30));
        return delay.compareTo(max) > 0 || delay.isNegative() ? max : delay;
    }
}
