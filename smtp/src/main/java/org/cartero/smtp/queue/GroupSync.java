package org.cartero.smtp.queue;

import java.io.IOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Group commit of fsyncs: writers that need their writes durable take a ticket, and one fsync
 * covers every ticket taken before it started. Whoever finds no fsync running runs the next one
 * itself, outside the lock, while the others wait; so under load one fsync serves many writers.
 * When an fsync fails its runner gets the exception and the others it would have covered try
 * again themselves: nobody returns without a successful one. Every method is called with the
 * owner's lock held.
 */
final class GroupSync {
    /** One fsync. */
    interface Action {
        void run() throws IOException;
    }

    private final ReentrantLock lock;
    private final Condition synced;
    private long requested; // tickets handed out
    private long completed; // every ticket up to this one is durable
    private boolean syncing;

    GroupSync(ReentrantLock lock) {
        this.lock = lock;
        this.synced = lock.newCondition();
    }

    /** A ticket for everything written so far. */
    long ticket() {
        return ++requested;
    }

    /**
     * Returns once an fsync that started after {@code ticket} was taken has succeeded.
     *
     * @param prepare called under the lock when this caller runs the fsync: what to sync
     */
    void await(long ticket, Supplier<Action> prepare) throws IOException {
        while (completed < ticket) {
            if (syncing) {
                synced.awaitUninterruptibly();
                continue;
            }
            syncing = true;
            long upTo = requested;
            Action action = prepare.get();
            boolean ok = false;
            lock.unlock();
            try {
                action.run();
                ok = true;
            } finally {
                lock.lock();
                syncing = false;
                if (ok) completed = Math.max(completed, upTo);
                synced.signalAll();
            }
        }
    }

    /** Waits until no fsync runs (the lock is released meanwhile). */
    void awaitIdle() {
        while (syncing) synced.awaitUninterruptibly();
    }

    /** Counts every ticket taken so far as durable: an fsync made otherwise has covered them. */
    void allSynced() {
        completed = requested;
    }
}
