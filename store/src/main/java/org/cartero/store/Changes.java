package org.cartero.store;

import java.util.List;

/**
 * What changed in a folder after a given MODSEQ: the messages whose metadata changed or that
 * arrived (both have a MODSEQ above it; a new one has a UID the session has not seen), and the
 * UIDs expunged since. {@code expungedComplete} is false when tombstones older than the asked
 * MODSEQ are gone (after an index rebuild): the reader must then compare its own UID list with
 * the folder's (RFC 7162 section 3.2.5.2 allows VANISHED for every missing UID).
 */
public record Changes(long highestModseq, long uidNext, List<MessageInfo> changed, UidSet expunged,
                      boolean expungedComplete) {

    public boolean isEmpty() {
        return changed.isEmpty() && expunged.isEmpty();
    }
}
