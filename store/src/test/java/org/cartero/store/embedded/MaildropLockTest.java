package org.cartero.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cartero.store.embedded.StoreFixture.message;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.cartero.core.directory.LocalAccount;
import org.cartero.core.testing.ForeignLock;
import org.cartero.store.AccountStore;
import org.cartero.store.MailboxLockedException;
import org.cartero.store.MaildropLock;
import org.cartero.store.delivery.LocalDelivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The POP3 maildrop lock of a spool mbox (RFC 1939 section 8) does not wait for another holder,
 * however long the store's lock timeout, while a delivery does. The timeout here is ten minutes,
 * so an attempt that waited would hang: each test has a one-minute guard that fails it then.
 */
@SuppressWarnings("try") // locks held for a block
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MaildropLockTest {
    @TempDir Path tmp;
    StoreFixture fx;
    LocalAccount bob;
    Path spool;
    Path dotlock;

    @BeforeEach
    void setUp() throws Exception {
        fx = new StoreFixture(tmp, Duration.ofMinutes(10));
        bob = fx.bob();
        spool = fx.spoolDir.resolve("bob");
        dotlock = fx.spoolDir.resolve("bob.lock");
        deliver("first");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private void deliver(String subject) throws IOException {
        new LocalDelivery(fx.store).deliver(message(subject, "x\r\n"), bob, bob.address(), "sender@example.org");
    }

    /** Tries the maildrop lock on another thread, as a second POP3 session would; returns its failure or null. */
    private Throwable lockFromAnotherSession() throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try (AccountStore second = fx.store.open(bob); MaildropLock lock = second.lockMaildrop()) {
                return null;
            } catch (IOException | RuntimeException e) {
                return (Throwable) e;
            }
        }).get();
    }

    @Test
    void aSecondSessionIsRefusedAtOnceWhileADeliveryWaitsForTheFirstToEnd() throws Exception {
        AtomicReference<Throwable> deliveryFailure = new AtomicReference<>();
        Thread delivering;
        try (AccountStore first = fx.store.open(bob); MaildropLock lock = first.lockMaildrop()) {
            assertThat(lockFromAnotherSession()).isInstanceOf(MailboxLockedException.class);
            delivering = new Thread(() -> {
                try {
                    deliver("waited");
                } catch (IOException | RuntimeException e) {
                    deliveryFailure.set(e);
                }
            });
            delivering.start();
            awaitWaiting(delivering);
            assertThat(Files.readString(spool)).doesNotContain("Subject: waited");
        }
        delivering.join();
        assertThat(deliveryFailure.get()).isNull();
        assertThat(Files.readString(spool)).contains("Subject: first", "Subject: waited");
        assertThat(lockFromAnotherSession()).isNull();
    }

    /** Waits until {@code thread} sleeps or waits for a lock; fails if it ended instead. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
            assertThat(thread.getState()).as("the delivery ended instead of waiting").isNotEqualTo(Thread.State.TERMINATED);
            Thread.sleep(5);
        }
    }

    @Test
    void anotherProgramsDotlockIsRefusedAtOnceAndAStaleOneIsBroken() throws Exception {
        Files.writeString(dotlock, ProcessHandle.current().parent().orElseThrow().pid() + "\n"); // a live process holds it
        try (AccountStore account = fx.store.open(bob)) {
            assertThatThrownBy(account::lockMaildrop).isInstanceOf(MailboxLockedException.class);
            assertThat(Files.readString(dotlock)).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid() + "\n");
            Files.writeString(dotlock, "999999999\n"); // its process is gone
            try (MaildropLock lock = account.lockMaildrop()) {
                assertThat(Files.readString(dotlock).trim()).isEqualTo(String.valueOf(ProcessHandle.current().pid()));
            }
        }
        assertThat(dotlock).doesNotExist();
    }

    @Test
    void anotherProgramsFcntlLockIsRefusedAtOnce() throws Exception {
        try (AccountStore account = fx.store.open(bob)) {
            try (ForeignLock mutt = ForeignLock.hold(spool)) {
                assertThatThrownBy(account::lockMaildrop).isInstanceOf(MailboxLockedException.class);
                assertThat(dotlock).doesNotExist(); // the dotlock taken first was given back
            }
            try (MaildropLock lock = account.lockMaildrop()) {
                assertThat(dotlock).exists();
            }
        }
    }
}
