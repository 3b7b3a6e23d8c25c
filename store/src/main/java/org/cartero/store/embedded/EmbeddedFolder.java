package org.cartero.store.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.cartero.store.AppendResult;
import org.cartero.store.Appender;
import org.cartero.store.Changes;
import org.cartero.store.CopyResult;
import org.cartero.store.FlagOperation;
import org.cartero.store.FlagResult;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.FolderName;
import org.cartero.store.FolderNotFoundException;
import org.cartero.store.FolderStatus;
import org.cartero.store.MessageContent;
import org.cartero.store.MessageGoneException;
import org.cartero.store.MessageInfo;
import org.cartero.store.MessageLocation;
import org.cartero.store.OverQuotaException;
import org.cartero.store.QuotaUsage;
import org.cartero.store.Snapshot;
import org.cartero.store.SpecialUse;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;
import org.cartero.store.index.FolderRow;
import org.cartero.store.index.IndexTx;
import org.cartero.store.index.MessageRow;
import org.cartero.store.mime.Envelope;
import org.cartero.store.mime.Part;
import org.cartero.store.mime.StructureCodec;
import org.cartero.store.mime.WireInputStream;

/**
 * The logic every embedded folder shares: the index queries behind status, snapshots, the
 * change feed, flags, expunge, copy and append. What depends on how messages lie on disk is
 * left to {@link MaildirFolder} and {@link MboxFolder} through a few hooks.
 */
abstract sealed class EmbeddedFolder implements Folder permits MaildirFolder, MboxFolder {
    static final int CHUNK = 1000;
    /** Expunged UIDs remembered per folder for QRESYNC; older ones are forgotten in halves. */
    static final int MAX_TOMBSTONES = 100_000;

    @FunctionalInterface
    interface IoCall<T> {
        T call() throws IOException;
    }

    /**
     * Staged messages in place, how to take them back if the transaction fails, and what must
     * still happen before the append is acknowledged once it committed (flushing directories:
     * done outside the index's write lock, so that concurrent deliveries flush together).
     */
    record Placement(List<MessageRow> rows, IoCall<Void> undo, IoCall<Void> durable) {}

    final AccountContext ctx;
    final long id;
    final FolderState state;
    private volatile String name;
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private volatile Runnable onClose = () -> { };

    EmbeddedFolder(AccountContext ctx, FolderRow row) {
        this.ctx = ctx;
        this.id = row.id();
        this.name = row.name();
        this.state = ctx.state(row.id());
    }

    /**
     * After a failure while putting messages in place: takes back what was placed, then
     * rethrows the failure (a full disk as the store's temporary {@link org.cartero.store.StorageFullException}).
     */
    static void undoAndRethrow(Exception failure, IoCall<Void> undo) throws IOException, SQLException {
        try {
            undo.call();
        } catch (IOException u) {
            failure.addSuppressed(u);
        }
        if (failure instanceof IOException io) throw org.cartero.store.files.Durable.classify(io, "the message");
        if (failure instanceof SQLException sql) throw sql;
        throw (RuntimeException) failure;
    }

    // ---- hooks

    /** Brings the index in line with the files; cheap when no other program changed them. */
    abstract void sync() throws IOException;

    /**
     * Streams a message to a staging file, learning its structure on the way; {@code internalDate}
     * null means the time it arrives.
     */
    abstract Staged stage(InputStream message, Flags flags, Instant internalDate) throws IOException;

    /**
     * Makes staged messages durable before they are put in place (a Maildir message must be on
     * disk before its rename can show it). Outside any lock; nothing to do where the commit itself
     * writes the messages (an mbox) and flushes them.
     */
    void makeDurable(List<Staged> staged) throws IOException {
    }

    /** Runs a change that adds or removes messages under the files' lock (the spool lock of an mbox). */
    abstract <T> T locked(IoCall<T> change) throws IOException;

    /**
     * Puts staged messages in place with UIDs from {@code firstUid}, inside the index transaction;
     * {@code newMail}: delivered mail that no client has seen yet (a Maildir's new/).
     */
    abstract Placement place(IndexTx tx, FolderRow row, List<Staged> staged, long firstUid, long modseq, boolean newMail)
            throws IOException, SQLException;

    /** Records new flags on disk where the format keeps them; returns the row to store. */
    abstract MessageRow applyFlags(IndexTx tx, FolderRow row, MessageRow m, Flags flags, long modseq) throws IOException;

