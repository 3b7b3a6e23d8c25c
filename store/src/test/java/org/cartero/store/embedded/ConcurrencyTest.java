package org.cartero.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cartero.core.directory.Account;
import org.cartero.store.AccountStore;
import org.cartero.store.Changes;
import org.cartero.store.FlagOperation;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.MessageGoneException;
import org.cartero.store.MessageInfo;
import org.cartero.store.Snapshot;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;
import org.cartero.store.delivery.LocalDelivery;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many deliveries to one user at once, from threads of this process and from a second process,
 * while sessions follow the change feed, read messages and change flags: no message lost, none
 * twice, UIDs unique and ascending in the order sessions saw them, counters and index intact.
 */
class ConcurrencyTest {
    private static final int DELIVERERS = 8;
    private static final int PER_DELIVERER = 40;
    private static final int CHILD_DELIVERIES = 60;
    private static final int SESSIONS = 4;

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "local"})
    void concurrentDeliveriesAndSessionsLoseNothing(String kind) throws Exception {
        StoreFixture fx = new StoreFixture(tmp, Duration.ofSeconds(60));
        Account account = kind.equals("local") ? fx.bob() : fx.alice();
        LocalDelivery delivery = new LocalDelivery(fx.store);
        Set<Long> deliveredUids = ConcurrentHashMap.newKeySet();
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> sessionErrors = new ArrayList<>();

        Process child = fx.startDeliveryLoop(kind, 100_001, 100_000 + CHILD_DELIVERIES, 3_000, "");
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> sessions = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) {
                int seed = s;
                sessions.add(pool.submit(() -> {
                    session(fx, account, new Random(seed), done);
                    return null;
                }));
            }
            List<Future<?>> deliverers = new ArrayList<>();
            for (int d = 0; d < DELIVERERS; d++) {
                int base = d * 1000;
                deliverers.add(pool.submit(() -> {
                    for (int i = 1; i <= PER_DELIVERER; i++) {
                        byte[] msg = DeliveryLoop.message(base + i, 1_500);
                        var result = delivery.deliver(new java.io.ByteArrayInputStream(msg), account, account.address(), "s@x");
                        assertThat(deliveredUids.add(result.uid())).as("UID " + result.uid() + " given twice").isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> f : deliverers) f.get(5, TimeUnit.MINUTES);
            String childOut = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
            assertThat(childOut.lines().filter(l -> l.startsWith("OK ")).count()).isEqualTo(CHILD_DELIVERIES);
            done.set(true);
            for (Future<?> f : sessions) {
                try {
                    f.get(2, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    sessionErrors.add(e.getCause());
                }
            }
        }
        assertThat(sessionErrors).isEmpty();

        int expected = DELIVERERS * PER_DELIVERER + CHILD_DELIVERIES;
        try (AccountStore mailbox = fx.store.open(account); Folder inbox = mailbox.open("INBOX")) {
            List<MessageInfo> all = new ArrayList<>();
            inbox.messages(UidSet.all(), java.util.Set.of(Folder.Include.ENVELOPE), all::add);
            assertThat(all).hasSize(expected);
            assertThat(all.stream().map(m -> m.envelope().subject()).distinct().count()).isEqualTo(expected);
            assertThat(inbox.status().messages()).isEqualTo(expected);
            assertThat(inbox.status().unseen()).isEqualTo(all.stream().filter(m -> !m.flags().has(Flags.SEEN)).count());
            for (MessageInfo m : all) {
                assertThat(StoreFixture.read(inbox.content(m.uid()))).endsWith("end of " + m.envelope().subject() + "\r\n");
            }
        }
        fx.close();
        Path index = kind.equals("local") ? tmp.resolve("data/index/local/bob/index.sqlite")
                : tmp.resolve("data/mail/example.test/alice/cartero-index.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + index);
             ResultSet rs = c.createStatement().executeQuery("PRAGMA integrity_check")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("ok");
        }
    }

    /**
     * A session as IMAP runs one: select, then follow the change feed, applying it to its own
     * UID list, checking that new UIDs only ever come above the ones it knows; meanwhile set
     * flags and read messages.
     */
    private static void session(StoreFixture fx, Account account, Random random, AtomicBoolean done) throws Exception {
        try (AccountStore mailbox = fx.store.open(account); Folder inbox = mailbox.open("INBOX")) {
            Snapshot snap = inbox.snapshot();
            UidList uids = snap.uids().copy();
            long modseq = snap.status().highestModseq();
            while (!done.get()) {
                Changes c = inbox.changesSince(modseq);
                uids.remove(c.expunged());
                for (MessageInfo m : c.changed()) {
                    if (!uids.contains(m.uid())) {
                        assertThat(m.uid()).as("a new UID below one already seen").isGreaterThan(uids.lastUid());
                        uids.append(m.uid());
                    }
                }
                modseq = c.highestModseq();
                if (!uids.isEmpty()) {
                    long uid = uids.uidAt(1 + random.nextInt(uids.size()));
                    inbox.store(UidSet.of(uid), random.nextBoolean() ? FlagOperation.ADD : FlagOperation.REMOVE,
                            Flags.of(Flags.SEEN, "$Seen" + random.nextInt(3)), -1);
                    try {
                        assertThat(StoreFixture.read(inbox.content(uid))).contains("Subject: id-");
                    } catch (MessageGoneException e) {
                        throw new AssertionError("message " + uid + " vanished", e);
                    }
                }
                Thread.sleep(random.nextInt(5));
            }
        }
    }
}
