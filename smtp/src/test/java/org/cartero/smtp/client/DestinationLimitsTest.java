package org.cartero.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class DestinationLimitsTest {

    @Test
    void aDestinationAtItsLimitMakesTheNextDeliveryWaitForATurn() throws Exception {
        DestinationLimits limits = new DestinationLimits(2, 10);
        DestinationLimits.Permit first = limits.acquire("example.org");
        DestinationLimits.Permit second = limits.acquire("example.org");
        AtomicBoolean thirdGotATurn = new AtomicBoolean();

        Thread third = Thread.ofVirtual().start(() -> {
            try (DestinationLimits.Permit turn = limits.acquire("example.org")) {
                thirdGotATurn.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waitUntilBlockedOrDone(third);
        // another destination is not held up
        limits.acquire("other.example").close();
        assertThat(thirdGotATurn).isFalse();

        first.close();
        third.join();
        assertThat(thirdGotATurn).isTrue();
        second.close();
        assertThat(limits.destinations()).as("nobody holds or waits for a turn").isZero();
    }

    @Test
    void theOverallLimitHoldsAcrossDestinations() throws Exception {
        DestinationLimits limits = new DestinationLimits(5, 1);
        DestinationLimits.Permit one = limits.acquire("a.example");
        Thread other = Thread.ofVirtual().start(() -> {
            try {
                limits.acquire("b.example").close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waitUntilBlockedOrDone(other);
        assertThat(other.isAlive()).as("b.example waits for the one overall turn").isTrue();
        one.close();
        other.join();
        assertThat(limits.destinations()).isZero();
    }

    @Test
    void anInterruptedWaitGivesUpItsPlace() throws Exception {
        DestinationLimits limits = new DestinationLimits(1, 10);
        DestinationLimits.Permit held = limits.acquire("example.org");
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                limits.acquire("example.org").close();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        waitUntilBlockedOrDone(waiter);
        waiter.interrupt();
        waiter.join();
        assertThat(interrupted).isTrue();
        held.close();
        assertThat(limits.destinations()).isZero();
    }

    private static void waitUntilBlockedOrDone(Thread thread) {
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TERMINATED) Thread.onSpinWait();
    }
}
