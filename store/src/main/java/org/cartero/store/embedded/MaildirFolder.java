package org.cartero.store.embedded;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.cartero.store.CopyResult;
import org.cartero.store.Flags;
import org.cartero.store.FolderNotFoundException;
import org.cartero.store.UidSet;
import org.cartero.store.files.Durable;
import org.cartero.store.files.Ownership;
import org.cartero.store.files.RangeInputStream;
import org.cartero.store.index.FolderRow;
import org.cartero.store.index.IndexTx;
import org.cartero.store.index.MessageRow;
import org.cartero.store.maildir.KeywordLetters;
import org.cartero.store.maildir.MaildirFileName;
import org.cartero.store.maildir.UidValidityFile;
import org.cartero.store.mime.MessageStructure;
import org.cartero.store.mime.StoredFormOutputStream;
import org.cartero.store.mime.StructureCodec;
import org.cartero.store.mime.StructureParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder kept as a Maildir (cur/ new/ tmp/). A message is written to tmp/, flushed, and
 * renamed with its UID in the name into new/ if it is delivered mail without flags, else into
 * cur/ (a client's APPEND has been seen by a client: filing it in new/ would only cost a second
 * rename at the next look); the directory is flushed before the commit is acknowledged: a crash
 * leaves either no message or a whole one (one without an index row is adopted with its UID at
 * the next synchronisation).
 *
 * <p>Synchronisation with other programs rests on the directories' modification times, kept in
 * the index: unchanged times mean nothing to read. A changed new/ is read (it holds only what
 * arrived since the last look; its files then move to cur/, as Maildir readers do); a changed
 * cur/ means another program renamed or removed files, and the whole folder is compared with
 * the index. Own changes update the recorded times when nobody else changed the directory
 * before them, so that sessions changing flags do not make each other read the folder again. A
 * time within 100 ms of a reading is not trusted (file systems keep times in clock ticks, so a
 * change in the same tick would not show): new/ is read again at the next look, cur/ a second
 * later (as Dovecot does; a folder in constant use is not compared in full at every command).
 */
final class MaildirFolder extends EmbeddedFolder {
    private static final Logger log = LoggerFactory.getLogger(MaildirFolder.class);
    private static final Duration TMP_MAX_AGE = Duration.ofHours(36); // the Maildir specification's rule
    private static final long SETTLED_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int PARSE_BATCH = 200;

    /**
     * Modification times of new/ and cur/ in nanoseconds (-1 means "read it again"), and the
     * wall-clock time in nanoseconds from which cur/ is to be compared in full again even if its
     * time has not changed (0: no such time).
     */
    record Stamp(long newTime, long curTime, long curRecheck) {
        static Stamp parse(String s) {
            if (s == null) return new Stamp(-1, -1, 0);
            String[] p = s.split(" ");
            try {
                return new Stamp(Long.parseLong(p[0]), Long.parseLong(p[1]), p.length > 2 ? Long.parseLong(p[2]) : 0);
            } catch (RuntimeException e) {
                return new Stamp(-1, -1, 0);
            }
        }

        static Stamp of(Path dir) throws IOException {
            return new Stamp(time(dir.resolve("new")), time(dir.resolve("cur")), 0);
        }

        private static long time(Path p) throws IOException {
            return Files.getLastModifiedTime(p).to(TimeUnit.NANOSECONDS);
        }

        /** new/'s time, or -1 if it is too recent to trust. */
        long settledNewTime() {
            return wallNanos() - newTime < SETTLED_NANOS ? -1 : newTime;
        }

        /** Whether cur/'s time is not the recorded one (or none is recorded): someone else changed it. */
        boolean curTimeDiffers(Stamp recorded) {
            return curTime != recorded.curTime || recorded.curTime < 0;
        }

        /** Whether cur/ must be compared in full: its time differs, or a second look is due. */
        boolean curChangedSince(Stamp recorded) {
            return curTimeDiffers(recorded) || (recorded.curRecheck != 0 && wallNanos() >= recorded.curRecheck);
        }

        @Override
        public String toString() {
            return newTime + " " + curTime + " " + curRecheck;
        }
    }

