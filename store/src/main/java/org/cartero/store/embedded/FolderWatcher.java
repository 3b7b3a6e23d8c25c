package org.cartero.store.embedded;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices changes made by other processes: a file another program dropped into a Maildir's
 * new/, mutt rewriting a spool file, another Cartero process (the CLI) committing to an index.
 * One inotify-backed WatchService for the whole store watches the directories of the folders
 * someone waits on, and calls the registered callbacks, which only wake sessions (they
 * synchronise in their own threads). Changes made in this process notify directly, without
 * waiting for the kernel. If the kernel refuses a watch (inotify limits), the folder is polled
 * once a second instead, so IDLE still learns of new mail within a second.
 */
final class FolderWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);
    private static final long POLL_MS = 1000;

    /** A callback for changes to {@code dir}, or to its entry {@code name} only when not null. */
    private static final class Target {
        final Path dir;
        final String name;
        final Runnable callback;
        String lastSeen = ""; // for polling: the probed file's time and size when last looked at

        Target(Path dir, String name, Runnable callback) {
            this.dir = dir;
            this.name = name;
            this.callback = callback;
        }

        boolean matches(Path entry) {
            return name == null || entry.getFileName().toString().equals(name);
        }

        /** What polling compares: the directory's (or the named entry's) time and size. */
        String probe() {
            try {
                var a = Files.readAttributes(name == null ? dir : dir.resolve(name), BasicFileAttributes.class);
                return a.lastModifiedTime() + " " + a.size();
            } catch (IOException e) {
                return "absent";
            }
        }
    }

    private final WatchService service;
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private final Map<WatchKey, Path> dirs = new HashMap<>();
    private final Map<Path, List<Target>> targets = new HashMap<>();
    private final Set<Target> polled = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private final Thread poller;
    private volatile boolean closed;

    FolderWatcher() throws IOException {
        service = FileSystems.getDefault().newWatchService();
        thread = Thread.ofPlatform().daemon().name("cartero-store-watcher").start(this::run);
        poller = Thread.ofVirtual().name("cartero-store-poller").start(this::poll);
    }

    /** A registration; closing it stops the callbacks. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Calls {@code callback} when an entry of {@code dir} (only the one called {@code name},
     * if not null) is created, changed or removed.
     */
    Registration watch(Path dir, String name, Runnable callback) {
        Target target = new Target(dir, name, callback);
        synchronized (this) {
            if (closed) return () -> { };
            try {
                if (!keys.containsKey(dir)) {
                    WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
                    keys.put(dir, key);
                    dirs.put(key, dir);
                }
                targets.computeIfAbsent(dir, d -> new ArrayList<>()).add(target);
            } catch (IOException e) {
                log.warn("cannot watch {} ({}); polling it every second instead", dir, e.getMessage());
                target.lastSeen = target.probe();
                polled.add(target);
            }
        }
        return () -> unwatch(dir, target);
    }

    private synchronized void unwatch(Path dir, Target target) {
        polled.remove(target);
        List<Target> list = targets.get(dir);
        if (list == null) return;
        list.remove(target);
        if (list.isEmpty()) {
            targets.remove(dir);
            WatchKey key = keys.remove(dir);
            if (key != null) {
                dirs.remove(key);
                key.cancel();
            }
        }
    }

    private void run() {
        while (!closed) {
            WatchKey key;
            try {
                key = service.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            List<Runnable> toCall = new ArrayList<>();
            synchronized (this) {
                Path dir = dirs.get(key);
                List<Target> list = dir == null ? List.of() : targets.getOrDefault(dir, List.of());
                for (WatchEvent<?> event : key.pollEvents()) {
                    Object context = event.context();
                    for (Target t : list) {
                        boolean overflow = event.kind() == StandardWatchEventKinds.OVERFLOW;
                        if ((overflow || (context instanceof Path p && t.matches(p))) && !toCall.contains(t.callback)) {
                            toCall.add(t.callback);
                        }
                    }
                }
                key.reset();
            }
            for (Runnable r : toCall) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    log.warn("change callback failed", e);
                }
            }
        }
    }

    private void poll() {
        while (!closed) {
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
            for (Target t : polled) {
                String now = t.probe();
                if (!now.equals(t.lastSeen)) {
                    t.lastSeen = now;
                    t.callback.run();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            service.close();
        } catch (IOException e) {
            log.debug("closing the watch service: {}", e.getMessage());
        }
        poller.interrupt();
    }
}
