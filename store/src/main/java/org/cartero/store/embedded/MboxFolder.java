package org.cartero.store.embedded;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cartero.core.directory.LocalAccount;
import org.cartero.store.Flags;
import org.cartero.store.files.Durable;
import org.cartero.store.files.RangeInputStream;
import org.cartero.store.index.FolderRow;
import org.cartero.store.index.IndexTx;
import org.cartero.store.index.MessageRow;
import org.cartero.store.mbox.FromLine;
import org.cartero.store.mbox.MboxScanner;
import org.cartero.store.mbox.QuotingOutputStream;
import org.cartero.store.mbox.SpoolFile;
import org.cartero.store.mbox.UnquotingInputStream;
import org.cartero.store.mime.MessageStructure;
import org.cartero.store.mime.StoredFormOutputStream;
import org.cartero.store.mime.StructureCodec;
import org.cartero.store.mime.StructureParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local user's INBOX: the spool mbox. Messages are appended under the spool lock (see
 * {@link SpoolFile}) after a journal entry, flushed, and the lock released; expunging rewrites
 * the file in place through the journal (see {@link org.cartero.store.mbox.MboxJournal}).
 * Flags live in the index (Status and X-Status headers that other readers write are read).
 *
 * <p>UIDs live in the index only; when another program changes the file (size, time or inode
 * differ from the index's note), the file is read again and every message recognised by its
 * fingerprint keeps its UID; new ones get new UIDs, missing ones are expunged. A lost index
 * therefore means a new UIDVALIDITY for INBOX: the one case where UIDs cannot be kept.
 */
final class MboxFolder extends EmbeddedFolder {
    private static final Logger log = LoggerFactory.getLogger(MboxFolder.class);

    private final SpoolFile spool;

    MboxFolder(AccountContext ctx, FolderRow row) {
        super(ctx, row);
        this.spool = ctx.spool;
    }

    private LocalAccount account() {
        return (LocalAccount) ctx.account;
    }

    /** "size mtime-ns inode" of the spool file, or "absent". */
    private String stamp() throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(spool.path(), BasicFileAttributes.class);
            return a.size() + " " + a.lastModifiedTime().to(TimeUnit.NANOSECONDS) + " " + a.fileKey();
        } catch (NoSuchFileException e) {
            return "absent";
        }
    }

    // ---- synchronisation

    @Override
    @SuppressWarnings("try") // the lock is held for the block's duration
    void sync() throws IOException {
        // While another thread of this process holds the spool exclusively (a POP3 session, a
        // delivery), no other program can change the file, and every change this process makes
        // is in the index already: there is nothing to read, and no reason to wait.
        if (spool.heldExclusivelyByAnotherThread()) return;
        if (ctx.journal.needsRecovery()) recover();
        if (Objects.equals(stamp(), row().syncState())) return;
        try (SpoolFile.Lock lock = spool.lockShared(ctx.store.settings().lockTimeout())) {
            syncLocked();
        }
    }

    @SuppressWarnings("try") // the lock is held for the block's duration
    private void recover() throws IOException {
        if (!Files.exists(spool.path())) {
            ctx.journal.endAppend();
            return;
        }
        try (SpoolFile.Lock lock = spool.lockExclusive(ctx.store.settings().lockTimeout())) {
            ctx.journal.recover(spool.channel());
        }
    }

    /** Reads the file again if it changed; the caller holds a spool lock. */
    private void syncLocked() throws IOException {
        state.syncLock.lock();
        try {
            FolderRow start = row();
            String before = stamp();
            if (Objects.equals(before, start.syncState())) return;
            FileChannel ch = spool.channel();
            List<MessageRow> rows = ctx.index.read(tx -> tx.allMessages(id));
            Map<Long, ArrayDeque<MessageRow>> byFingerprint = new HashMap<>();
            rows.stream().sorted(Comparator.comparingLong(MessageRow::mboxOffset))
                    .forEach(m -> byFingerprint.computeIfAbsent(m.fingerprint(), k -> new ArrayDeque<>()).add(m));
            List<MessageRow> moved = new ArrayList<>();
            List<byte[][]> movedStructures = new ArrayList<>();
            List<MboxScanner.Scanned> added = new ArrayList<>();
            Set<Long> seen = new HashSet<>();
            if (ch != null) {
                Instant mtime = Files.getLastModifiedTime(spool.path()).toInstant();
                MboxScanner.scan(ch, 0, ch.size(), mtime, true, s -> {
                    ArrayDeque<MessageRow> candidates = byFingerprint.get(s.fingerprint());
                    MessageRow known = candidates == null ? null : candidates.poll();
                    if (known == null) {
                        added.add(s);
                        return;
                    }
                    seen.add(known.uid());
                    MessageStructure st = s.structure();
                    boolean statusChanged = s.statusFlags().system() != known.mboxStatus();
                    if (known.mboxOffset() != s.fromOffset() || known.mboxContent() != s.contentOffset()
                            || known.mboxEnd() != s.endOffset() || known.storedSize() != st.storedSize() || statusChanged) {
                        int changedBits = s.statusFlags().system() ^ known.mboxStatus();
                        int system = (known.flags().system() & ~changedBits) | (s.statusFlags().system() & changedBits);
                        moved.add(new MessageRow(known.uid(), statusChanged ? -1 : known.modseq(),
                                new Flags(system, known.flags().keywords()), known.internalDate(), st.wireSize(), st.storedSize(),
                                null, s.fromOffset(), s.contentOffset(), s.endOffset(), s.fingerprint(), s.statusFlags().system()));
                        movedStructures.add(known.storedSize() != st.storedSize()
                                ? new byte[][] {StructureCodec.encodeEnvelope(st.envelope()), StructureCodec.encodePart(st.root())}
                                : null);
                    }
                });
            }
            List<MessageRow> gone = rows.stream().filter(m -> !seen.contains(m.uid()) && m.modseq() <= start.highestModseq()).toList();
            boolean changed = !moved.isEmpty() || !added.isEmpty() || !gone.isEmpty();
            ctx.index.write(tx -> {
                row(tx);
                long modseq = changed ? tx.nextModseq(id) : 0;
                for (int i = 0; i < moved.size(); i++) {
                    MessageRow m = moved.get(i);
                    tx.updateMessage(id, m.modseq() < 0 ? m.withFlags(m.flags(), modseq, null) : m);
                    byte[][] st = movedStructures.get(i);
                    if (st != null) tx.updateStructure(id, m.uid(), st[0], st[1]);
                }
                for (MessageRow m : gone) tx.expungeMessage(id, m.uid(), modseq);
                for (MboxScanner.Scanned s : added) {
                    long uid = tx.allocateUids(id, 1);
                    MessageStructure st = s.structure();
                    tx.insertMessage(id, new MessageRow(uid, modseq, s.statusFlags(), s.date(), st.wireSize(), st.storedSize(),
                                    null, s.fromOffset(), s.contentOffset(), s.endOffset(), s.fingerprint(), s.statusFlags().system()),
                            StructureCodec.encodeEnvelope(st.envelope()), StructureCodec.encodePart(st.root()));
                }
                tx.setSyncState(id, before);
                return null;
            });
            if (changed) {
                log.debug("{}: mbox changed outside: {} new, {} gone, {} moved", ctx.account.name(), added.size(), gone.size(), moved.size());
                notifyChanged();
            }
        } finally {
            state.syncLock.unlock();
        }
    }

    // ---- writing

    @Override
    Staged stage(InputStream message, Flags flags, Instant internalDate) throws IOException {
        Path file = Files.createTempFile(ctx.stateDir.resolve("tmp"), "append", ".mbox");
        StructureParser parser = new StructureParser();
        long physical;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
            QuotingOutputStream quoted = new QuotingOutputStream(out);
            Tee tee = new Tee(quoted, parser);
            StoredFormOutputStream stored = new StoredFormOutputStream(tee);
            message.transferTo(stored);
            stored.finish();
            if (tee.last() != '\n') tee.write('\n'); // an mbox message ends with a line end
            quoted.finish();
            out.flush();
            physical = quoted.written();
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw Durable.classify(e, "the message");
        }
        return new Staged(file, parser.finish(), flags, internalDate == null ? Instant.now() : internalDate, physical, null);
    }

    @Override
    @SuppressWarnings("try") // the lock is held for the block's duration
    <T> T locked(IoCall<T> change) throws IOException {
        spool.create(account().uid(), account().gid());
        try (SpoolFile.Lock lock = spool.lockExclusive(ctx.store.settings().lockTimeout())) {
            ctx.journal.recover(spool.channel());
            syncLocked();
            return change.call();
        }
    }

    /** The exclusive lock for a POP3 session (see {@link org.cartero.store.AccountStore#lockMaildrop}). */
    SpoolFile.Lock lockMaildrop() throws IOException {
        spool.create(account().uid(), account().gid());
        SpoolFile.Lock lock = spool.lockForSession(ctx.store.settings().lockTimeout());
        try {
            ctx.journal.recover(spool.channel());
            syncLocked();
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        return lock;
    }

    @Override
    Placement place(IndexTx tx, FolderRow row, List<Staged> staged, long firstUid, long modseq, boolean newMail)
            throws IOException, SQLException {
        FileChannel ch = spool.channel();
        String stampBefore = stamp();
        long start = ch.size();
        byte[] separator = separatorBefore(ch, start);
        List<byte[]> fromLines = new ArrayList<>();
        long total = separator.length;
        for (Staged s : staged) {
            String sender = s.structure.returnPath();
            byte[] from = FromLine.format(sender, s.internalDate);
            fromLines.add(from);
            total += from.length + s.physicalSize + 1;
        }
        IoCall<Void> undo = () -> {
            ch.truncate(start);
            ch.force(true);
            ctx.journal.endAppend();
            return null;
        };
        List<long[]> offsets = new ArrayList<>(); // from, content, end
        try {
            ctx.journal.beginAppend(start, total);
            long pos = start;
            pos += write(ch, pos, separator);
            for (int i = 0; i < staged.size(); i++) {
                Staged s = staged.get(i);
                long from = pos;
                pos += write(ch, pos, fromLines.get(i));
                long content = pos;
                try (FileChannel in = FileChannel.open(s.file, StandardOpenOption.READ)) {
                    long copied = 0;
                    while (copied < s.physicalSize) copied += in.transferTo(copied, s.physicalSize - copied, ch.position(pos + copied));
                }
                pos += s.physicalSize;
                offsets.add(new long[] {from, content, pos});
                pos += write(ch, pos, new byte[] {'\n'});
            }
            ch.force(true);
            ctx.journal.endAppend();
        } catch (IOException | RuntimeException e) {
            undoAndRethrow(e, undo);
        }
        // Read back the fingerprints the scanner will compute, so that a later resync recognises these messages.
        List<Long> fingerprints = new ArrayList<>();
        MboxScanner.scan(ch, offsets.get(0)[0], ch.size(), Instant.now(), false, s -> fingerprints.add(s.fingerprint()));
        List<MessageRow> rows = new ArrayList<>();
        for (int i = 0; i < staged.size(); i++) {
            Staged s = staged.get(i);
            long[] o = offsets.get(i);
            rows.add(new MessageRow(firstUid + i, modseq, s.flags, s.internalDate, s.structure.wireSize(), s.structure.storedSize(),
                    null, o[0], o[1], o[2], i < fingerprints.size() ? fingerprints.get(i) : 0, 0));
        }
        if (Objects.equals(stampBefore, row.syncState())) tx.setSyncState(id, stamp());
        return new Placement(rows, undo, () -> null); // flushed under the lock already
    }

    /** What must precede a new message: nothing at the start or after a blank line, else line ends. */
    private static byte[] separatorBefore(FileChannel ch, long size) throws IOException {
        if (size == 0) return new byte[0];
        ByteBuffer tail = ByteBuffer.allocate((int) Math.min(2, size));
        ch.read(tail, size - tail.capacity());
        byte[] t = tail.array();
        if (t[t.length - 1] != '\n') return new byte[] {'\n', '\n'};
        if (t.length == 2 && t[0] == '\n') return new byte[0];
        return new byte[] {'\n'};
    }

    private static int write(FileChannel ch, long pos, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b, pos + b.position());
        return bytes.length;
    }

    @Override
    MessageRow applyFlags(IndexTx tx, FolderRow row, MessageRow m, Flags flags, long modseq) {
        return m.withFlags(flags, modseq, null); // flags of the mbox live in the index
    }

    @Override
    void afterFlagChanges(IndexTx tx, FolderRow row) {
        // nothing on disk changed
    }

    /**
     * Rewrites the mbox without the given messages, in place (as mutt does, so inode, owner and
     * mode stay), through the journal; the remaining messages' offsets shift accordingly.
     */
    @Override
    void removeFiles(IndexTx tx, FolderRow row, List<MessageRow> victims) throws IOException, SQLException {
        FileChannel ch = spool.channel();
        String stampBefore = stamp();
        Set<Long> removed = new HashSet<>();
        victims.forEach(v -> removed.add(v.uid()));
        List<MessageRow> all = new ArrayList<>(tx.allMessages(id));
        all.sort(Comparator.comparingLong(MessageRow::mboxOffset));
        long first = victims.stream().mapToLong(MessageRow::mboxOffset).min().orElseThrow();
        long size = ch.size();
        Path tail = Files.createTempFile(ctx.stateDir.resolve("tmp"), "rewrite", ".mbox");
        List<MessageRow> shifted = new ArrayList<>();
        try (FileChannel out = FileChannel.open(tail, StandardOpenOption.WRITE)) {
            long written = 0;
            for (int i = 0; i < all.size(); i++) {
                MessageRow m = all.get(i);
                if (m.mboxOffset() < first || removed.contains(m.uid())) continue;
                long next = i + 1 < all.size() ? all.get(i + 1).mboxOffset() : size;
                long length = next - m.mboxOffset();
                long copied = 0;
                while (copied < length) copied += ch.transferTo(m.mboxOffset() + copied, length - copied, out);
                long delta = first + written - m.mboxOffset();
                shifted.add(new MessageRow(m.uid(), m.modseq(), m.flags(), m.internalDate(), m.size(), m.storedSize(), null,
                        m.mboxOffset() + delta, m.mboxContent() + delta, m.mboxEnd() + delta, m.fingerprint(), m.mboxStatus()));
                written += length;
            }
        } catch (IOException e) {
            Files.deleteIfExists(tail);
            throw Durable.classify(e, "the rewritten mailbox");
        }
        ctx.journal.rewrite(ch, first, tail);
        for (MessageRow m : shifted) tx.updateMessage(id, m);
        if (Objects.equals(stampBefore, row.syncState())) tx.setSyncState(id, stamp());
    }

    // ---- reading

    @Override
    InputStream openStored(MessageRow m, String syncState, long storedOffset) throws IOException {
        SpoolFile.Lock lock = spool.lockShared(ctx.store.settings().lockTimeout());
        try {
            FileChannel ch = spool.channel();
            if (ch == null) throw new StaleIndexException("the spool file is gone");
            // The offsets hold for the file as it was when the row was read. If it changed since
            // (an append, most often), the index is asked again now, under the lock: its offsets
            // hold if it has read the file as it is.
            String now = stamp();
            MessageRow at = m;
            if (!now.equals(syncState)) {
                IndexTx.ReadMessage current = ctx.index.readOne(tx -> tx.located(id, m.uid()));
                if (current == null || !now.equals(current.syncState())) {
                    throw new StaleIndexException("the spool file changed since it was read");
                }
                at = current.row();
            }
            InputStream in = new UnquotingInputStream(new RangeInputStream(ch, at.mboxContent(), at.mboxEnd(), lock::close));
            if (in.skip(storedOffset) != storedOffset) {
                in.close();
                throw new StaleIndexException("message UID " + m.uid() + " is shorter than the index says");
            }
            return in;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    List<FolderWatcher.Registration> watchFiles(Runnable callback) {
        Path spoolPath = spool.path();
        String name = spoolPath.getFileName().toString();
        return List.of(ctx.store.watcher().watch(spoolPath.getParent(), name, callback));
    }
}
