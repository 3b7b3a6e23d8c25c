package org.cartero.store.index;

import java.util.List;
import org.cartero.store.FolderStatus;
import org.cartero.store.SpecialUse;

/**
 * A folder as the index knows it. {@code tombstoneFloor}: expunges with a MODSEQ at or below it
 * may have been forgotten (set when the index is rebuilt). {@code syncState} is the backend's
 * note of what the files looked like when last read (directory times, mbox size and inode);
 * {@code keywords} every keyword ever set in the folder.
 */
public record FolderRow(long id, String name, long uidValidity, long uidNext, long highestModseq,
                        long tombstoneFloor, SpecialUse specialUse, long messages, long unseen, long size,
                        String syncState, List<String> keywords) {

    public FolderStatus status() {
        return new FolderStatus(name, uidValidity, uidNext, highestModseq, messages, unseen, size);
    }
}