    /** Called once per flag change transaction after {@link #applyFlags} calls, to note own changes. */
    abstract void afterFlagChanges(IndexTx tx, FolderRow row) throws IOException, SQLException;

    /** Removes messages from disk, inside the index transaction. */
    abstract void removeFiles(IndexTx tx, FolderRow row, List<MessageRow> rows) throws IOException, SQLException;

    /**
     * The stored form of a message from a stored offset, as {@code m} locates it, read when the
     * folder's synchronisation state was {@code syncState}; a {@link StaleIndexException} if it
     * moved since.
     */
    abstract InputStream openStored(MessageRow m, String syncState, long storedOffset) throws IOException;

    /** Registers for changes other programs make to the files. */
    abstract List<FolderWatcher.Registration> watchFiles(Runnable callback);

    // ---- reading

    @Override
    public String name() {
        return name;
    }

    FolderRow row(IndexTx tx) throws SQLException, IOException {
        FolderRow row = tx.folder(id);
        if (row == null) throw new FolderNotFoundException(name);
        name = row.name();
        return row;
    }

    FolderRow row() throws IOException {
        return ctx.index.read(this::row);
    }

    @Override
    public SpecialUse specialUse() throws IOException {
        return row().specialUse();
    }

    @Override
    public FolderStatus status() throws IOException {
        sync();
        return row().status();
    }

    @Override
    public Snapshot snapshot() throws IOException {
        sync();
        return ctx.index.read(tx -> {
            FolderRow row = row(tx);
            UidList uids = state.cachedUids(row.highestModseq());
            if (uids == null) {
                int[] array = tx.uids(id, (int) row.messages());
                state.cacheUids(row.highestModseq(), array);
                uids = UidList.sharing(array, array.length);
            }
            return new Snapshot(row.status(), uids);
        });
    }

    @Override
    public long firstUnseen() throws IOException {
        return ctx.index.read(tx -> tx.firstUnseen(id));
    }

    @Override
    public List<String> keywords() throws IOException {
        return row().keywords();
    }

    @Override
    public void messages(UidSet uids, Set<Include> include, MessageVisitor visitor) throws IOException {
        sync();
        boolean locations = include.contains(Include.LOCATION);
        forEachChunk(uids, include, rows -> {
            for (IndexTx.ReadMessage r : rows) {
                MessageRow m = r.row();
                Envelope envelope = r.envelope() == null ? null : StructureCodec.decodeEnvelope(r.envelope());
                Part structure = r.tree() == null ? null : StructureCodec.decodePart(r.tree());
                visitor.visit(new MessageInfo(m.uid(), m.modseq(), m.flags(), m.internalDate(), m.size(), envelope, structure,
                        locations ? Location.of(id, r) : null));
            }
        });
    }

    /**
     * Where a listed message lay: its file or its offsets in the spool, with the folder's
     * synchronisation state then; only what reading it needs, since a POP3 session keeps one
     * per message of its maildrop.
     */
    private record Location(long folderId, long size, long storedSize, String file, long mboxContent, long mboxEnd,
                            String syncState) implements MessageLocation {
        static Location of(long folderId, IndexTx.ReadMessage r) {
            MessageRow m = r.row();
            return new Location(folderId, m.size(), m.storedSize(), m.file(), m.mboxContent(), m.mboxEnd(), r.syncState());
        }

        IndexTx.ReadMessage read(long uid) {
            MessageRow row = MessageRow.located(uid, size, storedSize, file, mboxContent, mboxEnd);
            return new IndexTx.ReadMessage(row, syncState, null, null);
        }
    }

    @FunctionalInterface
    private interface ChunkVisitor {
        void visit(List<IndexTx.ReadMessage> rows) throws IOException;
    }