    /**
     * The synchronisation state of a folder whose directories were made just now: cur/ is
     * empty as read (no other program can know of the folder yet, so no recheck is asked for),
     * and new/ is to be read at the first look, which costs nothing while it is empty.
     */
    static String syncStateOfNewFolder(Path dir) throws IOException {
        return new Stamp(-1, Stamp.of(dir).curTime(), 0).toString();
    }

    private static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private IndexTx lettersTx;
    private KeywordLetters letters;
    private IndexTx ownChangeTx;
    private Stamp ownChangeBefore;

    MaildirFolder(AccountContext ctx, FolderRow row) {
        super(ctx, row);
    }

    Path dir(FolderRow row) throws IOException {
        return ctx.maildirs.folderDir(row.name());
    }

    /**
     * The folder's directory by the name last read from the index (kept current by every
     * transaction); if another session renamed the folder since, the file is not found there and
     * the caller synchronises, which reads the new name.
     */
    Path dir() throws IOException {
        return ctx.maildirs.folderDir(name());
    }

    // ---- synchronisation

    @Override
    void sync() throws IOException {
        state.syncLock.lock();
        try {
            FolderRow row = row();
            Path dir = dir(row);
            Stamp now;
            try {
                now = Stamp.of(dir);
            } catch (NoSuchFileException e) {
                ctx.folderRow(row.name()); // forgets the folder and throws
                throw new FolderNotFoundException(row.name());
            }
            Stamp recorded = Stamp.parse(row.syncState());
            boolean curChanged = now.curChangedSince(recorded) && fullScan(row, dir);
            if (curChanged || now.newTime() != recorded.newTime() || recorded.newTime() < 0) {
                newScan(dir, curChanged ? Stamp.of(dir) : now); // also moves Cartero's own deliveries to cur/
            }
            if (!state.tmpCleaned) {
                state.tmpCleaned = true;
                cleanTmp(dir);
            }
        } finally {
            state.syncLock.unlock();
        }
    }

    /** new/ changed: adopt what arrived and move it to cur/. */
    private void newScan(Path dir, Stamp before) throws IOException {
        List<String> names = list(dir.resolve("new"));
        names.sort(null);
        // Files delivered by Cartero carry a UID the index knows: they only move to cur/.
        List<String> unknown = ctx.index.read(tx -> {
            Map<String, MessageRow> delivered = delivered(tx, names);
            return names.stream().filter(name -> !delivered.containsKey(name)).toList();
        });
        List<Parsed> parsed = parse(dir, unknown.stream().map(n -> "new/" + n).toList());
        ctx.index.write(tx -> {
            FolderRow row = row(tx);
            beginOwnChange(tx, row);
            Map<String, MessageRow> delivered = delivered(tx, names);
            for (String name : names) {
                MessageRow m = delivered.get(name);
                if (m == null) continue;
                String target = "cur/" + MaildirFileName.parse(name).withInfo(letters(tx, dir).info(m.flags(), null, dir, ctx.owner)).fileName();
                try {
                    Files.move(dir.resolve(m.file()), dir.resolve(target), StandardCopyOption.ATOMIC_MOVE);
                    tx.setFile(id, m.uid(), target);
                } catch (NoSuchFileException e) {
                    // moved by another reader meanwhile: the next scan of cur/ finds it
                }
            }
            adopt(tx, row, dir, parsed);
            Stamp recorded = Stamp.parse(row(tx).syncState());
            Stamp after = Stamp.of(dir);
            long cur = ownChangeBefore.curTime() == recorded.curTime() ? after.curTime() : recorded.curTime();
            tx.setSyncState(id, new Stamp(before.settledNewTime(), cur, recorded.curRecheck()).toString());
            ownChangeTx = null;
            return null;
        });
        if (!parsed.isEmpty()) notifyChanged();
    }

    /**
     * The index rows of those files of new/ whose name carries the UID of a row naming that
     * file, by file name. The rows are read by UID ranges: files delivered one after the other
     * have consecutive UIDs, so a few queries read them all.
     */
    private Map<String, MessageRow> delivered(IndexTx tx, List<String> names) throws SQLException {
        long[] uids = names.stream().mapToLong(name -> MaildirFileName.parse(name).uid())
                .filter(uid -> uid > 0 && uid <= UidSet.MAX_UID).sorted().toArray();
        UidSet.Builder ranges = new UidSet.Builder();
        for (long uid : uids) ranges.add(uid);
        UidSet set = ranges.build();
        Map<String, MessageRow> out = new HashMap<>();
        for (int i = 0; i < set.rangeCount(); i++) {
            for (MessageRow m : tx.messages(id, set.rangeFirst(i), set.rangeLast(i), Integer.MAX_VALUE)) {
                if (m.file().startsWith("new/")) out.put(fileName(m.file()), m);
            }
        }
        out.values().removeIf(m -> MaildirFileName.parse(fileName(m.file())).uid() != m.uid());
        return out;
    }

