package org.cartero.store.index;

import java.time.Instant;
import org.cartero.store.Flags;

/**
 * A message as the index knows it. Where it lies depends on the backend: {@code file} is the
 * Maildir file ("cur/NAME" or "new/NAME"); for an mbox, {@code mboxOffset} is the From_ line,
 * [{@code mboxContent}, {@code mboxEnd}) the quoted message, and {@code fingerprint} what
 * recognises it after another program rewrote the file, {@code mboxStatus} the flags its Status and
 * X-Status headers gave at the last reading. {@code size} is the wire size,
 * {@code storedSize} the size of the stored (unquoted, LF) form.
 */
public record MessageRow(long uid, long modseq, Flags flags, Instant internalDate, long size, long storedSize,
                         String file, long mboxOffset, long mboxContent, long mboxEnd, long fingerprint,
                         int mboxStatus) {

    public static MessageRow maildir(long uid, long modseq, Flags flags, Instant date, long size, long storedSize, String file) {
        return new MessageRow(uid, modseq, flags, date, size, storedSize, file, -1, -1, -1, 0, 0);
    }

    /**
     * A row that says only where a message lies (what reading it needs), for a location a
     * listing handed out: the flags, dates and fingerprint it leaves out are not kept for it.
     */
    public static MessageRow located(long uid, long size, long storedSize, String file, long mboxContent, long mboxEnd) {
        return new MessageRow(uid, 0, Flags.NONE, Instant.EPOCH, size, storedSize, file, -1, mboxContent, mboxEnd, 0, 0);
    }

    public MessageRow withFlags(Flags newFlags, long newModseq, String newFile) {
        return new MessageRow(uid, newModseq, newFlags, internalDate, size, storedSize, newFile, mboxOffset,
                mboxContent, mboxEnd, fingerprint, mboxStatus);
    }
}
