package org.cartero.store.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.cartero.store.Flags;
import org.cartero.store.mime.MessageStructure;

/**
 * A message written to a staging file and parsed, waiting for its commit: in the target
 * folder's tmp/ for a Maildir (so the commit is a rename), in the account's state directory,
 * already mboxrd-quoted, for an mbox (so the commit is a copy). {@code physicalSize} is the
 * staging file's size.
 */
final class Staged {
    final Path file;
    final MessageStructure structure;
    final Flags flags;
    final Instant internalDate;
    final long physicalSize;
    final String unique;
    private boolean placed;

    Staged(Path file, MessageStructure structure, Flags flags, Instant internalDate, long physicalSize, String unique) {
        this.file = file;
        this.structure = structure;
        this.flags = flags;
        this.internalDate = internalDate;
        this.physicalSize = physicalSize;
        this.unique = unique;
    }

    /** The staging file now lives elsewhere (renamed into the folder). */
    void placed() {
        placed = true;
    }

    void discard() {
        if (placed) return;
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover in tmp/ is removed by the tmp cleaner after 36 hours
        }
    }
}
