package org.cartero.store.mbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What recovery does with each state a crash can leave an mbox change in. */
class MboxJournalTest {
    @TempDir Path tmp;
    Path mbox;
    Path state;
    MboxJournal journal;

    static final String ONE = "From a Thu Nov 26 14:01:29 2026\nSubject: one\n\n1\n\n";
    static final String TWO = "From b Thu Nov 26 14:01:29 2026\nSubject: two\n\n2\n\n";
    static final String THREE = "From c Thu Nov 26 14:01:29 2026\nSubject: three\n\n3\n\n";

    @BeforeEach
    void setUp() throws Exception {
        mbox = tmp.resolve("mbox");
        state = Files.createDirectories(tmp.resolve("state"));
        journal = new MboxJournal(state);
    }

    private void recover() throws Exception {
        try (FileChannel ch = FileChannel.open(mbox, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            journal.recover(ch);
        }
        assertThat(journal.needsRecovery()).isFalse();
    }

    @Test
    void anAppendCutOffByACrashIsRemoved() throws Exception {
        Files.writeString(mbox, ONE + TWO.substring(0, 20));
        journal.beginAppend(ONE.length(), TWO.length());
        assertThat(journal.needsRecovery()).isTrue();
        recover();
        assertThat(Files.readString(mbox)).isEqualTo(ONE);
    }

    @Test
    void aCompleteAppendWhoseJournalWasNotClearedStays() throws Exception {
        Files.writeString(mbox, ONE + TWO);
        journal.beginAppend(ONE.length(), TWO.length());
        recover();
        assertThat(Files.readString(mbox)).isEqualTo(ONE + TWO);
    }

    @Test
    void aRewriteIsAppliedInPlace() throws Exception {
        Files.writeString(mbox, ONE + TWO + THREE);
        Object inode = Files.getAttribute(mbox, "unix:ino");
        Path tail = Files.writeString(state.resolve("tail"), THREE);
        try (FileChannel ch = FileChannel.open(mbox, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            journal.rewrite(ch, ONE.length(), tail);
        }
        assertThat(Files.readString(mbox)).isEqualTo(ONE + THREE);
        assertThat(Files.getAttribute(mbox, "unix:ino")).isEqualTo(inode);
        assertThat(journal.needsRecovery()).isFalse();
    }

    @Test
    void aRewriteInterruptedHalfwayIsFinishedFromTheJournal() throws Exception {
        // the crash came while the tail was being copied: the file holds a mix of old and new
        Files.writeString(mbox, ONE + THREE.substring(0, 10) + TWO.substring(10) + THREE);
        writeRewriteJournal(ONE.length(), THREE, true);
        recover();
        assertThat(Files.readString(mbox)).isEqualTo(ONE + THREE);
    }

    @Test
    void anIncompleteRewriteJournalIsDiscardedAndTheMailboxLeftAlone() throws Exception {
        Files.writeString(mbox, ONE + TWO + THREE);
        writeRewriteJournal(ONE.length(), THREE, false);
        recover();
        assertThat(Files.readString(mbox)).isEqualTo(ONE + TWO + THREE);
    }

    private void writeRewriteJournal(long offset, String tail, boolean complete) throws Exception {
        byte[] data = tail.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(data);
        String text = "REWRITE " + offset + " " + data.length + "\n" + tail + (complete ? "\nEND " + crc.getValue() + "\n" : "");
        Files.writeString(state.resolve("mbox-rewrite.journal"), complete ? text : text.substring(0, text.length() - 3));
    }
}