    /**
     * cur/ changed behind our back: compare every file with the index. Its time is recorded
     * first, under the index's write lock, so that own changes made while the files are listed
     * keep it current and any other change shows at the next look. (Not at the first reading
     * after the index was made: that one is told by the absence of any recorded time.) Under
     * that lock the times are compared again: a session's own change seen between its rename
     * and its commit is no reason to read the folder. Returns whether it was read.
     */
    private boolean fullScan(FolderRow start, Path dir) throws IOException {
        long startModseq = start.highestModseq();
        boolean firstReading = start.syncState() == null;
        record Claim(Stamp before, boolean changedByOthers) {}
        Claim claim = firstReading ? new Claim(Stamp.of(dir), true) : ctx.index.write(tx -> {
            Stamp recorded = Stamp.parse(row(tx).syncState());
            Stamp now = Stamp.of(dir);
            if (!now.curChangedSince(recorded)) return null;
            // due for another look should this scan not finish
            tx.setSyncState(id, new Stamp(recorded.newTime(), now.curTime(), wallNanos() + RECHECK_NANOS).toString());
            return new Claim(now, now.curTimeDiffers(recorded));
        });
        if (claim == null) return false;
        Stamp before = claim.before();
        Map<String, String> files = new HashMap<>(); // unique -> "cur/name" or "new/name"
        for (String sub : List.of("new", "cur")) {
            for (String name : list(dir.resolve(sub))) files.put(MaildirFileName.parse(name).unique(), sub + "/" + name);
        }
        List<MessageRow> rows = ctx.index.read(tx -> tx.allMessages(id));
        List<MessageRow> renamed = new ArrayList<>();
        List<MessageRow> missing = new ArrayList<>();
        for (MessageRow m : rows) {
            String found = files.remove(MaildirFileName.parse(fileName(m.file())).unique());
            if (found == null) {
                if (m.modseq() <= startModseq) missing.add(m);
            } else if (!found.equals(m.file())) {
                renamed.add(m.withFlags(m.flags(), m.modseq(), found));
            }
        }
        // Files the index does not know: those with a UID in their name first, so they keep it.
        List<String> unknown = new ArrayList<>(files.values());
        unknown.sort(Comparator.comparingLong((String f) -> {
            long uid = MaildirFileName.parse(fileName(f)).uid();
            return uid > 0 ? uid : Long.MAX_VALUE;
        }).thenComparing(f -> f));
        boolean changed = false;
        for (int i = 0; i < unknown.size(); i += PARSE_BATCH) {
            List<Parsed> batch = parse(dir, unknown.subList(i, Math.min(unknown.size(), i + PARSE_BATCH)));
            ctx.index.write(tx -> {
                FolderRow row = row(tx);
                beginOwnChange(tx, row);
                adopt(tx, row, dir, batch);
                endOwnChange(tx, row);
                return null;
            });
            changed |= !batch.isEmpty();
        }
        if (!missing.isEmpty()) { // a file renamed after the listing is not gone: look again
            Set<String> present = new HashSet<>();
            for (String sub : List.of("new", "cur")) {
                for (String name : list(dir.resolve(sub))) present.add(MaildirFileName.parse(name).unique());
            }
            missing.removeIf(m -> present.contains(MaildirFileName.parse(fileName(m.file())).unique()));
        }
        changed |= !renamed.isEmpty() || !missing.isEmpty();
        ctx.index.write(tx -> {
            FolderRow row = row(tx);
            long modseq = 0;
            for (MessageRow r : renamed) {
                MessageRow current = tx.message(id, r.uid());
                if (current == null || current.modseq() > startModseq) continue;
                if (!Files.exists(dir.resolve(r.file()))) continue; // moved again since the listing: the next scan sees it
                Flags flags = flagsFromName(tx, dir, current.flags(), r.file());
                if (flags.equals(current.flags())) {
                    tx.setFile(id, current.uid(), r.file());
                } else {
                    if (modseq == 0) modseq = tx.nextModseq(id);
                    tx.updateMessage(id, current.withFlags(flags, modseq, r.file()));
                }
            }
            if (!missing.isEmpty()) {
                if (modseq == 0) modseq = tx.nextModseq(id);
                for (MessageRow m : missing) {
                    MessageRow current = tx.message(id, m.uid());
                    if (current != null && current.modseq() <= startModseq) tx.expungeMessage(id, m.uid(), modseq);
                }
                new UidValidityFile(row.uidValidity(), row.uidNext()).write(dir, ctx.owner);
            }
            // The recorded time is the one read before the listing, or that of own changes since.
            Stamp recorded = Stamp.parse(tx.folder(id).syncState());
            long cur = firstReading ? before.curTime() : recorded.curTime();
            long now = wallNanos();
            // another program's change too recent to trust: look again in a second
            long recheck = claim.changedByOthers() && now - before.curTime() < SETTLED_NANOS ? now + RECHECK_NANOS : 0;
            tx.setSyncState(id, new Stamp(recorded.newTime(), cur, recheck).toString());
            return null;
        });
        if (changed) notifyChanged();
        return true;
    }

