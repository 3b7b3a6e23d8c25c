package org.cartero.server;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (Ctrl-C) as an event the long-running commands wait for, so they can stop
 * gracefully and exit 0 instead of being killed. Installed before the server starts, so a signal
 * that arrives while it starts is not lost.
 */
final class StopSignal {
    private static final Logger log = LoggerFactory.getLogger(StopSignal.class);
    private final CountDownLatch received = new CountDownLatch(1);

    private StopSignal() {}

    static StopSignal install() {
        StopSignal stop = new StopSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                log.info("SIG{} received: stopping", signal.getName());
                stop.received.countDown();
            });
        }
        return stop;
    }

    void await() throws InterruptedException {
        received.await();
    }
}
