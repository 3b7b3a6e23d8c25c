package org.cartero.store.maildir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.cartero.store.files.Durable;
import org.cartero.store.files.Ownership;

/**
 * A Maildir folder's {@code cartero-uidvalidity} file: "UIDVALIDITY UIDNEXT\n". With the UIDs in
 * the file names it is what lets a lost index be rebuilt without changing UIDVALIDITY: the UIDNEXT
 * written here (at creation and after every expunge) keeps the UIDs of expunged messages from
 * being given again (RFC 9051 section 2.3.1.1: UIDs are never reused within a UIDVALIDITY).
 */
public record UidValidityFile(long uidValidity, long uidNext) {
    public static final String FILE = "cartero-uidvalidity";

    public static UidValidityFile read(Path folderDir) throws IOException {
        String text;
        try {
            text = Files.readString(folderDir.resolve(FILE), StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return null;
        }
        String[] parts = text.split("\\s+");
        try {
            long validity = Long.parseLong(parts[0]);
            long next = parts.length > 1 ? Long.parseLong(parts[1]) : 1;
            if (validity < 1 || validity > 0xFFFF_FFFFL || next < 1) return null;
            return new UidValidityFile(validity, next);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Replaces the file atomically and durably. */
    public void write(Path folderDir, Ownership owner) throws IOException {
        Path tmp = folderDir.resolve(FILE + ".tmp" + ProcessHandle.current().pid() + "." + Thread.currentThread().threadId());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(StandardCharsets.US_ASCII.encode(uidValidity + " " + uidNext + "\n"));
            ch.force(true);
        }
        owner.applyToFile(tmp);
        Files.move(tmp, folderDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Durable.syncDirectory(folderDir);
    }
}
