package org.cartero.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal with small segments, so that many fill up, roll over and are retired while writers run. */
class JournalTest {
    private static final long SMALL_SEGMENTS = 4096;

    @TempDir
    Path dir;

    private static byte[] content(String id) {
        return ("Subject: " + id + "\r\n\r\n" + "x".repeat(300) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void concurrentAppendsAcrossManySegmentsAreAllDurableAndDoneOnesStayDone() throws Exception {
        Set<String> live = ConcurrentHashMap.newKeySet();
        try (Journal journal = Journal.open(dir, new ArrayList<>(), SMALL_SEGMENTS)) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                writers.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int i = 0; i < 60; i++) {
                            String id = QueueId.next();
                            byte[] content = content(id);
                            Journal.Location at = journal.append(id, "envelope".getBytes(StandardCharsets.US_ASCII), content, content.length);
                            assertThat(journal.read(at)).isEqualTo(content);
                            // Most messages finish at once; every seventh stays, pinning its segment.
                            if (i % 7 == 0) {
                                live.add(id);
                            } else {
                                journal.done(id);
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (Thread w : writers) w.join();
        }
        List<Journal.Recovered> recovered = new ArrayList<>();
        try (Journal journal = Journal.open(dir, recovered, SMALL_SEGMENTS)) {
            assertThat(recovered.stream().map(Journal.Recovered::id).collect(Collectors.toSet())).isEqualTo(live);
            for (Journal.Recovered r : recovered) assertThat(journal.read(r.location())).isEqualTo(content(r.id()));
            for (Journal.Recovered r : recovered) journal.done(r.id());
        }
        recovered.clear();
        try (Journal journal = Journal.open(dir, recovered, SMALL_SEGMENTS)) {
            assertThat(recovered).isEmpty();
        }
        try (var segments = Files.list(dir)) {
            assertThat(segments.count()).isEqualTo(1); // everything older was retired
        }
    }

    @Test
    void segmentsGoOnlyOldestFirstSoNoDoneRecordIsLostBeforeItsMessage() throws Exception {
        String pinned = QueueId.next();
        try (Journal journal = Journal.open(dir, new ArrayList<>(), SMALL_SEGMENTS)) {
            byte[] c = content(pinned);
            journal.append(pinned, new byte[0], c, c.length);
            for (int i = 0; i < 40; i++) {
                String id = QueueId.next();
                journal.append(id, new byte[0], c, c.length);
                journal.done(id);
            }
        }
        List<Journal.Recovered> recovered = new ArrayList<>();
        try (Journal journal = Journal.open(dir, recovered, SMALL_SEGMENTS)) {
            // The pinned message's segment stays, and so do the newer ones holding the others' DONE records.
            assertThat(recovered).extracting(Journal.Recovered::id).containsExactly(pinned);
        }
        try (var segments = Files.list(dir)) {
            assertThat(segments.count()).isGreaterThan(2);
        }
    }
}
