package org.cartero.store.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.cartero.core.directory.Account;
import org.cartero.store.AccountStore;
import org.cartero.store.Folder;
import org.cartero.store.FolderExistsException;
import org.cartero.store.FolderInfo;
import org.cartero.store.FolderName;
import org.cartero.store.FolderNotFoundException;
import org.cartero.store.FolderStatus;
import org.cartero.store.InvalidFolderNameException;
import org.cartero.store.MailboxLockedException;
import org.cartero.store.MaildropLock;
import org.cartero.store.QuotaUsage;
import org.cartero.store.SpecialUse;
import org.cartero.store.UidSet;
import org.cartero.store.index.FolderRow;
import org.cartero.store.index.IndexTx;
import org.cartero.store.mbox.SpoolFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One session's view of an account's folders (see {@link AccountStore}). */
final class EmbeddedAccountStore implements AccountStore {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedAccountStore.class);
    private static final String SUBSCRIPTIONS = "cartero-subscriptions";
    private static final String POP3_LOCK = "cartero-pop3.lock";
    private static final Set<Path> HELD_MAILDROPS = ConcurrentHashMap.newKeySet();

    private final AccountContext ctx;
    private final Runnable onClose;
    private final List<Folder> open = new ArrayList<>();
    private boolean closed;

    EmbeddedAccountStore(AccountContext ctx, Runnable onClose) {
        this.ctx = ctx;
        this.onClose = onClose;
    }

    @Override
    public Account account() {
        return ctx.account;
    }

    // ---- folders

    @Override
    public List<FolderInfo> list() throws IOException {
        List<FolderRow> rows = reconcileFolders();
        Set<String> subscribed = new LinkedHashSet<>(subscriptions());
        Map<String, FolderRow> byName = new TreeMap<>();
        for (FolderRow r : rows) byName.put(r.name(), r);
        Set<String> all = new java.util.TreeSet<>(byName.keySet());
        for (String name : byName.keySet()) {
            for (String p = FolderName.parent(name); p != null; p = FolderName.parent(p)) all.add(p);
        }
        List<FolderInfo> out = new ArrayList<>();
        for (String name : all) {
            boolean hasChildren = all.stream().anyMatch(n -> n.startsWith(name + "/"));
            FolderRow row = byName.get(name);
            out.add(new FolderInfo(name, row != null, hasChildren, subscribed.contains(name), row == null ? null : row.specialUse()));
        }
        out.sort(Comparator.comparing((FolderInfo f) -> !FolderName.isInbox(f.name())).thenComparing(FolderInfo::name));
        return out;
    }

    /** Brings the index's folder list in line with the Maildir++ directories on disk. */
    private List<FolderRow> reconcileFolders() throws IOException {
        Set<String> onDisk = new LinkedHashSet<>(ctx.maildirs.foldersOnDisk());
        List<FolderRow> rows = ctx.index.read(IndexTx::folders);
        boolean inboxIsMaildir = ctx.spool == null;
        boolean differs = rows.stream().anyMatch(r -> !FolderName.isInbox(r.name()) && !onDisk.contains(r.name()))
                || onDisk.stream().anyMatch(n -> rows.stream().noneMatch(r -> r.name().equals(n)));
        if (!differs) return rows;
        return ctx.index.write(tx -> {
            for (FolderRow r : tx.folders()) {
                if (FolderName.isInbox(r.name()) || onDisk.contains(r.name())) continue;
                if (!Files.isDirectory(ctx.maildirs.folderDir(r.name()).resolve("cur"))) {
                    tx.deleteFolder(r.id());
                    ctx.changed(r.id(), Long.MAX_VALUE);
                }
            }
            for (String name : onDisk) {
                if (tx.folder(name) == null) ctx.registerMaildir(tx, name, null, 1);
            }
            if (inboxIsMaildir && tx.folder(FolderName.INBOX) == null) ctx.registerMaildir(tx, FolderName.INBOX, null, 1);
            return tx.folders();
        });
    }

    @Override
    public void create(String name) throws IOException {
        create(name, null);
    }

    @Override
    public void create(String name, SpecialUse use) throws IOException {
        String n = FolderName.normalize(name);
        if (FolderName.isInbox(n)) throw new FolderExistsException(n);
        reconcileFolders();
        ctx.index.write(tx -> {
            if (tx.folder(n) != null) throw new FolderExistsException(n);
            // RFC 9051 section 6.3.4: superior hierarchical names are created as needed.
            for (String p = FolderName.parent(n); p != null; p = FolderName.parent(p)) {
                if (!FolderName.isInbox(p) && tx.folder(p) == null) ctx.registerMaildir(tx, p, null, 1);
            }
            FolderRow row = ctx.registerMaildir(tx, n, null, 1);
            if (use != null) assignUse(tx, row, use);
            return null;
        });
    }

    private void assignUse(IndexTx tx, FolderRow row, SpecialUse use) throws java.sql.SQLException {
        for (FolderRow other : tx.folders()) {
            if (other.specialUse() == use && other.id() != row.id()) tx.setSpecialUse(other.id(), null);
        }
        tx.setSpecialUse(row.id(), use);
    }

    @Override
    public String specialUse(SpecialUse use) throws IOException {
        for (FolderRow r : reconcileFolders()) if (r.specialUse() == use) return r.name();
        return ctx.index.write(tx -> {
            for (FolderRow r : tx.folders()) if (r.specialUse() == use) return r.name();
            FolderRow row = tx.folder(use.defaultName());
            if (row == null) row = ctx.registerMaildir(tx, use.defaultName(), null, 1);
            assignUse(tx, row, use);
            return row.name();
        });
    }

    @Override
    public void delete(String name) throws IOException {
        String n = FolderName.normalize(name);
        if (FolderName.isInbox(n)) throw new InvalidFolderNameException(n, "INBOX cannot be deleted");
        FolderRow row = ctx.folderRow(n);
        Path dir = ctx.maildirs.folderDir(n);
        Path trash = dir.resolveSibling("..deleted-" + System.nanoTime() + "-" + dir.getFileName());
        ctx.index.write(tx -> {
            if (tx.folder(row.id()) == null) throw new FolderNotFoundException(n);
            Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE); // gone at once for every reader
            tx.deleteFolder(row.id());
            return null;
        });
        ctx.changed(row.id(), Long.MAX_VALUE);
        deleteTree(trash);
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("could not remove all of {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public void rename(String from, String to) throws IOException {
        String f = FolderName.normalize(from);
        String t = FolderName.normalize(to);
        if (FolderName.isInbox(t)) throw new FolderExistsException(t);
        if (FolderName.isSelfOrDescendant(t, f)) throw new InvalidFolderNameException(t, "a folder cannot move into itself");
        reconcileFolders();
        if (FolderName.isInbox(f)) {
            // RFC 9051 section 6.3.6: renaming INBOX moves its messages to the new name, INBOX stays.
            create(t);
            try (Folder inbox = open(FolderName.INBOX)) {
                inbox.move(UidSet.all(), t);
            }
            return;
        }
        ctx.folderRow(f);
        ctx.index.write(tx -> {
            if (tx.folder(t) != null) throw new FolderExistsException(t);
            List<FolderRow> moving = new ArrayList<>();
            for (FolderRow r : tx.folders()) if (FolderName.isSelfOrDescendant(r.name(), f)) moving.add(r);
            if (moving.isEmpty()) throw new FolderNotFoundException(f);
            for (FolderRow r : moving) {
                String newName = t + r.name().substring(f.length());
                Path target = ctx.maildirs.folderDir(newName);
                if (Files.exists(target)) throw new FolderExistsException(newName);
                Files.move(ctx.maildirs.folderDir(r.name()), target, StandardCopyOption.ATOMIC_MOVE);
                tx.renameFolder(r.id(), newName);
            }
            for (String p = FolderName.parent(t); p != null; p = FolderName.parent(p)) {
                if (!FolderName.isInbox(p) && tx.folder(p) == null) ctx.registerMaildir(tx, p, null, 1);
            }
            return null;
        });
        List<String> subs = subscriptions();
        if (subs.stream().anyMatch(s -> FolderName.isSelfOrDescendant(s, f))) {
            writeSubscriptions(subs.stream().map(s -> FolderName.isSelfOrDescendant(s, f) ? t + s.substring(f.length()) : s).toList());
        }
    }

    // ---- subscriptions: a file in the Maildir root, since they are the user's data, not cache

    @Override
    public void subscribe(String name) throws IOException {
        String n = FolderName.normalize(name);
        synchronized (ctx) {
            List<String> subs = new ArrayList<>(subscriptions());
            if (!subs.contains(n)) {
                subs.add(n);
                writeSubscriptions(subs);
            }
        }
    }

    @Override
    public void unsubscribe(String name) throws IOException {
        String n = FolderName.normalize(name);
        synchronized (ctx) {
            List<String> subs = new ArrayList<>(subscriptions());
            if (subs.remove(n)) writeSubscriptions(subs);
        }
    }

    @Override
    public List<String> subscriptions() throws IOException {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(ctx.maildirs.root().resolve(SUBSCRIPTIONS), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) out.add(line);
            }
            return out;
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private void writeSubscriptions(List<String> names) throws IOException {
        ctx.owner.createDirectories(ctx.maildirs.root().getParent(), ctx.maildirs.root());
        Path file = ctx.maildirs.root().resolve(SUBSCRIPTIONS);
        Path tmp = file.resolveSibling(SUBSCRIPTIONS + ".tmp" + ProcessHandle.current().pid());
        Files.writeString(tmp, names.isEmpty() ? "" : String.join("\n", names) + "\n", StandardCharsets.UTF_8);
        ctx.owner.applyToFile(tmp);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    // ---- folders as objects

    @Override
    public FolderStatus status(String name) throws IOException {
        try (Folder folder = open(name)) {
            return folder.status();
        }
    }

    @Override
    public Folder open(String name) throws IOException {
        if (closed) throw new IOException("account store closed");
        // No synchronisation here: a delivery does not need it, and every read that does
        // (status, snapshot, changesSince) synchronises first.
        EmbeddedFolder folder = ctx.folder(ctx.folderRow(FolderName.normalize(name)));
        synchronized (open) {
            open.add(folder);
        }
        folder.onClose(() -> {
            synchronized (open) {
                open.remove(folder);
            }
        });
        return folder;
    }

    @Override
    public QuotaUsage quota() throws IOException {
        long[] totals = ctx.index.read(IndexTx::totals);
        return new QuotaUsage(totals[0], ctx.account.quotaBytes(), totals[1]);
    }

    @Override
    public MaildropLock lockMaildrop() throws IOException {
        if (ctx.spool != null) {
            MboxFolder inbox = (MboxFolder) ctx.folder(ctx.folderRow(FolderName.INBOX));
            SpoolFile.Lock lock = inbox.lockMaildrop();
            return lock::close;
        }
        // A Maildir needs no lock for consistency; this one only gives RFC 1939's exclusive
        // session: an fcntl lock on a file (other processes) and a set of held paths (this one).
        Path file = ctx.maildirs.root().resolve(POP3_LOCK);
        if (!HELD_MAILDROPS.add(file)) throw new MailboxLockedException("another POP3 session holds this maildrop");
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                throw new MailboxLockedException("another POP3 session holds this maildrop");
            }
            return () -> {
                try {
                    ch.close(); // releases the lock
                } catch (IOException e) {
                    log.debug("closing {}: {}", file, e.getMessage());
                } finally {
                    HELD_MAILDROPS.remove(file);
                }
            };
        } catch (IOException | RuntimeException e) {
            HELD_MAILDROPS.remove(file);
            throw e;
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        List<Folder> folders;
        synchronized (open) {
            folders = List.copyOf(open);
        }
        folders.forEach(Folder::close);
        onClose.run();
    }
}
