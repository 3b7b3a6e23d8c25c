package org.cartero.core.directory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A value read from files and read again when one of them changes (its modification time,
 * size or inode), so that an administrator's edit counts without a restart. Checking costs one
 * stat(2) per file. Not thread-safe: the caller holds a lock.
 */
final class WatchedFile<T> {

    interface Loader<T> {
        T load(Path file) throws IOException;
    }

    /** What a loaded value depends on: the file itself and, e.g., the files it includes. */
    interface Dependencies<T> {
        Set<Path> of(T value);
    }

    private record Stamp(Path path, boolean exists, FileTime modified, long size, Object fileKey) {
        static Stamp of(Path path) throws IOException {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
                return new Stamp(path, true, a.lastModifiedTime(), a.size(), a.fileKey());
            } catch (NoSuchFileException e) {
                return new Stamp(path, false, null, -1, null);
            }
        }
    }

    private final Path file;
    private final Loader<T> loader;
    private final Dependencies<T> dependencies;
    private T value;
    private List<Stamp> stamps = List.of();

    WatchedFile(Path file, Loader<T> loader, Dependencies<T> dependencies) {
        this.file = file;
        this.loader = loader;
        this.dependencies = dependencies;
    }

    /** The current value: the one read before, or a fresh one when a file changed since. */
    T get() throws IOException {
        if (value != null && unchanged()) return value;
        // Stamps first: a change made while the files are read shows up at the next call. Files
        // included for the first time can only be stamped once the loader has named them.
        Map<Path, Stamp> before = new HashMap<>();
        before.put(file, Stamp.of(file));
        for (Stamp stamp : stamps) before.put(stamp.path(), Stamp.of(stamp.path()));
        T loaded = loader.load(file);
        List<Stamp> now = new ArrayList<>();
        now.add(before.get(file));
        for (Path dependency : dependencies.of(loaded)) {
            if (dependency.equals(file)) continue;
            Stamp stamp = before.get(dependency);
            now.add(stamp != null ? stamp : Stamp.of(dependency));
        }
        value = loaded;
        stamps = List.copyOf(now);
        return value;
    }

    private boolean unchanged() throws IOException {
        for (Stamp stamp : stamps) {
            if (!stamp.equals(Stamp.of(stamp.path()))) return false;
        }
        return true;
    }
}
