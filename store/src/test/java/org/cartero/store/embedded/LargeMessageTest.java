package org.cartero.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.cartero.core.directory.Account;
import org.cartero.store.AccountStore;
import org.cartero.store.Folder;
import org.cartero.store.MessageContent;
import org.cartero.store.delivery.LocalDelivery;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 50 MB message is streamed in and out: the thread that delivers and reads it allocates a
 * small fraction of its size (measured by the JVM's per-thread allocation counter, not by time).
 */
class LargeMessageTest {
    private static final long SIZE = 50L << 20;
    private static final long ALLOCATION_LIMIT = 8L << 20;

    @TempDir Path tmp;

    /** A generated message: headers, then base64-like lines up to SIZE bytes, never in memory whole. */
    static InputStream generated() {
        byte[] header = "From: big@example.org\r\nSubject: large\r\nContent-Type: application/octet-stream\r\n\r\n".getBytes();
        byte[] line = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n").getBytes();
        return new InputStream() {
            long pos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= SIZE) return -1;
                int n = 0;
                while (n < len && pos < SIZE) {
                    b[off + n++] = pos < header.length ? header[(int) pos] : line[(int) ((pos - header.length) % line.length)];
                    pos++;
                }
                return n;
            }
        };
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "local"})
    void fiftyMegabytesCostBuffersNotFiftyMegabytesOfHeap(String kind) throws Exception {
        try (StoreFixture fx = new StoreFixture(tmp)) {
            Account account = kind.equals("local") ? fx.bob() : fx.alice();
            LocalDelivery delivery = new LocalDelivery(fx.store);
            delivery.deliver(StoreFixture.message("warm-up", "x"), account, account.address(), "a@b"); // load classes first

            long readingKb;
            long before = allocated();
            delivery.deliver(generated(), account, account.address(), "big@example.org");
            long delivering = allocated() - before;

            try (AccountStore mailbox = fx.store.open(account); Folder inbox = mailbox.open("INBOX")) {
                inbox.snapshot();
                before = allocated();
                MessageContent c = inbox.content(2);
                long read = 0;
                byte[] buf = new byte[64 * 1024];
                try (InputStream in = c.open()) {
                    for (int n; (n = in.read(buf)) > 0; ) read += n;
                }
                long reading = allocated() - before;
                readingKb = reading >> 10;
                assertThat(read).isEqualTo(c.size()).isGreaterThan(SIZE);
                assertThat(c.structure().bodyLines()).isGreaterThan(600_000);
                assertThat(reading).as("bytes allocated reading 50 MB").isLessThan(ALLOCATION_LIMIT);
            }
            assertThat(delivering).as("bytes allocated delivering 50 MB").isLessThan(ALLOCATION_LIMIT);
            System.out.printf("%s: allocated %d KB delivering and %d KB reading 50 MB%n", kind, delivering >> 10, readingKb);
        }
    }
}
