package org.cartero.smtp.client;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * How many deliveries may talk to one destination at once, and to all together. A delivery waits
 * for its turn (first come, first served), so a busy destination holds up only its own mail.
 */
final class DestinationLimits {

    /** A turn to deliver, given back by closing it. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Gate {
        final Semaphore turns;
        int users;

        Gate(int turns) {
            this.turns = new Semaphore(turns, true);
        }
    }

    private final int perDestination;
    private final Semaphore overall;
    private final Map<String, Gate> gates = new HashMap<>(); // guarded by this; a destination no one uses is dropped

    DestinationLimits(int perDestination, int overall) {
        this.perDestination = perDestination;
        this.overall = new Semaphore(overall, true);
    }

    /** Waits for a turn at the destination, then for one overall. */
    Permit acquire(String destination) throws InterruptedException {
        Gate gate;
        synchronized (this) {
            gate = gates.computeIfAbsent(destination, d -> new Gate(perDestination));
            gate.users++;
        }
        try {
            gate.turns.acquire();
            try {
                overall.acquire();
            } catch (InterruptedException e) {
                gate.turns.release();
                throw e;
            }
        } catch (InterruptedException e) {
            leave(destination, gate);
            throw e;
        }
        return () -> {
            overall.release();
            gate.turns.release();
            leave(destination, gate);
        };
    }

    /** The destinations somebody holds or waits for (for tests). */
    synchronized int destinations() {
        return gates.size();
    }

    private synchronized void leave(String destination, Gate gate) {
        if (--gate.users == 0) gates.remove(destination);
    }
}