    /**
     * Reads the rows of {@code uids} chunk by chunk, each chunk in its own short read
     * transaction, so a reader that writes to a slow socket between chunks holds nothing.
     * A set of many small ranges is read by spans and filtered.
     */
    private void forEachChunk(UidSet uids, Set<Include> include, ChunkVisitor visitor) throws IOException {
        if (uids.isEmpty()) return;
        boolean envelope = include.contains(Include.ENVELOPE);
        boolean tree = include.contains(Include.STRUCTURE);
        boolean bySpan = uids.rangeCount() > 64;
        int ranges = bySpan ? 1 : uids.rangeCount();
        for (int r = 0; r < ranges; r++) {
            long next = bySpan ? uids.first() : uids.rangeFirst(r);
            long last = bySpan ? uids.last() : uids.rangeLast(r);
            while (next <= last) {
                long from = next;
                List<IndexTx.ReadMessage> chunk = ctx.index.read(tx -> {
                    FolderRow folder = row(tx);
                    if (envelope || tree) return tx.messagesWithStructure(id, folder.syncState(), from, last, CHUNK, envelope, tree);
                    List<IndexTx.ReadMessage> out = new ArrayList<>();
                    for (MessageRow m : tx.messages(id, from, last, CHUNK)) {
                        out.add(new IndexTx.ReadMessage(m, folder.syncState(), null, null));
                    }
                    return out;
                });
                if (chunk.isEmpty()) break;
                List<IndexTx.ReadMessage> rows = bySpan ? chunk.stream().filter(m -> uids.contains(m.row().uid())).toList() : chunk;
                if (!rows.isEmpty()) visitor.visit(rows);
                if (chunk.size() < CHUNK) break;
                next = chunk.get(chunk.size() - 1).row().uid() + 1;
            }
        }
    }

    @Override
    public MessageContent content(long uid) throws IOException {
        IndexTx.ReadMessage found = ctx.index.readOne(tx -> tx.messageWithStructure(id, uid));
        if (found == null) throw new MessageGoneException(uid);
        // The file is opened only when the content is read: ENVELOPE and BODYSTRUCTURE need none.
        return new MessageContent(uid, () -> StructureCodec.decodeEnvelope(found.envelope()),
                () -> StructureCodec.decodePart(found.tree()), found.row().size(), offset -> openCurrent(uid, found, offset));
    }

    @Override
    public InputStream openMessage(long uid) throws IOException {
        IndexTx.ReadMessage found = ctx.index.readOne(tx -> tx.located(id, uid));
        if (found == null) throw new MessageGoneException(uid);
        return new WireInputStream(openCurrent(uid, found, 0), found.row().size());
    }

    @Override
    public InputStream openMessage(long uid, MessageLocation location) throws IOException {
        if (!(location instanceof Location where) || where.folderId() != id) return openMessage(uid);
        return new WireInputStream(openCurrent(uid, where.read(uid), 0), where.size());
    }

    /**
     * Opens a message, following it if another program moved its file (or rewrote the spool)
     * since the row was read. When even a fresh look does not find it, the folder is read again
     * in full (a crash may have lost a rename the index recorded), and a message still not
     * found is gone.
     */
    private InputStream openCurrent(long uid, IndexTx.ReadMessage known, long storedOffset) throws IOException {
        IndexTx.ReadMessage m = known;
        for (int attempt = 0; ; attempt++) {
            try {
                return openStored(m.row(), m.syncState(), storedOffset);
            } catch (StaleIndexException | NoSuchFileException e) {
                if (attempt == 2) throw new MessageGoneException(uid);
                if (attempt == 1) forgetSyncState();
                sync();
                m = ctx.index.readOne(tx -> tx.located(id, uid));
                if (m == null) throw new MessageGoneException(uid);
            }
        }
    }

    /** Makes the next {@link #sync()} read the whole folder. */
    private void forgetSyncState() throws IOException {
        ctx.index.write(tx -> {
            tx.setSyncState(id, "dirty");
            return null;
        });
    }

    // ---- changes

    @Override
    public Changes changesSince(long modseq) throws IOException {
        sync();
        return ctx.index.read(tx -> {
            FolderRow row = row(tx);
            List<MessageInfo> changed = new ArrayList<>();
            if (modseq < row.highestModseq()) {
                for (MessageRow m : tx.changedSince(id, modseq)) {
                    changed.add(new MessageInfo(m.uid(), m.modseq(), m.flags(), m.internalDate(), m.size(), null, null));
                }
            }
            UidSet expunged = modseq < row.highestModseq() ? tx.expungedSince(id, modseq) : UidSet.EMPTY;
            return new Changes(row.highestModseq(), row.uidNext(), changed, expunged, modseq >= row.tombstoneFloor());
        });
    }

