package org.cartero.store.mbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.cartero.store.MailboxLockedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spool mbox file (/var/mail/USER) and its locks, shared by everything in this process that
 * touches the file. Locking follows the convention mutt, mailx (s-nail) and procmail share, in
 * Dovecot's default order (mbox_write_locks = dotlock fcntl):
 * <ol>
 * <li>in this process, a read-write lock (readers stream messages; one writer appends or
 *     rewrites);</li>
 * <li>for a writer, the dotlock USER.lock in the spool directory, made the NFS-safe way (a
 *     unique file hard-linked to the lock name, as liblockfile does), holding our PID so that a
 *     lock left by a killed process is recognised and removed; a lock older than five minutes is
 *     stale too (liblockfile's rule);</li>
 * <li>an fcntl lock on the whole file: exclusive for a writer, shared for readers, so that
 *     another program's fcntl writer waits while we read.</li>
 * </ol>
 * POSIX fcntl locks belong to the process and vanish when any descriptor of the file is closed,
 * which is why the process keeps exactly one channel per spool file, opened here, closed only
 * when unused, and never opens the file elsewhere.
 */
public final class SpoolFile {
    private static final Logger log = LoggerFactory.getLogger(SpoolFile.class);
    private static final ConcurrentHashMap<Path, SpoolFile> OPEN = new ConcurrentHashMap<>();
    private static final Duration STALE_DOTLOCK = Duration.ofMinutes(5);
    private static final long RETRY_MS = 50;

    private final Path path;
    private final Path lockPath;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock(true);
    /** Whether a session of this process holds the write lock (see {@link #lockForSession}). */
    private final AtomicBoolean sessionHeld = new AtomicBoolean();
    private int users;
    // Guarded by "this":
    private FileChannel channel;
    private Object fileKey;
    private FileLock processLock;
    private int sharedHolders;

    private SpoolFile(Path path) {
        this.path = path;
        this.lockPath = path.resolveSibling(path.getFileName() + ".lock");
    }

    /** The process's one instance for {@code path}; {@link #release()} when done. */
    public static SpoolFile acquire(Path path) {
        Path key = path.toAbsolutePath().normalize();
        synchronized (OPEN) {
            SpoolFile f = OPEN.computeIfAbsent(key, SpoolFile::new);
            f.users++;
            return f;
        }
    }

    public void release() {
        synchronized (OPEN) {
            if (--users > 0) return;
            OPEN.remove(path);
        }
        synchronized (this) {
            closeChannel();
        }
    }

    public Path path() {
        return path;
    }

    /** A held lock; closing releases it. */
    public interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the write lock: in-process, dotlock, fcntl exclusive, waiting up to {@code timeout}
     * for each holder. Reentrant for the thread that holds it. The file must exist (see
     * {@link #create}).
     */
    public Lock lockExclusive(Duration timeout) throws IOException {
        return exclusive(timeout, true);
    }

    /**
     * Takes the write lock for a session that keeps it for minutes (a POP3 session, RFC 1939
     * section 8), without waiting for holders that do the same: another such session of this
     * process, or another program's dotlock or fcntl lock (another server's session, mutt,
     * procmail), which are refused at once ({@link MailboxLockedException}, POP3's [IN-USE]).
     * Only this process's short holders (a delivery, a message being read) are waited for, up
     * to {@code timeout}.
     */
    public Lock lockForSession(Duration timeout) throws IOException {
        if (!sessionHeld.compareAndSet(false, true)) throw new MailboxLockedException(path + " is held by another session");
        try {
            Lock lock = exclusive(timeout, false);
            return () -> {
                try {
                    lock.close();
                } finally {
                    sessionHeld.set(false);
                }
            };
        } catch (IOException | RuntimeException e) {
            sessionHeld.set(false);
            throw e;
        }
    }

    private Lock exclusive(Duration timeout, boolean waitForOtherPrograms) throws IOException {
        long start = System.nanoTime();
        long deadline = waitForOtherPrograms ? start + timeout.toNanos() : start;
        inProcess(rw.writeLock(), timeout);
        if (rw.getWriteHoldCount() > 1) return rw.writeLock()::unlock;
        boolean ok = false;
        try {
            dotlock(deadline);
            try {
                synchronized (this) {
                    openChannel();
                    processLock = fcntl(false, deadline);
                }
                ok = true;
            } finally {
                if (!ok) removeDotlock();
            }
        } finally {
            if (!ok) rw.writeLock().unlock();
        }
        return this::unlockExclusive;
    }

    private void inProcess(java.util.concurrent.locks.Lock lock, Duration timeout) throws MailboxLockedException {
        try {
            if (!lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new MailboxLockedException(path + " is locked by another session");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailboxLockedException("interrupted while waiting for " + path);
        }
    }

    private void unlockExclusive() {
        try {
            synchronized (this) {
                releaseProcessLock();
            }
            removeDotlock();
        } finally {
            rw.writeLock().unlock();
        }
    }

    /** Takes a read lock (in-process shared, fcntl shared); null-safe when the file does not exist. */
    public Lock lockShared(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        inProcess(rw.readLock(), timeout);
        if (rw.isWriteLockedByCurrentThread()) return rw.readLock()::unlock; // the writer reads under its own lock
        boolean ok = false;
        try {
            synchronized (this) {
                if (sharedHolders == 0) {
                    if (!openChannelIfExists()) {
                        ok = true;
                        return rw.readLock()::unlock;
                    }
                    processLock = fcntl(true, deadline);
                }
                sharedHolders++;
            }
            ok = true;
        } finally {
            if (!ok) rw.readLock().unlock();
        }
        return this::unlockShared;
    }

    private void unlockShared() {
        try {
            synchronized (this) {
                if (--sharedHolders == 0) releaseProcessLock();
            }
        } finally {
            rw.readLock().unlock();
        }
    }

    public boolean heldExclusivelyByAnotherThread() {
        return rw.isWriteLocked() && !rw.isWriteLockedByCurrentThread();
    }

    /** The channel to read and write through; valid while a lock is held. Null if there is no file. */
    public synchronized FileChannel channel() {
        return channel;
    }

    /**
     * Creates the spool file if missing, owned by the user with the spool's conventional mode:
     * 0660 and the directory's group where the directory is setgid (Debian's /var/mail is
     * root:mail 2775), else 0600 and the user's group.
     */
    public void create(int uid, int gid) throws IOException {
        if (Files.exists(path)) return;
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            return;
        }
        int dirMode = (Integer) Files.getAttribute(path.getParent(), "unix:mode");
        boolean setgid = (dirMode & 02000) != 0;
        Files.setPosixFilePermissions(path, java.nio.file.attribute.PosixFilePermissions.fromString(setgid ? "rw-rw----" : "rw-------"));
        if (uid >= 0) {
            Files.setAttribute(path, "unix:uid", uid);
            Files.setAttribute(path, "unix:gid", setgid ? (Integer) Files.getAttribute(path.getParent(), "unix:gid") : gid);
        }
    }

    // ---- internals

    private void openChannel() throws IOException {
        if (!openChannelIfExists()) throw new NoSuchFileException(path.toString());
    }

    /** (Re)opens the channel when the file at the path is not the one open. Caller holds "this". */
    private boolean openChannelIfExists() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            closeChannel();
            return false;
        }
        if (channel != null && Objects.equals(fileKey, attrs.fileKey())) return true;
        closeChannel();
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        fileKey = attrs.fileKey();
        return true;
    }

    private void closeChannel() {
        if (channel == null || processLock != null) return;
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("closing {}: {}", path, e.getMessage());
        }
        channel = null;
        fileKey = null;
    }

    private FileLock fcntl(boolean shared, long deadline) throws IOException {
        while (true) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            if (lock != null) return lock;
            if (System.nanoTime() > deadline) {
                throw new MailboxLockedException(path + " is locked (fcntl) by another program");
            }
            sleep();
        }
    }

    private void releaseProcessLock() {
        if (processLock == null) return;
        try {
            processLock.release();
        } catch (IOException e) {
            log.warn("releasing the lock of {}: {}", path, e.getMessage());
        }
        processLock = null;
    }

    private void dotlock(long deadline) throws IOException {
        String host = java.net.InetAddress.getLoopbackAddress().getHostName();
        Path unique = lockPath.resolveSibling(lockPath.getFileName() + "." + host + "." + ProcessHandle.current().pid()
                + "." + Thread.currentThread().threadId());
        Files.writeString(unique, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        try {
            while (true) {
                try {
                    Files.createLink(lockPath, unique);
                    return;
                } catch (FileAlreadyExistsException e) {
                    if ((Integer) Files.getAttribute(unique, "unix:nlink") == 2) return; // linked after all (NFS)
                    if (breakIfStale()) continue; // a dead holder's lock is gone: try again at once
                }
                if (System.nanoTime() > deadline) {
                    throw new MailboxLockedException(lockPath + " is held by another program");
                }
                sleep();
            }
        } finally {
            Files.deleteIfExists(unique);
        }
    }

    /** Removes a dotlock whose owner process is gone or which is older than five minutes; true if it did. */
    private boolean breakIfStale() {
        try {
            BasicFileAttributes attrs = Files.readAttributes(lockPath, BasicFileAttributes.class);
            String content = Files.readString(lockPath, StandardCharsets.US_ASCII).trim();
            boolean ownerGone = false;
            if (content.matches("\\d{1,10}")) {
                long pid = Long.parseLong(content);
                ownerGone = pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty();
            }
            FileTime age = FileTime.fromMillis(System.currentTimeMillis() - STALE_DOTLOCK.toMillis());
            if (ownerGone || attrs.lastModifiedTime().compareTo(age) < 0) {
                BasicFileAttributes again = Files.readAttributes(lockPath, BasicFileAttributes.class);
                if (Objects.equals(again.fileKey(), attrs.fileKey())) {
                    log.warn("removing stale lock {} ({})", lockPath, ownerGone ? "its process is gone" : "older than 5 minutes");
                    Files.deleteIfExists(lockPath);
                    return true;
                }
            }
            return false;
        } catch (NoSuchFileException e) {
            return true; // released meanwhile: try again
        } catch (IOException e) {
            log.debug("checking {}: {}", lockPath, e.getMessage());
            return false;
        }
    }

    private void removeDotlock() {
        try {
            Files.deleteIfExists(lockPath);
        } catch (IOException e) {
            log.warn("cannot remove {}: {}", lockPath, e.getMessage());
        }
    }

    private static void sleep() throws MailboxLockedException {
        try {
            Thread.sleep(RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailboxLockedException("interrupted while waiting for a lock");
        }
    }
}
