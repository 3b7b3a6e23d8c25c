package org.cartero.store.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.LocalAccount;
import org.cartero.core.directory.VirtualAccount;
import org.cartero.store.FolderName;
import org.cartero.store.FolderNotFoundException;
import org.cartero.store.SpecialUse;
import org.cartero.store.files.Ownership;
import org.cartero.store.index.FolderRow;
import org.cartero.store.index.IndexTx;
import org.cartero.store.index.UserIndex;
import org.cartero.store.maildir.MaildirLayout;
import org.cartero.store.maildir.UidValidityFile;
import org.cartero.store.mbox.MboxJournal;
import org.cartero.store.mbox.SpoolFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One account's storage as this process holds it open: the index, where the files are, who owns
 * them, and the per-folder state every session of the account shares. Opened once per account
 * and shared; {@link EmbeddedMailStore} closes it when no session has used it for a while.
 */
final class AccountContext implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AccountContext.class);
    private static final AtomicLong lastUidValidity = new AtomicLong();

    final EmbeddedMailStore store;
    final Account account;
    final UserIndex index;
    final MaildirLayout maildirs;
    final Ownership owner;
    /** The spool mbox that is INBOX for a local user, or null for a virtual user (INBOX in Maildir). */
    final SpoolFile spool;
    final MboxJournal journal;
    /** Where staging files for the mbox go: the server's own directory, not the user's. */
    final Path stateDir;
    private final ConcurrentHashMap<Long, FolderState> states = new ConcurrentHashMap<>();
    /**
     * One marker file per folder (named by its id) whose time every commit that changes the
     * folder touches: how other processes learn of a change without reading the index.
     */
    private final Path changeMarkers;

    private AccountContext(EmbeddedMailStore store, Account account, UserIndex index, MaildirLayout maildirs,
                           Ownership owner, SpoolFile spool, Path stateDir) {
        this.store = store;
        this.changeMarkers = stateDir.resolve("cartero-changes");
        this.account = account;
        this.index = index;
        this.maildirs = maildirs;
        this.owner = owner;
        this.spool = spool;
        this.stateDir = stateDir;
        this.journal = spool == null ? null : new MboxJournal(stateDir);
    }

    static AccountContext open(EmbeddedMailStore store, Account account, boolean freshIndex) throws IOException {
        MaildirLayout maildirs;
        Ownership owner;
        Path indexFile;
        Path stateDir;
        SpoolFile spool = null;
        switch (account) {
            case VirtualAccount v -> {
                Path root = store.virtualRoot(v);
                maildirs = new MaildirLayout(root);
                owner = Ownership.PROCESS;
                Ownership.PROCESS.createDirectories(store.settings().dataDir(), root); // its cur/ new/ tmp/ come with INBOX
                indexFile = root.resolve("cartero-index.sqlite");
                stateDir = root;
            }
            case LocalAccount l -> {
                if (l.name().isEmpty() || l.name().contains("/") || l.name().startsWith(".") || l.name().indexOf('\0') >= 0) {
                    throw new IOException("not a usable local user name for a spool file: \"" + l.name() + "\"");
                }
                maildirs = new MaildirLayout(l.home().resolve(store.settings().localMaildir()));
                owner = new Ownership(l.uid(), l.gid());
                stateDir = store.localStateDir(l);
                Ownership.PROCESS.createDirectories(store.settings().dataDir(), stateDir.resolve("tmp"));
                removeStaleStagingFiles(stateDir.resolve("tmp"));
                indexFile = stateDir.resolve("index.sqlite");
                spool = SpoolFile.acquire(store.settings().spoolDir().resolve(l.name()));
            }
        }
        UserIndex index = null;
        try {
            index = freshIndex ? UserIndex.openFresh(indexFile) : UserIndex.open(indexFile);
            AccountContext context = new AccountContext(store, account, index, maildirs, owner, spool, stateDir);
            Files.createDirectories(context.changeMarkers);
            if (index.isNew()) context.rebuildFolders();
            return context;
        } catch (IOException | RuntimeException e) {
            if (index != null) index.close();
            if (spool != null) spool.release();
            throw e;
        }
    }

    /**
     * Staging files of appends to the mbox that a crash left behind (older than a day and a half,
     * the Maildir rule for tmp/, so that no append still in progress elsewhere loses its file).
     */
    private static void removeStaleStagingFiles(Path tmp) {
        java.nio.file.attribute.FileTime limit = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(36)));
        try (var files = Files.list(tmp)) {
            for (Path p : files.toList()) {
                if (Files.getLastModifiedTime(p).compareTo(limit) < 0) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.debug("cleaning {}: {}", tmp, e.getMessage());
        }
    }

    /**
     * Fills a new index with the folders found on disk, keeping their UIDVALIDITY (from each
     * Maildir's uidvalidity file). Messages are read in when each folder is next opened. MODSEQs
     * restart above any given before (a time-based base), so a CONDSTORE client that remembers
     * an old HIGHESTMODSEQ sees every message as changed rather than missing a change; the
     * tombstone floor tells QRESYNC readers that older expunges are unknown.
     */
    private void rebuildFolders() throws IOException {
        long base = System.currentTimeMillis() * 1000;
        List<String> onDisk = maildirs.foldersOnDisk();
        index.write(tx -> {
            if (tx.folder(FolderName.INBOX) == null) {
                if (spool != null) {
                    tx.insertFolder(FolderName.INBOX, newUidValidity(), 1, base, base, null); // mbox UIDs live only in the index
                } else {
                    registerMaildir(tx, FolderName.INBOX, null, base);
                }
            }
            for (String name : onDisk) {
                if (tx.folder(name) == null) registerMaildir(tx, name, SpecialUse.ofDefaultName(name), base);
            }
            return null;
        });
        if (onDisk.isEmpty()) log.debug("index of {} created", account.name());
        else log.info("index of {} rebuilt from the files: {} folders found", account.name(), onDisk.size() + 1);
    }

    /**
     * Adds a Maildir folder that exists on disk (or creates it) to the index, with the UIDVALIDITY
     * and UIDNEXT of its uidvalidity file, writing one if it has none.
     */
    FolderRow registerMaildir(IndexTx tx, String name, SpecialUse use, long modseqBase) throws IOException, java.sql.SQLException {
        Path dir = maildirs.folderDir(name);
        boolean created = createMaildir(dir);
        UidValidityFile uv = UidValidityFile.read(dir);
        if (uv == null) {
            uv = new UidValidityFile(newUidValidity(), 1);
            uv.write(dir, owner);
        }
        long id = tx.insertFolder(name, uv.uidValidity(), uv.uidNext(), modseqBase, modseqBase, use);
        // A folder found on disk is read in full at its first synchronisation; one made just now is empty.
        if (created) tx.setSyncState(id, MaildirFolder.syncStateOfNewFolder(dir));
        return tx.folder(id);
    }

    /**
     * Creates a Maildir++ folder directory (cur, new, tmp and the maildirfolder marker) if missing;
     * returns whether its cur/ was missing (the folder is new, so empty).
     */
    boolean createMaildir(Path dir) throws IOException {
        boolean created = !Files.isDirectory(dir.resolve("cur"));
        Path top = maildirs.root().getParent();
        owner.createDirectories(top, maildirs.root());
        for (String sub : List.of("cur", "new", "tmp")) owner.createDirectories(top, dir.resolve(sub));
        if (!dir.equals(maildirs.root())) {
            Path marker = dir.resolve(MaildirLayout.FOLDER_MARKER);
            if (!Files.exists(marker)) {
                Files.createFile(marker);
                owner.applyToFile(marker);
            }
        }
        return created;
    }

    /**
     * A UIDVALIDITY for a new folder: the time in seconds, and always above any this process
     * gave before, so a folder deleted and created again within a second still gets a new one.
     */
    static long newUidValidity() {
        long now = System.currentTimeMillis() / 1000;
        return lastUidValidity.updateAndGet(last -> Math.max(now, last + 1)) & 0xFFFF_FFFFL;
    }

    FolderState state(long folderId) {
        return states.computeIfAbsent(folderId, FolderState::new);
    }

    /**
     * The index row of a folder, registering a Maildir folder that another program created and
     * forgetting one whose directory is gone.
     */
    FolderRow folderRow(String name) throws IOException {
        FolderRow row = index.read(tx -> tx.folder(name));
        boolean maildir = !(FolderName.isInbox(name) && spool != null);
        if (maildir && FolderName.isInbox(name) && !Files.isDirectory(maildirs.root().resolve("cur"))) {
            // INBOX always exists (RFC 9051 section 5.1): a virtual user's Maildir removed from
            // outside is made again, empty, with a new UIDVALIDITY since its UIDs are gone.
            log.warn("the Maildir of {} is missing; creating it again", account.name());
            return index.write(tx -> {
                FolderRow old = tx.folder(name);
                if (old != null) {
                    tx.deleteFolder(old.id());
                    changed(old.id(), Long.MAX_VALUE);
                }
                Files.deleteIfExists(maildirs.root().resolve(UidValidityFile.FILE));
                return registerMaildir(tx, name, null, 1);
            });
        }
        if (row != null) {
            if (maildir && !Files.isDirectory(maildirs.folderDir(name).resolve("cur"))) {
                index.write(tx -> {
                    FolderRow again = tx.folder(name);
                    if (again != null) tx.deleteFolder(again.id());
                    return null;
                });
                state(row.id()).notifyListeners(Long.MAX_VALUE);
                throw new FolderNotFoundException(name);
            }
            return row;
        }
        if (maildir && Files.isDirectory(maildirs.folderDir(name).resolve("cur"))) {
            return index.write(tx -> {
                FolderRow again = tx.folder(name);
                return again != null ? again : registerMaildir(tx, name, null, 1);
            });
        }
        throw new FolderNotFoundException(name);
    }

    /** An open folder object of the right kind for a row. */
    EmbeddedFolder folder(FolderRow row) {
        if (FolderName.isInbox(row.name()) && spool != null) return new MboxFolder(this, row);
        return new MaildirFolder(this, row);
    }

    /** Tells this process's sessions, and other processes', that a folder changed. */
    void changed(long folderId, long modseq) {
        FolderState s = states.get(folderId);
        if (s != null) s.notifyListeners(modseq);
        touchMarker(folderId);
    }

    /**
     * Watches a folder's change marker, so that a commit by another process (the CLI, a second
     * server) wakes this process's sessions. A marker, not the index's own files, is watched:
     * SQLite touches those for reasons that are no change (a checkpoint, a closing connection),
     * and a false alarm would wake every waiting session.
     */
    FolderWatcher.Registration watchChanges(long folderId, Runnable callback) {
        String name = Long.toString(folderId);
        return store.watcher().watch(changeMarkers, name, callback);
    }

    private void touchMarker(long folderId) {
        Path marker = changeMarkers.resolve(Long.toString(folderId));
        try {
            try {
                Files.setLastModifiedTime(marker, java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
            } catch (java.nio.file.NoSuchFileException e) {
                Files.writeString(marker, "");
            }
        } catch (IOException e) {
            log.debug("cannot touch {}: {}", marker, e.getMessage());
        }
    }

    @Override
    public void close() {
        index.close();
        if (spool != null) spool.release();
    }
}