    @Override
    public FlagResult store(UidSet uids, FlagOperation operation, Flags flags, long unchangedSince) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                FlagResult result = ctx.index.write(tx -> storeFlags(tx, uids, operation, flags, unchangedSince));
                notifyChanged();
                return result;
            } catch (StaleIndexException e) {
                if (attempt > 0) throw e;
                sync();
            }
        }
    }

    private FlagResult storeFlags(IndexTx tx, UidSet uids, FlagOperation operation, Flags flags, long unchangedSince)
            throws IOException, SQLException {
        FolderRow row = row(tx);
        List<FlagResult.Update> updates = new ArrayList<>();
        UidSet.Builder failed = new UidSet.Builder();
        long modseq = 0;
        for (int r = 0; r < uids.rangeCount(); r++) {
            long next = uids.rangeFirst(r);
            long last = uids.rangeLast(r);
            while (next <= last) {
                List<MessageRow> rows = tx.messages(id, next, last, CHUNK);
                if (rows.isEmpty()) break;
                for (MessageRow m : rows) {
                    Flags target = switch (operation) {
                        case REPLACE -> flags;
                        case ADD -> m.flags().with(flags);
                        case REMOVE -> m.flags().without(flags);
                    };
                    if (unchangedSince >= 0 && m.modseq() > unchangedSince) {
                        failed.add(m.uid()); // RFC 7162 section 3.1.3
                        continue;
                    }
                    if (target.equals(m.flags())) {
                        updates.add(new FlagResult.Update(m.uid(), m.flags(), m.modseq(), false));
                        continue;
                    }
                    if (modseq == 0) modseq = tx.nextModseq(id);
                    tx.updateMessage(id, applyFlags(tx, row, m, target, modseq));
                    updates.add(new FlagResult.Update(m.uid(), target, modseq, true));
                }
                next = rows.get(rows.size() - 1).uid() + 1;
            }
        }
        if (modseq != 0) {
            tx.addFolderKeywords(row, flags);
            afterFlagChanges(tx, row);
        }
        return new FlagResult(List.copyOf(updates), failed.build());
    }

    @Override
    public UidSet expunge(UidSet uids) throws IOException {
        return remove(uids == null ? UidSet.all() : uids, true);
    }

    /** Removes the messages of {@code uids} (only those flagged \Deleted if asked). */
    UidSet remove(UidSet uids, boolean onlyDeleted) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                UidSet removed = locked(() -> ctx.index.write(tx -> {
                    FolderRow row = row(tx);
                    List<MessageRow> victims = new ArrayList<>();
                    for (int r = 0; r < uids.rangeCount(); r++) {
                        for (MessageRow m : tx.messages(id, uids.rangeFirst(r), uids.rangeLast(r), Integer.MAX_VALUE)) {
                            if (!onlyDeleted || m.flags().has(Flags.DELETED)) victims.add(m);
                        }
                    }
                    if (victims.isEmpty()) return UidSet.EMPTY;
                    long modseq = tx.nextModseq(id);
                    removeFiles(tx, row, victims);
                    UidSet.Builder b = new UidSet.Builder();
                    for (MessageRow m : victims) {
                        tx.expungeMessage(id, m.uid(), modseq);
                        b.add(m.uid());
                    }
                    tx.pruneTombstones(id, MAX_TOMBSTONES);
                    return b.build();
                }));
                if (!removed.isEmpty()) notifyChanged();
                return removed;
            } catch (StaleIndexException e) {
                if (attempt > 0) throw e;
                sync();
            }
        }
    }

    @Override
    public CopyResult copy(UidSet uids, String target) throws IOException {
        return transfer(uids, target, false);
    }

    @Override
    public CopyResult move(UidSet uids, String target) throws IOException {
        return transfer(uids, target, true);
    }

    private CopyResult transfer(UidSet uids, String targetName, boolean move) throws IOException {
        String normalized = FolderName.normalize(targetName);
        EmbeddedFolder target = ctx.folder(ctx.folderRow(normalized));
        if (target.id != id) target.sync();
        if (this instanceof MaildirFolder source && target instanceof MaildirFolder dest) {
            for (int attempt = 0; ; attempt++) {
                try {
                    CopyResult result = source.transferFiles(uids, dest, move);
                    if (move && !result.sourceUids().isEmpty()) notifyChanged();
                    if (!result.sourceUids().isEmpty()) target.notifyChanged();
                    return result;
                } catch (StaleIndexException e) {
                    if (attempt > 0) throw e;
                    sync();
                }
            }
        }
        // Between different kinds of storage the messages are streamed over; a move then
        // expunges here once the copies are committed.
        List<Staged> staged = new ArrayList<>();
        UidSet.Builder sources = new UidSet.Builder();
        try {
            List<IndexTx.ReadMessage> rows = new ArrayList<>();
            forEachChunk(uids, Set.of(), rows::addAll);
            for (IndexTx.ReadMessage r : rows) {
                MessageRow m = r.row();
                try (InputStream in = openCurrent(m.uid(), r, 0)) {
                    staged.add(target.stage(in, m.flags(), m.internalDate()));
                    sources.add(m.uid());
                } catch (MessageGoneException e) {
                    // expunged meanwhile: not copied
                }
            }
            AppendResult appended = target.commit(staged, false);
            UidSet sourceUids = sources.build();
            if (move) remove(sourceUids, false);
            return new CopyResult(appended.uidValidity(), sourceUids, appended.uids());
        } finally {
            staged.forEach(Staged::discard);
        }
    }

    // ---- appending

    @Override
    public Appender append() {
        return appender(false);
    }

    @Override
    public Appender deliver() {
        return appender(true);
    }

    private Appender appender(boolean newMail) {
        return new Appender() {
            private final List<Staged> staged = new ArrayList<>();
            private boolean done;

            @Override
            public void add(InputStream message, Flags flags, Instant internalDate) throws IOException {
                if (done) throw new IllegalStateException("append already committed or closed");
                staged.add(stage(message, flags, internalDate));
            }

            @Override
            public AppendResult commit() throws IOException {
                if (done) throw new IllegalStateException("append already committed or closed");
                done = true;
                try {
                    return EmbeddedFolder.this.commit(staged, newMail);
                } finally {
                    staged.forEach(Staged::discard);
                }
            }

            @Override
            public void close() {
                done = true;
                staged.forEach(Staged::discard);
            }
        };
    }

    /**
     * Commits staged messages: quota check, UIDs, placement, rows; all or nothing. {@code newMail}:
     * delivered, not added by a client (see {@link #place}).
     */
    AppendResult commit(List<Staged> staged, boolean newMail) throws IOException {
        if (staged.isEmpty()) return new AppendResult(row().uidValidity(), UidSet.EMPTY);
        long total = 0;
        Flags allFlags = Flags.NONE;
        for (Staged s : staged) {
            total += s.structure.wireSize();
            allFlags = allFlags.with(s.flags);
        }
        long needed = total;
        Flags keywords = allFlags;
        Placement[] placed = new Placement[1];
        AppendResult result;
        makeDurable(staged);
        try {
            result = locked(() -> ctx.index.write(tx -> {
                FolderRow row = row(tx);
                checkQuota(tx, needed);
                long first = tx.allocateUids(id, staged.size());
                long modseq = tx.nextModseq(id);
                placed[0] = place(tx, row, staged, first, modseq, newMail);
                for (int i = 0; i < staged.size(); i++) {
                    Staged s = staged.get(i);
                    tx.insertMessage(id, placed[0].rows().get(i), StructureCodec.encodeEnvelope(s.structure.envelope()),
                            StructureCodec.encodePart(s.structure.root()));
                }
                tx.addFolderKeywords(row, keywords);
                return new AppendResult(row.uidValidity(), UidSet.range(first, first + staged.size() - 1));
            }));
        } catch (IOException | RuntimeException e) {
            if (placed[0] != null) {
                try {
                    placed[0].undo().call();
                } catch (IOException undo) {
                    e.addSuppressed(undo);
                }
            }
            throw e;
        }
        placed[0].durable().call();
        notifyChanged();
        return result;
    }

    /** Refuses {@code needed} more bytes when they would exceed the account's quota (RFC 9208). */
    void checkQuota(IndexTx tx, long needed) throws SQLException, OverQuotaException {
        long limit = ctx.account.quotaBytes();
        if (limit <= 0) return;
        long[] totals = tx.totals();
        if (totals[0] + needed > limit) throw new OverQuotaException(new QuotaUsage(totals[0], limit, totals[1]), needed);
    }

    void notifyChanged() throws IOException {
        ctx.changed(id, row().highestModseq());
    }

    // ---- watching

    @Override
    public Watch watch(Runnable listener) {
        state.addListener(listener, () -> {
            List<FolderWatcher.Registration> files = new ArrayList<>(watchFiles(() -> state.notifyListeners(0)));
            files.add(ctx.watchChanges(id, () -> state.notifyListeners(0)));
            return files;
        });
        Watch watch = new Watch() {
            private boolean closed;

            @Override
            public synchronized void close() {
                if (closed) return;
                closed = true;
                state.removeListener(listener);
                watches.remove(this);
            }
        };
        watches.add(watch);
        return watch;
    }

    /** Called once when this folder object is closed (the account store stops tracking it). */
    void onClose(Runnable action) {
        onClose = action;
    }

    @Override
    public void close() {
        for (Watch w : List.copyOf(watches)) w.close();
        onClose.run();
    }
}
