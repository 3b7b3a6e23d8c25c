package org.cartero.store.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.cartero.store.files.Durable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash safety for changes to an mbox, which (unlike Maildir) is changed in place:
 * <ul>
 * <li>Before appending, the journal records where the append starts and how long it will be
 *     ("APPEND offset length"), durably. A process killed mid-append leaves a file longer than
 *     the offset but shorter than offset + length: recovery truncates it back, so a partial
 *     message never survives. A complete append is kept.</li>
 * <li>Before rewriting the file to expunge (mutt's way: in place, so the inode, owner and mode
 *     stay), the journal holds the new tail of the file ("REWRITE offset length", the bytes, a
 *     CRC). Once it is durable the tail is copied into place; recovery redoes that copy, which
 *     is idempotent, so a crash at any moment leaves either the old or the new mailbox.</li>
 * </ul>
 * Recovery runs under the spool's exclusive lock before any other change.
 */
public final class MboxJournal {
    private static final Logger log = LoggerFactory.getLogger(MboxJournal.class);

    private final Path appendJournal;
    private final Path rewriteJournal;

    public MboxJournal(Path stateDir) {
        this.appendJournal = stateDir.resolve("mbox-append.journal");
        this.rewriteJournal = stateDir.resolve("mbox-rewrite.journal");
    }

    /** True when a change may have been interrupted: call {@link #recover} under the lock. */
    public boolean needsRecovery() {
        return Files.exists(appendJournal) || Files.exists(rewriteJournal);
    }

    public void beginAppend(long offset, long length) throws IOException {
        byte[] text = ("APPEND " + offset + " " + length + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(appendJournal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(text));
            ch.force(true);
        }
        Durable.syncDirectory(appendJournal.getParent());
    }

    /** The append is complete and durable in the mbox: the record is no longer needed. */
    public void endAppend() throws IOException {
        Files.deleteIfExists(appendJournal);
    }

    /**
     * Rewrites {@code mbox} from {@code offset} on with {@code tail} (the tail read from the
     * journal file {@code tailFile} as written by the caller) and truncates it after.
     */
    public void rewrite(FileChannel mbox, long offset, Path tailFile) throws IOException {
        long length = Files.size(tailFile);
        CRC32 crc = new CRC32();
        try (FileChannel in = FileChannel.open(tailFile, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(rewriteJournal, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(ByteBuffer.wrap(("REWRITE " + offset + " " + length + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            while (in.read(buf) > 0) {
                buf.flip();
                crc.update(buf.duplicate());
                while (buf.hasRemaining()) out.write(buf);
                buf.clear();
            }
            out.write(ByteBuffer.wrap(("\nEND " + crc.getValue() + "\n").getBytes(StandardCharsets.US_ASCII)));
            out.force(true);
        }
        Durable.syncDirectory(rewriteJournal.getParent());
        Files.delete(tailFile);
        replayRewrite(mbox);
    }

    /** Repairs what an interrupted change left (see the class comment). */
    public void recover(FileChannel mbox) throws IOException {
        if (Files.exists(rewriteJournal)) replayRewrite(mbox);
        String append;
        try {
            append = Files.readString(appendJournal, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return;
        }
        String[] parts = append.split(" ");
        if (parts.length == 3 && parts[0].equals("APPEND") && mbox != null) {
            long offset = Long.parseLong(parts[1]);
            long length = Long.parseLong(parts[2]);
            long size = mbox.size();
            if (size > offset && size < offset + length) {
                log.warn("removing an incomplete delivery from the mbox (bytes {} to {})", offset, size);
                mbox.truncate(offset);
                mbox.force(true);
            }
        }
        endAppend();
    }

    private void replayRewrite(FileChannel mbox) throws IOException {
        try (FileChannel in = FileChannel.open(rewriteJournal, StandardOpenOption.READ)) {
            long total = in.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(100, total));
            in.read(head, 0);
            String header = new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII);
            int nl = header.indexOf('\n');
            String[] parts = nl < 0 ? new String[0] : header.substring(0, nl).split(" ");
            if (parts.length != 3 || !parts[0].equals("REWRITE")) {
                log.warn("discarding an unreadable mbox rewrite journal");
                Files.delete(rewriteJournal);
                return;
            }
            long offset = Long.parseLong(parts[1]);
            long length = Long.parseLong(parts[2]);
            long dataStart = nl + 1;
            if (!complete(in, dataStart, length)) {
                log.warn("discarding an incomplete mbox rewrite journal: the mbox was not touched");
                Files.delete(rewriteJournal);
                return;
            }
            long copied = 0;
            while (copied < length) {
                copied += in.transferTo(dataStart + copied, length - copied, mbox.position(offset + copied));
            }
            mbox.truncate(offset + length);
            mbox.force(true);
        }
        Files.delete(rewriteJournal);
    }

    /** True when the journal holds all {@code length} bytes and its trailer's CRC matches. */
    private static boolean complete(FileChannel in, long dataStart, long length) throws IOException {
        long trailerStart = dataStart + length;
        if (in.size() < trailerStart + 6) return false;
        ByteBuffer trailer = ByteBuffer.allocate((int) Math.min(64, in.size() - trailerStart));
        in.read(trailer, trailerStart);
        String t = new String(trailer.array(), 0, trailer.position(), StandardCharsets.US_ASCII);
        if (!t.startsWith("\nEND ") || !t.endsWith("\n")) return false;
        long expected;
        try {
            expected = Long.parseLong(t.substring(5).trim());
        } catch (NumberFormatException e) {
            return false;
        }
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        long at = dataStart;
        while (at < trailerStart) {
            buf.clear();
            buf.limit((int) Math.min(buf.capacity(), trailerStart - at));
            int n = in.read(buf, at);
            if (n <= 0) return false;
            buf.flip();
            crc.update(buf);
            at += n;
        }
        return crc.getValue() == expected;
    }
}
