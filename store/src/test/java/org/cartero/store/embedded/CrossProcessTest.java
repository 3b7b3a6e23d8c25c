package org.cartero.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.cartero.core.directory.Account;
import org.cartero.store.AccountStore;
import org.cartero.store.Changes;
import org.cartero.store.Folder;
import org.cartero.store.Snapshot;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A session waiting on a folder (as IMAP IDLE does) learns of a delivery made by another
 * process (the CLI, a second server) within seconds, without polling.
 */
@SuppressWarnings("try") // watches and locks held for a block
class CrossProcessTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "local"})
    void aWatchingSessionIsWokenByAnotherProcesssDelivery(String kind) throws Exception {
        try (StoreFixture fx = new StoreFixture(tmp)) {
            Account account = kind.equals("local") ? fx.bob() : fx.alice();
            new org.cartero.store.delivery.LocalDelivery(fx.store).deliver(StoreFixture.message("first", "x"), account,
                    account.address(), "a@b");
            try (AccountStore mailbox = fx.store.open(account); Folder inbox = mailbox.open("INBOX")) {
                Snapshot snap = inbox.snapshot();
                Semaphore woken = new Semaphore(0);
                try (Folder.Watch watch = inbox.watch(woken::release)) {
                    Process child = fx.startDeliveryLoop(kind, 7, 7, 500, "");
                    String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(out).contains("OK 7");
                    assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("woken by the other process").isTrue();
                }
                Changes c = inbox.changesSince(snap.status().highestModseq());
                assertThat(c.changed()).singleElement().satisfies(m -> assertThat(m.uid()).isEqualTo(2));
                assertThat(inbox.content(2).envelope().subject()).isEqualTo("id-7");
            }
        }
    }
}
