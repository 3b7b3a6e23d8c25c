package org.cartero.store.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.cartero.store.Flags;
import org.cartero.store.StorageFullException;
import org.cartero.store.UidSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserIndexTest {
    @TempDir Path tmp;

    private static MessageRow row(long uid, long modseq, int flags, long size) {
        return MessageRow.maildir(uid, modseq, new Flags(flags, java.util.List.of()), Instant.EPOCH, size, size, "cur/" + uid);
    }

    @Test
    void triggersKeepFolderCountersRight() throws Exception {
        try (UserIndex index = UserIndex.open(tmp.resolve("i.sqlite"))) {
            assertThat(index.isNew()).isTrue();
            long id = index.write(tx -> tx.insertFolder("INBOX", 7, 1, 1, 0, null));
            index.write(tx -> {
                tx.insertMessage(id, row(1, 2, 0, 100), new byte[] {1}, new byte[] {1});
                tx.insertMessage(id, row(2, 2, Flags.SEEN, 50), new byte[] {1}, new byte[] {1});
                tx.updateMessage(id, row(1, 3, Flags.SEEN, 100));
                tx.expungeMessage(id, 2, 3);
                return null;
            });
            FolderRow f = index.read(tx -> tx.folder("INBOX"));
            assertThat(f.messages()).isEqualTo(1);
            assertThat(f.unseen()).isZero();
            assertThat(f.size()).isEqualTo(100);
            UidSet expunged = index.read(tx -> tx.expungedSince(id, 2));
            long[] totals = index.read(IndexTx::totals);
            assertThat(expunged).isEqualTo(UidSet.of(2));
            assertThat(totals).containsExactly(100, 1);
        }
    }

    @Test
    void uidAllocationAndModseqsOnlyGrow() throws Exception {
        try (UserIndex index = UserIndex.open(tmp.resolve("i.sqlite"))) {
            long id = index.write(tx -> tx.insertFolder("INBOX", 7, 5, 10, 0, null));
            long first = index.write(tx -> tx.allocateUids(id, 3));
            assertThat(first).isEqualTo(5);
            index.write(tx -> {
                tx.raiseUidNext(id, 4); // never lowers
                return null;
            });
            FolderRow f = index.read(tx -> tx.folder(id));
            long modseq = index.write(tx -> tx.nextModseq(id));
            assertThat(f.uidNext()).isEqualTo(8);
            assertThat(modseq).isEqualTo(11);
        }
    }

    @Test
    void tombstonesArePrunedAndTheFloorRises() throws Exception {
        try (UserIndex index = UserIndex.open(tmp.resolve("i.sqlite"))) {
            long id = index.write(tx -> tx.insertFolder("INBOX", 7, 1, 1, 0, null));
            index.write(tx -> {
                for (int i = 1; i <= 100; i++) tx.expungeMessage(id, i, i);
                tx.pruneTombstones(id, 40);
                return null;
            });
            FolderRow f = index.read(tx -> tx.folder(id));
            assertThat(f.tombstoneFloor()).isEqualTo(80);
            UidSet left = index.read(tx -> tx.expungedSince(id, 0));
            assertThat(left).isEqualTo(UidSet.range(81, 100));
        }
    }

    @Test
    void aFileThatIsNoIndexIsMovedAsideAndReplaced() throws Exception {
        Path file = tmp.resolve("i.sqlite");
        Files.writeString(file, "garbage ".repeat(1000));
        try (UserIndex index = UserIndex.open(file)) {
            assertThat(index.isNew()).isTrue();
            java.util.List<FolderRow> folders = index.read(IndexTx::folders);
            assertThat(folders).isEmpty();
        }
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("i.sqlite.damaged-"));
        }
    }

    @Test
    void idleConnectionsAreClosedAndReopenedOnUse() throws Exception {
        Path file = tmp.resolve("i.sqlite");
        try (UserIndex index = UserIndex.open(file)) {
            long id = index.write(tx -> tx.insertFolder("INBOX", 7, 1, 1, 0, null));
            FolderRow before = index.read(tx -> tx.folder(id));
            assertThat(openDescriptors(file)).isPositive();
            index.closeIdle(java.time.Duration.ZERO);
            assertThat(openDescriptors(file)).isZero();
            FolderRow after = index.read(tx -> tx.folder(id));
            assertThat(after).isEqualTo(before);
        }
    }

    private static long openDescriptors(Path file) throws Exception {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(file.toString());
                } catch (Exception e) {
                    return false;
                }
            }).count();
        }
    }

    @Test
    void aFailedTransactionLeavesNothing() throws Exception {
        try (UserIndex index = UserIndex.open(tmp.resolve("i.sqlite"))) {
            assertThatThrownBy(() -> index.write(tx -> {
                tx.insertFolder("X", 1, 1, 1, 0, null);
                throw new StorageFullException("simulated", null);
            })).isInstanceOf(StorageFullException.class);
            FolderRow x = index.read(tx -> tx.folder("X"));
            assertThat(x).isNull();
        }
    }
}
