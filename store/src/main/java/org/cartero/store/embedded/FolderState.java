package org.cartero.store.embedded;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.cartero.store.UidList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What all sessions of this process share about one folder: who waits for changes, the last
 * MODSEQ they were told about, a cached UID array (so a second SELECT of an unchanged folder
 * copies an array instead of reading 100k rows), and the lock that keeps two threads from
 * synchronising the folder with its files at once.
 */
final class FolderState {
    private static final Logger log = LoggerFactory.getLogger(FolderState.class);

    final long folderId;
    final ReentrantLock syncLock = new ReentrantLock();
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
    private List<FolderWatcher.Registration> fileWatches; // while anyone listens; guarded by "this"
    private volatile long notifiedModseq;
    private int[] cachedUids;
    private int cachedCount;
    private long cachedModseq = -1;
    volatile boolean tmpCleaned;

    FolderState(long folderId) {
        this.folderId = folderId;
    }

    /**
     * Adds a listener; the first one also starts watching the files (once per folder, however
     * many sessions wait on it: 10k IDLE sessions on one INBOX share one set of watches).
     */
    synchronized void addListener(Runnable r, Supplier<List<FolderWatcher.Registration>> watchFiles) {
        listeners.add(r);
        if (fileWatches == null) fileWatches = watchFiles.get();
    }

    synchronized void removeListener(Runnable r) {
        listeners.remove(r);
        if (listeners.isEmpty() && fileWatches != null) {
            fileWatches.forEach(FolderWatcher.Registration::close);
            fileWatches = null;
        }
    }

    boolean hasListeners() {
        return !listeners.isEmpty();
    }

    long notifiedModseq() {
        return notifiedModseq;
    }

    /** Tells every waiting session that the folder may have changed (up to {@code modseq}). */
    void notifyListeners(long modseq) {
        if (modseq > notifiedModseq) notifiedModseq = modseq;
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                log.warn("change listener failed", e);
            }
        }
    }

    /** The cached UIDs if they are those of {@code modseq}, else null. */
    synchronized UidList cachedUids(long modseq) {
        return modseq == cachedModseq ? UidList.sharing(cachedUids, cachedCount) : null;
    }

    synchronized void cacheUids(long modseq, int[] uids) {
        if (modseq >= cachedModseq) {
            cachedModseq = modseq;
            cachedUids = uids;
            cachedCount = uids.length;
        }
    }
}
