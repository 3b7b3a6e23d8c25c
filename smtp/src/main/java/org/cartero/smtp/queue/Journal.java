package org.cartero.smtp.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue's journal: small messages appended to a shared segment file with group commit —
 * every session whose message is complete at that moment is made durable by one write and one
 * fdatasync — instead of a file, an fsync, a rename and a directory fsync each. A message lives
 * here only while its first delivery attempt runs: a message that must wait moves to a file of
 * its own ({@link MailQueue}), so segments empty quickly and are deleted, oldest first.
 *
 * <p>A record is {@code magic, type, length, CRC-32C, payload}. After a crash the segments are
 * read in order; a record whose checksum does not match (a write cut short) and everything after
 * it in that segment are ignored: only records that were complete on disk count, so nothing
 * half-written is ever visible. A MESSAGE record holds the message's id, envelope and content;
 * a DONE record says that message has left the journal (delivered, moved or deleted). Segments
 * are deleted strictly in order, so a DONE record is never lost while the MESSAGE it cancels
 * still exists. DONE records are not synced on their own (a crash may deliver a message twice,
 * never lose one; RFC 5321 section 4.1.4 prefers that).
 *
 * <p>Thread-safe: appends are serialised by one lock; the fdatasync runs outside it, shared by
 * all who appended before it started ({@link GroupSync}).
 */
