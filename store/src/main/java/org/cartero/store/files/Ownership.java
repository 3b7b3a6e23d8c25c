package org.cartero.store.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Who owns the files the store creates for an account, and with which modes. Virtual users'
 * mail belongs to the server's own user ({@link #PROCESS}); a local user's Maildir and spool
 * file belong to that user (their uid and gid), so that mutt and procmail running as the user
 * keep working on them. Files are 0600 and directories 0700, as Dovecot makes them.
 */
public record Ownership(int uid, int gid) {
    /** Files stay with the user the server runs as. */
    public static final Ownership PROCESS = new Ownership(-1, -1);

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    /** The mode to create a file with (0600), sparing the chmod of {@link #applyToFile}; {@link #chown} follows. */
    public static final FileAttribute<Set<PosixFilePermission>> NEW_FILE = PosixFilePermissions.asFileAttribute(FILE_MODE);
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    /** Sets mode 0600 and, for a local user, the owner of a file just created. */
    public void applyToFile(Path file) throws IOException {
        Files.setPosixFilePermissions(file, FILE_MODE);
        chown(file);
    }

    public void applyToDirectory(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, DIR_MODE);
        chown(dir);
    }

    public void chown(Path path) throws IOException {
        if (this == PROCESS || uid < 0) return;
        Files.setAttribute(path, "unix:uid", uid);
        Files.setAttribute(path, "unix:gid", gid);
    }

    /** Creates {@code dir} and its missing parents below {@code top}, each with this ownership. */
    public void createDirectories(Path top, Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        Path parent = dir.getParent();
        if (parent != null && !dir.equals(top) && parent.startsWith(top)) createDirectories(top, parent);
        try {
            Files.createDirectory(dir);
            applyToDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
        }
    }
}