    /** Flags of a file name: its letters, plus the index's keywords that have no letter. */
    private Flags flagsFromName(IndexTx tx, Path dir, Flags old, String file) throws IOException {
        KeywordLetters k = letters(tx, dir);
        Flags fromName = k.flags(MaildirFileName.parse(fileName(file)).info());
        List<String> unlettered = new ArrayList<>();
        for (String keyword : old.keywords()) {
            String probe = k.info(new Flags(0, List.of(keyword)), null, dir, ctx.owner);
            if (probe.isEmpty()) unlettered.add(keyword);
        }
        return fromName.with(new Flags(0, unlettered));
    }

    private record Parsed(String file, MaildirFileName name, MessageStructure structure, Instant date) {}

    private List<Parsed> parse(Path dir, List<String> files) throws IOException {
        List<Parsed> out = new ArrayList<>();
        for (String file : files) {
            Path path = dir.resolve(file);
            StructureParser parser = new StructureParser();
            Instant date;
            try (InputStream in = Files.newInputStream(path)) {
                in.transferTo(parser);
                date = Files.getLastModifiedTime(path).toInstant();
            } catch (NoSuchFileException e) {
                continue; // gone meanwhile
            }
            out.add(new Parsed(file, MaildirFileName.parse(fileName(file)), parser.finish(), date));
        }
        return out;
    }

    /**
     * Gives parsed files their UIDs, moves them to cur/ with the UID in the name, and adds them to
     * the index. The UID in a name is kept when no message has it and it cannot have been given
     * before: at or above UIDNEXT (a delivery whose commit a crash cut off), or, on the first
     * reading of the folder after the index was rebuilt, any UID the files carry. Otherwise
     * (a file copied in from another folder) the message gets a new UID.
     */
    private void adopt(IndexTx tx, FolderRow row, Path dir, List<Parsed> parsed) throws IOException, SQLException {
        if (parsed.isEmpty()) return;
        boolean firstReading = row.syncState() == null;
        long modseq = tx.nextModseq(id);
        for (Parsed p : parsed) {
            if (!Files.exists(dir.resolve(p.file()))) continue;
            FolderRow now = tx.folder(id);
            long uid = p.name().uid();
            MessageRow existing = uid > 0 ? tx.message(id, uid) : null;
            if (existing != null && MaildirFileName.parse(fileName(existing.file())).unique().equals(p.name().unique())) {
                continue; // delivered by Cartero and committed after the listing: known already
            }
            boolean keep = uid > 0 && uid <= UidSet.MAX_UID && (uid >= now.uidNext() || firstReading)
                    && tx.message(id, uid) == null && !tx.wasExpunged(id, uid);
            if (keep) tx.raiseUidNext(id, uid + 1);
            else uid = tx.allocateUids(id, 1);
            Flags flags = letters(tx, dir).flags(p.name().info());
            MaildirFileName name = p.name().withUid(uid);
            String target = "cur/" + name.withInfo(p.name().info() == null ? "" : p.name().info()).fileName();
            if (!target.equals(p.file())) Files.move(dir.resolve(p.file()), dir.resolve(target), StandardCopyOption.ATOMIC_MOVE);
            MessageStructure s = p.structure();
            tx.insertMessage(id, MessageRow.maildir(uid, modseq, flags, p.date(), s.wireSize(), s.storedSize(), target),
                    StructureCodec.encodeEnvelope(s.envelope()), StructureCodec.encodePart(s.root()));
            tx.addFolderKeywords(tx.folder(id), flags);
        }
        log.debug("{}: {} message(s) found in {}", ctx.account.name(), parsed.size(), dir);
    }

