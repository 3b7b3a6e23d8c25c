package org.cartero.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.cartero.core.directory.Account;
import org.cartero.store.AccountStore;
import org.cartero.store.Folder;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A delivering process killed with SIGKILL at random moments, again and again: after every
 * kill the store opens, every delivery the process reported is there exactly once, and no
 * message is cut off.
 */
class CrashTest {
    private static final int ROUNDS = 6;

    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "local"})
    void everyReportedDeliverySurvivesSigkillExactlyOnce(String kind) throws Exception {
        StoreFixture fx = new StoreFixture(tmp);
        fx.close(); // the parent reads only between kills, with a fresh store each time
        Account account = kind.equals("local") ? StoreFixture.bob(tmp, 0) : StoreFixture.virtual("alice@example.test", 0);
        Random random = new Random(42);
        Set<Long> reported = ConcurrentHashMap.newKeySet();
        long next = 1;
        for (int round = 0; round < ROUNDS; round++) {
            Process child = fx.startDeliveryLoop(kind, next, next + 1_000_000, 20_000, "");
            CountDownLatch firstOk = new CountDownLatch(1);
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.startsWith("OK ")) {
                            reported.add(Long.parseLong(line.substring(3)));
                            firstOk.countDown();
                        }
                    }
                } catch (IOException e) {
                    // the pipe breaks when the child is killed
                }
            });
            assertThat(firstOk.await(60, TimeUnit.SECONDS)).as("child delivered in round " + round + "; see child-stderr.log").isTrue();
            Thread.sleep(50 + random.nextInt(700));
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join();
            next = reported.stream().mapToLong(Long::longValue).max().orElse(next) + 1_000; // ids of the cut-off delivery stay unused

            Map<Long, Integer> found = readAll(account);
            for (long id : reported) assertThat(found.get(id)).as("delivery id-" + id + " after round " + round).isEqualTo(1);
            for (Map.Entry<Long, Integer> e : found.entrySet()) {
                assertThat(e.getValue()).as("copies of id-" + e.getKey()).isEqualTo(1);
            }
        }
        assertThat(reported.size()).isGreaterThan(ROUNDS);
        System.out.printf("%s: %d deliveries reported over %d SIGKILLs%n", kind, reported.size(), ROUNDS);
    }

    /** Opens the store afresh and counts the messages by id, checking each is whole. */
    private Map<Long, Integer> readAll(Account account) throws IOException {
        Map<Long, Integer> found = new HashMap<>();
        try (EmbeddedMailStore store = new EmbeddedMailStore(StoreFixture.settings(tmp, Duration.ofSeconds(30)));
             AccountStore mailbox = store.open(account); Folder inbox = mailbox.open("INBOX")) {
            List<MessageInfo> messages = new ArrayList<>();
            inbox.messages(UidSet.all(), java.util.Set.of(Folder.Include.ENVELOPE), messages::add);
            long previous = 0;
            for (MessageInfo m : messages) {
                assertThat(m.uid()).isGreaterThan(previous);
                previous = m.uid();
                String subject = m.envelope().subject();
                assertThat(subject).startsWith("id-");
                long id = Long.parseLong(subject.substring(3));
                String text = StoreFixture.read(inbox.content(m.uid()));
                assertThat(text).as("message id-" + id + " is whole").endsWith("end of id-" + id + "\r\n");
                found.merge(id, 1, Integer::sum);
            }
            assertThat(inbox.status().messages()).isEqualTo(messages.size());
        }
        if (Files.exists(tmp.resolve("spool/bob"))) {
            assertThat(Files.readString(tmp.resolve("spool/bob"))).doesNotContain("\n\n\n");
        }
        return found;
    }
}
