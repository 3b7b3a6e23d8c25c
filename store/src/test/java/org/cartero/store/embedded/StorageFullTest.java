package org.cartero.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cartero.core.directory.Account;
import org.cartero.store.AccountStore;
import org.cartero.store.Folder;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, simulated honestly: the delivering process runs under a file-size limit
 * (ulimit -f, so the kernel refuses writes past it with EFBIG, as it refuses them with ENOSPC
 * on a full disk). A message too large for the room left is refused as a temporary failure
 * (4.3.1) and leaves nothing behind; smaller ones before and after are delivered.
 */
class StorageFullTest {
    @TempDir Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "local"})
    void aMessageThatDoesNotFitFailsTemporarilyAndLeavesNothing(String kind) throws Exception {
        StoreFixture fx = new StoreFixture(tmp);
        fx.close();
        Account account = kind.equals("local") ? StoreFixture.bob(tmp, 0) : StoreFixture.virtual("alice@example.test", 0);
        // 1..3 small, 4 is 8 MB (over the 4 MB limit), 5..6 small again
        List<String> lines = new ArrayList<>();
        lines.addAll(runChild(fx, kind, 1, 3, 2_000));
        lines.addAll(runChild(fx, kind, 4, 4, 8_000_000));
        lines.addAll(runChild(fx, kind, 5, 6, 2_000));
        assertThat(lines).containsExactly("OK 1", "OK 2", "OK 3", "FAIL 4 true 4.3.1", "OK 5", "OK 6");

        try (EmbeddedMailStore store = new EmbeddedMailStore(StoreFixture.settings(tmp, java.time.Duration.ofSeconds(5)));
             AccountStore mailbox = store.open(account); Folder inbox = mailbox.open("INBOX")) {
            List<MessageInfo> messages = new ArrayList<>();
            inbox.messages(UidSet.all(), java.util.Set.of(Folder.Include.ENVELOPE), messages::add);
            assertThat(messages).extracting(m -> m.envelope().subject()).containsExactly("id-1", "id-2", "id-3", "id-5", "id-6");
            for (MessageInfo m : messages) {
                assertThat(StoreFixture.read(inbox.content(m.uid()))).endsWith("end of " + m.envelope().subject() + "\r\n");
            }
        }
        if (kind.equals("virtual")) {
            Path maildir = tmp.resolve("data/mail/example.test/alice");
            try (Stream<Path> t = Files.list(maildir.resolve("tmp"))) {
                assertThat(t).isEmpty();
            }
        } else {
            String spool = Files.readString(tmp.resolve("spool/bob"), StandardCharsets.UTF_8);
            assertThat(spool).doesNotContain("id-4");
            try (Stream<Path> t = Files.list(tmp.resolve("data/index/local/bob/tmp"))) {
                assertThat(t).isEmpty();
            }
        }
    }

    private static List<String> runChild(StoreFixture fx, String kind, long first, long last, int bytes) throws Exception {
        Process p = fx.startDeliveryLoop(kind, first, last, bytes, "ulimit -f 4096; ");
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("OK ") || l.startsWith("FAIL ")).toList();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("child exit; see child-stderr.log").isZero();
        return lines;
    }
}