    private static List<String> list(Path sub) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(sub)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".")) names.add(name);
            }
        } catch (NoSuchFileException e) {
            throw new FolderNotFoundException(sub.getParent().getFileName().toString());
        }
        return names;
    }

    private void cleanTmp(Path dir) {
        FileTime limit = FileTime.from(Instant.now().minus(TMP_MAX_AGE));
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir.resolve("tmp"))) {
            for (Path p : entries) {
                if (Files.getLastModifiedTime(p).compareTo(limit) < 0) {
                    log.info("removing {}: left in tmp/ for more than 36 hours", p);
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            log.debug("cleaning {}/tmp: {}", dir, e.getMessage());
        }
    }

    private KeywordLetters letters(IndexTx tx, Path dir) throws IOException {
        if (lettersTx != tx) {
            letters = KeywordLetters.load(dir);
            lettersTx = tx;
        }
        return letters;
    }

    /** Notes the directory times before this transaction's own changes. */
    private void beginOwnChange(IndexTx tx, FolderRow row) throws IOException {
        if (ownChangeTx == tx) return;
        ownChangeTx = tx;
        ownChangeBefore = Stamp.of(dir(row));
    }

    /**
     * After own changes: cur/, if nobody else had changed it since the last look, gets its new
     * time recorded, so the change is not mistaken for another program's.
     */
    private void endOwnChange(IndexTx tx, FolderRow row) throws IOException, SQLException {
        if (ownChangeTx != tx) return;
        ownChangeTx = null;
        Stamp recorded = Stamp.parse(tx.folder(id).syncState());
        Stamp after = Stamp.of(dir(row));
        // new/ keeps its recorded time: what was put there is moved to cur/ at the next look.
        Stamp next = new Stamp(recorded.newTime(),
                ownChangeBefore.curTime() == recorded.curTime() ? after.curTime() : recorded.curTime(), recorded.curRecheck());
        if (!next.equals(recorded)) tx.setSyncState(id, next.toString());
    }

    static String fileName(String relative) {
        return relative.substring(relative.indexOf('/') + 1);
    }

    // ---- writing

    @Override
    Staged stage(InputStream message, Flags flags, Instant internalDate) throws IOException {
        Path dir = dir();
        String unique = MaildirFileName.newUnique(ctx.store.settings().hostname());
        Path file = dir.resolve("tmp").resolve(unique);
        StructureParser parser = new StructureParser();
        try {
            try (FileChannel ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    Ownership.NEW_FILE)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
                StoredFormOutputStream stored = new StoredFormOutputStream(new Tee(out, parser));
                message.transferTo(stored);
                stored.finish();
                out.flush();
            }
            ctx.owner.chown(file);
            // The file's time is the internal date, which so survives an index rebuild.
            if (internalDate != null) Files.setLastModifiedTime(file, FileTime.from(internalDate));
            else internalDate = Files.getLastModifiedTime(file).toInstant();
            // Not flushed yet: makeDurable does that for all the messages of an append together.
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw Durable.classify(e, "the message");
        }
        MessageStructure structure = parser.finish();
        return new Staged(file, structure, flags, internalDate, structure.storedSize(), unique);
    }

    /**
     * Flushes the staged files once all are written, several at a time: files written together
     * share their inode table and bitmap blocks, which the first flush writes for all of them,
     * and the disk takes the writes of their contents together.
     */
    @Override
    void makeDurable(List<Staged> staged) throws IOException {
        try {
            Durable.syncFiles(staged.stream().map(s -> s.file).toList());
        } catch (IOException e) {
            throw Durable.classify(e, "the message");
        }
    }

    @Override
    <T> T locked(IoCall<T> change) throws IOException {
        return change.call(); // Maildir needs no lock: every change is a rename
    }

    @Override
    Placement place(IndexTx tx, FolderRow row, List<Staged> staged, long firstUid, long modseq, boolean newMail)
            throws IOException, SQLException {
        Path dir = dir(row);
        beginOwnChange(tx, row);
        List<MessageRow> rows = new ArrayList<>();
        List<Path> placed = new ArrayList<>();
        IoCall<Void> undo = () -> {
            for (Path p : placed) Files.deleteIfExists(p);
            Durable.syncDirectory(dir.resolve("new"));
            Durable.syncDirectory(dir.resolve("cur"));
            return null;
        };
        boolean[] touched = new boolean[2]; // new/, cur/
        try {
            for (int i = 0; i < staged.size(); i++) {
                Staged s = staged.get(i);
                long uid = firstUid + i;
                MaildirFileName name = MaildirFileName.of(s.unique, s.structure.storedSize(), s.structure.wireSize(), uid, null);
                String target;
                if (newMail && s.flags.isEmpty()) {
                    target = "new/" + name.fileName();
                    touched[0] = true;
                } else {
                    target = "cur/" + name.withInfo(letters(tx, dir).info(s.flags, null, dir, ctx.owner)).fileName();
                    touched[1] = true;
                }
                Files.move(s.file, dir.resolve(target), StandardCopyOption.ATOMIC_MOVE);
                s.placed();
                placed.add(dir.resolve(target));
                rows.add(MessageRow.maildir(uid, modseq, s.flags, s.internalDate, s.structure.wireSize(),
                        s.structure.storedSize(), target));
            }
            endOwnChange(tx, row);
        } catch (IOException | SQLException | RuntimeException e) {
            undoAndRethrow(e, undo);
        }
        // The renames are durable once the directories are flushed; that happens after the
        // commit and before the append is acknowledged. A crash in between loses only an
        // unacknowledged message, whose row the next synchronisation drops.
        IoCall<Void> durable = () -> {
            if (touched[0]) Durable.syncDirectory(dir.resolve("new"));
            if (touched[1]) Durable.syncDirectory(dir.resolve("cur"));
            return null;
        };
        return new Placement(rows, undo, durable);
    }

    @Override
    MessageRow applyFlags(IndexTx tx, FolderRow row, MessageRow m, Flags flags, long modseq) throws IOException {
        Path dir = dir(row);
        MaildirFileName old = MaildirFileName.parse(fileName(m.file()));
        String target = "cur/" + old.withInfo(letters(tx, dir).info(flags, old.info(), dir, ctx.owner)).fileName();
        if (!target.equals(m.file())) {
            beginOwnChange(tx, row);
            try {
                Files.move(dir.resolve(m.file()), dir.resolve(target), StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException e) {
                throw new StaleIndexException(m.file() + " was renamed or removed by another program");
            }
        }
        return m.withFlags(flags, modseq, target);
    }

    @Override
    void afterFlagChanges(IndexTx tx, FolderRow row) throws IOException, SQLException {
        endOwnChange(tx, row);
    }

    @Override
    void removeFiles(IndexTx tx, FolderRow row, List<MessageRow> rows) throws IOException, SQLException {
        Path dir = dir(row);
        beginOwnChange(tx, row);
        for (MessageRow m : rows) {
            if (!Files.deleteIfExists(dir.resolve(m.file()))) {
                throw new StaleIndexException(m.file() + " was renamed or removed by another program");
            }
        }
        Durable.syncDirectory(dir.resolve("cur"));
        Durable.syncDirectory(dir.resolve("new"));
        endOwnChange(tx, row);
        new UidValidityFile(row.uidValidity(), row.uidNext()).write(dir, ctx.owner);
    }

    /**
     * Copies or moves messages to another Maildir folder of the account in one transaction:
     * a hard link (copy) or a rename (move) into the target's cur/, with the new UID in the name.
     */
    CopyResult transferFiles(UidSet uids, MaildirFolder target, boolean move) throws IOException {
        List<Path[]> done = new ArrayList<>(); // [from, to]
        try {
            CopyResult result = ctx.index.write(tx -> {
                FolderRow src = row(tx);
                FolderRow dst = target.row(tx);
                Path srcDir = dir(src);
                Path dstDir = target.dir(dst);
                List<MessageRow> rows = new ArrayList<>();
                for (int r = 0; r < uids.rangeCount(); r++) rows.addAll(tx.messages(id, uids.rangeFirst(r), uids.rangeLast(r), Integer.MAX_VALUE));
                if (rows.isEmpty()) return new CopyResult(dst.uidValidity(), UidSet.EMPTY, UidSet.EMPTY);
                if (!move || target.id == id) checkQuota(tx, rows.stream().mapToLong(MessageRow::size).sum());
                long first = tx.allocateUids(target.id, rows.size());
                long dstModseq = tx.nextModseq(target.id);
                long srcModseq = move ? tx.nextModseq(id) : 0;
                target.beginOwnChange(tx, dst);
                if (target.id != id) beginOwnChange(tx, src);
                UidSet.Builder sources = new UidSet.Builder();
                Flags all = Flags.NONE;
                for (int i = 0; i < rows.size(); i++) {
                    MessageRow m = rows.get(i);
                    long uid = first + i;
                    MaildirFileName old = MaildirFileName.parse(fileName(m.file()));
                    MaildirFileName base = move ? old.withUid(uid)
                            : MaildirFileName.of(MaildirFileName.newUnique(ctx.store.settings().hostname()), m.storedSize(), m.size(), uid, null);
                    String info = target.letters(tx, dstDir).info(m.flags(), old.info(), dstDir, ctx.owner);
                    String file = "cur/" + base.withInfo(info).fileName();
                    Path from = srcDir.resolve(m.file());
                    Path to = dstDir.resolve(file);
                    try {
                        if (move) Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                        else Files.createLink(to, from);
                    } catch (NoSuchFileException e) {
                        throw new StaleIndexException(m.file() + " was renamed or removed by another program");
                    }
                    done.add(new Path[] {from, to});
                    byte[][] structure = tx.structure(id, m.uid());
                    if (move) tx.expungeMessage(id, m.uid(), srcModseq);
                    tx.insertMessage(target.id, MessageRow.maildir(uid, dstModseq, m.flags(), m.internalDate(), m.size(),
                            m.storedSize(), file), structure[0], structure[1]);
                    sources.add(m.uid());
                    all = all.with(m.flags());
                }
                Durable.syncDirectory(dstDir.resolve("cur"));
                if (move) {
                    Durable.syncDirectory(srcDir.resolve("cur"));
                    Durable.syncDirectory(srcDir.resolve("new"));
                }
                target.endOwnChange(tx, dst);
                if (target.id != id) endOwnChange(tx, src);
                tx.addFolderKeywords(dst, all);
                if (move) new UidValidityFile(src.uidValidity(), tx.folder(id).uidNext()).write(srcDir, ctx.owner);
                return new CopyResult(dst.uidValidity(), sources.build(), UidSet.range(first, first + rows.size() - 1));
            });
            return result;
        } catch (IOException | RuntimeException e) {
            for (Path[] d : done) { // undo: the transaction did not commit
                try {
                    if (move) Files.move(d[1], d[0], StandardCopyOption.ATOMIC_MOVE);
                    else Files.deleteIfExists(d[1]);
                } catch (IOException u) {
                    e.addSuppressed(u);
                }
            }
            throw e;
        }
    }

    // ---- reading

    @Override
    InputStream openStored(MessageRow m, String syncState, long storedOffset) throws IOException {
        Path file = dir().resolve(m.file());
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new StaleIndexException(m.file() + " is gone");
        }
        return new RangeInputStream(ch, storedOffset, m.storedSize(), ch::close); // a Maildir file holds one message
    }

    @Override
    List<FolderWatcher.Registration> watchFiles(Runnable callback) {
        try {
            Path dir = dir();
            return List.of(ctx.store.watcher().watch(dir.resolve("new"), null, callback),
                    ctx.store.watcher().watch(dir.resolve("cur"), null, callback));
        } catch (IOException e) {
            log.debug("not watching {}: {}", name(), e.getMessage());
            return List.of();
        }
    }
}