final class Journal implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    static final int MAGIC = 0x4352514A; // "CRQJ"
    static final byte MESSAGE = 1;
    static final byte DONE = 2;
    static final int HEADER = 13; // magic 4, type 1, length 4, crc 4
    /** A segment is closed and a new one started beyond this size. */
    static final long SEGMENT_SIZE = 64L << 20;

    /** Where a message's content lies in a segment. */
    record Location(long segment, long contentOffset, long contentSize) {}

    /** A message found in the journal at start: its id, envelope text and content's place. */
    record Recovered(String id, byte[] envelope, Location location) {}

    private final Path dir;
    private final long segmentSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final GroupSync group = new GroupSync(lock);
    // guarded by lock
    private FileChannel current;
    private long currentSegment;
    private long currentSize;
    private final TreeMap<Long, Integer> liveBySegment = new TreeMap<>();
    private final Map<String, Long> segmentOf = new HashMap<>();

    private Journal(Path dir, long segmentSize) {
        this.dir = dir;
        this.segmentSize = segmentSize;
    }

    /** Opens the journal in {@code dir}, returning what it still holds; new appends go to a new segment. */
    static Journal open(Path dir, List<Recovered> recovered) throws IOException {
        return open(dir, recovered, SEGMENT_SIZE);
    }

    /** As {@link #open(Path, List)}, with segments of another size (for tests). */
    static Journal open(Path dir, List<Recovered> recovered, long segmentSize) throws IOException {
        Files.createDirectories(dir);
        Journal journal = new Journal(dir, segmentSize);
        journal.recover(recovered);
        journal.lock.lock();
        try {
            journal.openSegment(journal.liveBySegment.isEmpty() ? 1 : journal.lastSegmentNumber() + 1);
        } finally {
            journal.lock.unlock();
        }
        return journal;
    }

    /** Reads every segment; what it found goes to {@code recovered}. Segments with nothing live are deleted. */
    private void recover(List<Recovered> recovered) throws IOException {
        Map<String, Recovered> live = new LinkedHashMap<>();
        List<Long> segments = segmentNumbers(dir);
        for (long segment : segments) {
            try (FileChannel channel = FileChannel.open(segmentFile(segment), StandardOpenOption.READ)) {
                readSegment(segment, channel, live);
            }
            liveBySegment.put(segment, 0);
        }
        for (Recovered r : live.values()) {
            liveBySegment.merge(r.location().segment(), 1, Integer::sum);
            segmentOf.put(r.id(), r.location().segment());
            recovered.add(r);
        }
        // Only now, with every DONE seen, may segments without live messages go (oldest first).
        lock.lock();
        try {
            retireSegments(Long.MAX_VALUE);
        } finally {
            lock.unlock();
        }
    }

    private static void readSegment(long segment, FileChannel channel, Map<String, Recovered> live) throws IOException {
        long size = channel.size();
        long position = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (position + HEADER <= size) {
            header.clear();
            channel.read(header, position);
            header.flip();
            int length = header.getInt(5);
            if (header.getInt(0) != MAGIC || length < 15 || position + HEADER + length > size) break;
            ByteBuffer payload = ByteBuffer.allocate(length);
            channel.read(payload, position + HEADER);
            CRC32C crc = new CRC32C();
            crc.update(payload.array(), 0, length);
            if ((int) crc.getValue() != header.getInt(9)) break; // a write cut short: the rest is nothing
            String id = new String(payload.array(), 0, 15, StandardCharsets.US_ASCII);
            if (header.get(4) == MESSAGE) {
                int envelopeLength = ByteBuffer.wrap(payload.array(), 15, 4).getInt();
                byte[] envelope = new byte[envelopeLength];
                System.arraycopy(payload.array(), 19, envelope, 0, envelopeLength);
                long contentOffset = position + HEADER + 19 + envelopeLength;
                live.put(id, new Recovered(id, envelope, new Location(segment, contentOffset, length - 19 - envelopeLength)));
            } else if (header.get(4) == DONE) {
                live.remove(id);
            }
            position += HEADER + length;
        }
        if (position < size) {
            log.warn("Queue journal segment {}: {} octets after offset {} were never completely written; ignored",
                    segment, size - position, position);
        }
    }

    /**
     * Appends a message and returns once it is durable, with where its content lies. Concurrent
     * callers share the fdatasync.
     */
    Location append(String id, byte[] envelope, byte[] content, int contentLength) throws IOException {
        ByteBuffer payload = ByteBuffer.allocate(19 + envelope.length + contentLength);
        payload.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(envelope.length).put(envelope).put(content, 0, contentLength);
        Location location;
        lock.lock();
        try {
            while (currentSize >= segmentSize) rollOver();
            long offset = write(MESSAGE, payload.array());
            location = new Location(currentSegment, offset + HEADER + 19 + envelope.length, contentLength);
            liveBySegment.merge(currentSegment, 1, Integer::sum);
            segmentOf.put(id, currentSegment);
            group.await(group.ticket(), () -> {
                FileChannel segment = current; // after a roll-over the old one is synced already
                return () -> segment.force(false);
            });
        } finally {
            lock.unlock();
        }
        return location;
    }

    /**
     * Records that a message has left the journal. Not synced by itself: the next append's sync
     * covers it. Deletes the segments, oldest first, that have nothing live left.
     */
    void done(String id) throws IOException {
        lock.lock();
        try {
            Long segment = segmentOf.remove(id);
            if (segment == null) return;
            write(DONE, id.getBytes(StandardCharsets.US_ASCII));
            liveBySegment.merge(segment, -1, Integer::sum);
            retireSegments(currentSegment);
        } finally {
            lock.unlock();
        }
    }

    boolean contains(String id) {
        lock.lock();
        try {
            return segmentOf.containsKey(id);
        } finally {
            lock.unlock();
        }
    }

    /** Reads a message's content from its segment (after a restart, when it is no longer in memory). */
    byte[] read(Location location) throws IOException {
        return readFrom(dir, location);
    }

    /** Reads a message's content from a segment of the journal in {@code dir}, without opening the journal. */
    static byte[] readFrom(Path dir, Location location) throws IOException {
        byte[] content = new byte[(int) location.contentSize()];
        try (FileChannel channel = FileChannel.open(dir.resolve(String.format("%016x", location.segment())), StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, location.contentOffset() + buffer.position()) < 0) {
                    throw new IOException("journal segment " + location.segment() + " ends inside a message");
                }
            }
        }
        return content;
    }

    // ---- Under the lock ----

    /** Writes one record at the end of the current segment; returns its offset. */
    private long write(byte type, byte[] payload) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer header = ByteBuffer.allocate(HEADER).putInt(MAGIC).put(type).putInt(payload.length).putInt((int) crc.getValue());
        header.flip();
        long offset = currentSize;
        ByteBuffer[] record = {header, ByteBuffer.wrap(payload)};
        long total = HEADER + payload.length;
        for (long written = 0; written < total; ) written += current.write(record);
        currentSize += total;
        return offset;
    }

    /**
     * Closes the full segment and starts the next. Waiting for a sync under way (it uses the old
     * segment) lets other appenders in, so the segment may have been rolled over meanwhile.
     */
    private void rollOver() throws IOException {
        group.awaitIdle();
        if (currentSize < segmentSize) return;
        current.force(false); // what it holds is durable before a newer segment can be the only one read
        current.close();
        group.allSynced();
        openSegment(currentSegment + 1);
    }

    private void openSegment(long number) throws IOException {
        current = FileChannel.open(segmentFile(number), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        currentSegment = number;
        currentSize = 0;
        liveBySegment.putIfAbsent(number, 0);
        DirectorySync.force(dir); // the new segment's name is durable before anything in it is acknowledged
        retireSegments(currentSegment);
    }

    /** Deletes, oldest first, the segments before {@code limit} with nothing live, stopping at the first that has. */
    private void retireSegments(long limit) throws IOException {
        while (!liveBySegment.isEmpty()) {
            Map.Entry<Long, Integer> oldest = liveBySegment.firstEntry();
            if (oldest.getKey() >= limit || oldest.getValue() > 0) return;
            liveBySegment.pollFirstEntry();
            Files.deleteIfExists(segmentFile(oldest.getKey()));
        }
    }

    private long lastSegmentNumber() {
        return liveBySegment.lastKey();
    }

    private Path segmentFile(long number) {
        return dir.resolve(String.format("%016x", number));
    }

    private static List<Long> segmentNumbers(Path dir) throws IOException {
        List<Long> numbers = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.matches("[0-9a-f]{16}")) numbers.add(Long.parseLong(name, 16));
            }
        } catch (NoSuchFileException e) {
            return numbers;
        }
        numbers.sort(null);
        return numbers;
    }

    /** The messages still in the journal's segments, read without opening it for writing (for {@code cartero queue list}). */
    static List<Recovered> scan(Path dir) throws IOException {
        Map<String, Recovered> live = new LinkedHashMap<>();
        for (long segment : segmentNumbers(dir)) {
            try (FileChannel channel = FileChannel.open(dir.resolve(String.format("%016x", segment)), StandardOpenOption.READ)) {
                readSegment(segment, channel, live);
            } catch (NoSuchFileException e) {
                // retired meanwhile by the running server
            }
        }
        return new ArrayList<>(live.values());
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (current != null) {
                current.force(false);
                current.close();
                current = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
