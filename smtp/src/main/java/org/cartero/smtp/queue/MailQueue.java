package org.cartero.smtp.queue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.cartero.smtp.queue.QueueEntry.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable mail queue under {@code data_dir/queue}:
 *
 * <ul>
 *   <li>{@code journal/}: messages in their first delivery attempt, appended with group commit
 *       ({@link Journal}); small messages only, and only while memory for them remains;
 *   <li>{@code messages/ID}: the envelope and content of every other message, in a file of its
 *       own: a large one, and one that waits for a retry (it moves here from the journal);
 *   <li>{@code state/ID}: a waiting message's delivery progress;
 *   <li>{@code tmp/}: files being written, never read (emptied at start);
 *   <li>{@code maildrop/} and {@code control/}: what {@code cartero sendmail} and
 *       {@code cartero queue} leave for the running server;
 *   <li>{@code corrupt/}: files the queue could not read, set aside for the administrator.
 * </ul>
 *
 * Nothing is acknowledged before it is on disk, and nothing half-written is ever read: a file is
 * written under {@code tmp/}, fsync'd, renamed into place and its directory fsync'd; a journal
 * record counts only when complete and its checksum matches. Concurrent writers share their
 * fsyncs. One process (the server, or a command while no server runs) owns the queue, held by a
 * lock on {@code queue/lock}; others {@link #inspect} it read-only.
 */
public final class MailQueue implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MailQueue.class);
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    /**
     * The maildrop: anyone may create files (so {@code cartero sendmail} works for every local
     * user) but nobody else may list, read or remove them (mode 1733, like /tmp without listing).
     */
    private static final Set<PosixFilePermission> DROP_BOX = PosixFilePermissions.fromString("rwx-wx-wx");
    private static final int BUFFER = 64 * 1024;
    /** A message larger than this is written to a file of its own rather than the journal. */
    static final int JOURNAL_MESSAGE_LIMIT = 64 * 1024;
    /** The most memory that messages being received and in their first attempt may hold together. */
    static final long MEMORY_BUDGET = 32L << 20;

    private final Path root;
    private final Path messages;
    private final Path states;
    private final Path tmp;
    private final DirectorySync messagesSync;
    private final DirectorySync statesSync;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final Journal journal; // null when only inspecting
    private final Map<String, QueueEntry> journaled = new ConcurrentHashMap<>();
    private final AtomicLong memoryInUse = new AtomicLong();

    private MailQueue(Path root, FileChannel lockFile, FileLock lock, Journal journal) {
        this.root = root;
        this.messages = root.resolve("messages");
        this.states = root.resolve("state");
        this.tmp = root.resolve("tmp");
        this.messagesSync = new DirectorySync(messages);
        this.statesSync = new DirectorySync(states);
        this.lockFile = lockFile;
        this.lock = lock;
        this.journal = journal;
    }

    /**
     * Opens the queue in {@code root} (data_dir/queue) as its owner, creating its directories
     * when they are missing, and cleans up after a crash: files half written in {@code tmp/}
     * were never acknowledged and go, as does a state file without its message.
     *
     * @throws QueueBusyException when another process owns it (a running server)
     */
    public static MailQueue open(Path root) throws IOException {
        createDirectories(root);
        FileChannel lockFile = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockFile.close();
            throw new QueueBusyException(root);
        }
        try {
            List<Journal.Recovered> recovered = new ArrayList<>();
            Journal journal = Journal.open(root.resolve("journal"), recovered);
            MailQueue queue = new MailQueue(root, lockFile, lock, journal);
            queue.recover(recovered);
            return queue;
        } catch (IOException | RuntimeException e) {
            lockFile.close();
            throw e;
        }
    }

    /** The queue of a running server, for reading: {@link #ids}, {@link #load} and {@link #openContent} only. */
    public static MailQueue inspect(Path root) throws IOException {
        MailQueue queue = new MailQueue(root, null, null, null);
        for (Journal.Recovered r : Journal.scan(root.resolve("journal"))) {
            try {
                queue.journaled.put(r.id(), queue.journaledEntry(r));
            } catch (IOException e) {
                log.warn("{}: unreadable journal record: {}", r.id(), e.getMessage());
            }
        }
        return queue;
    }

    /** The queue is owned by another process (a running server). */
    public static final class QueueBusyException extends IOException {
        QueueBusyException(Path root) {
            super("the queue in " + root + " is in use by another process (a running server)");
        }
    }

    private static void createDirectories(Path root) throws IOException {
        Files.createDirectories(root);
        for (String dir : List.of("messages", "state", "tmp", "control", "corrupt", "journal")) {
            createDirectory(root.resolve(dir), PRIVATE);
        }
        Path maildrop = root.resolve("maildrop");
        if (!Files.isDirectory(maildrop)) {
            createDirectory(maildrop, DROP_BOX);
            setStickyBit(maildrop);
        }
    }

    public Path root() {
        return root;
    }

    /** Where {@code cartero sendmail} leaves messages for the server to pick up. */
    public Path maildrop() {
        return root.resolve("maildrop");
    }

    /** Where {@code cartero queue} leaves requests (such as "flush") for the running server. */
    public Path control() {
        return root.resolve("control");
    }

    /** The file whose appearance asks the server running on the queue in {@code root} to retry every message now; it removes the file. */
    public static Path flushRequest(Path root) {
        return root.resolve("control").resolve("flush");
    }

    /** The file whose appearance asks the server running on the queue in {@code root} to delete a message; it removes the file. */
    public static Path deleteRequest(Path root, String id) {
        return root.resolve("control").resolve("delete-" + id);
    }

    // ---- Writing ----

    /**
     * Starts writing a message with this envelope: the content goes to {@link Draft#content()},
     * then {@link Draft#commit()} makes it durable. A draft closed without commit leaves nothing.
     */
    public Draft create(Envelope envelope) throws IOException {
        requireOwner();
        ByteArrayOutputStream header = new ByteArrayOutputStream(512);
        QueueFileFormat.writeEnvelope(envelope, header);
        return new Draft(envelope, header.toByteArray());
    }

    /**
     * A message being written. Its content is held in memory, for the journal, while it is small
     * and memory is left; beyond that it goes on into a file of its own. Not thread-safe: one
     * session writes it.
     */
    public final class Draft implements AutoCloseable {
        private final Envelope envelope;
        private final byte[] header;
        private byte[] memory = new byte[0];
        private long reserved; // octets of the memory budget this draft holds
        private Path file;
        private FileChannel channel;
        private OutputStream fileOut;
        private long size;
        private boolean finished;
        private final OutputStream content = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                append(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                if (fileOut != null) fileOut.flush();
            }
        };

        private Draft(Envelope envelope, byte[] header) {
            this.envelope = envelope;
            this.header = header;
        }

        public String id() {
            return envelope.id();
        }

        /** Where the content goes, exactly as it will be delivered (CRLF line ends). Not to be closed. */
        public OutputStream content() {
            return content;
        }

        public long contentSize() {
            return size;
        }

        private void append(byte[] b, int off, int len) throws IOException {
            if (finished) throw new IOException("draft " + id() + " is finished");
            if (fileOut == null && !growMemory(size + len)) spill();
            if (fileOut != null) {
                fileOut.write(b, off, len);
            } else {
                System.arraycopy(b, off, memory, (int) size, len);
            }
            size += len;
        }

        /** Makes room for {@code needed} octets in memory, if the message stays small and the budget allows. */
        private boolean growMemory(long needed) {
            if (needed <= memory.length) return true;
            if (needed > JOURNAL_MESSAGE_LIMIT || journal == null) return false;
            long capacity = Math.min(JOURNAL_MESSAGE_LIMIT, Math.max(needed, Math.max(8192, memory.length * 2L)));
            long more = capacity - reserved;
            if (memoryInUse.addAndGet(more) > MEMORY_BUDGET) {
                memoryInUse.addAndGet(-more);
                return false;
            }
            reserved = capacity;
            memory = Arrays.copyOf(memory, (int) capacity);
            return true;
        }

        /** Goes on in a file of its own: the envelope, what is in memory, then the rest as it comes. */
        private void spill() throws IOException {
            file = tmp.resolve(id());
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            fileOut = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
            fileOut.write(header);
            fileOut.write(memory, 0, (int) size);
            releaseMemory();
        }

        private void releaseMemory() {
            memoryInUse.addAndGet(-reserved);
            reserved = 0;
            memory = new byte[0];
        }

        /** Makes the message durable; after this returns, it may be acknowledged. */
        public QueueEntry commit() throws IOException {
            if (finished) throw new IllegalStateException("draft " + id() + " already finished");
            try {
                QueueEntry entry = fileOut == null ? commitToJournal() : commitToFile();
                finished = true;
                return entry;
            } finally {
                if (!finished) close();
            }
        }

        private QueueEntry commitToJournal() throws IOException {
            Journal.Location location = journal.append(id(), header, memory, (int) size);
            byte[] kept = memory.length == size ? memory : Arrays.copyOf(memory, (int) size);
            // The budget now pays for what the entry keeps until its first attempt ends.
            memoryInUse.addAndGet(size - reserved);
            reserved = 0;
            QueueEntry entry = new QueueEntry(envelope, DeliveryState.initial(envelope), size,
                    new Storage.Journaled(location.segment(), location.contentOffset(), kept));
            journaled.put(id(), entry);
            return entry;
        }

        private QueueEntry commitToFile() throws IOException {
            fileOut.flush();
            channel.force(false);
            channel.close();
            Files.move(file, messages.resolve(id()), StandardCopyOption.ATOMIC_MOVE);
            messagesSync.sync();
            return new QueueEntry(envelope, DeliveryState.initial(envelope), size, new Storage.OwnFile(header.length));
        }

        /** Throws the draft away unless it was committed. */
        @Override
        public void close() {
            if (finished) return;
            finished = true;
            releaseMemory();
            if (channel == null) return;
            try {
                channel.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("{}: cannot remove the unfinished queue file {}: {}", id(), file, e.toString());
            }
        }
    }

    /**
     * Replaces the delivery state of a message, durably. A message still in the journal first
     * moves to a file of its own: it is going to wait, and the journal is for messages in flight.
     */
    public QueueEntry saveState(QueueEntry entry, DeliveryState state) throws IOException {
        requireOwner();
        if (entry.storage() instanceof Storage.Journaled && !journaled.containsKey(entry.id())) {
            return entry.withState(state); // deleted (cartero queue delete) during its first attempt
        }
        QueueEntry moved = entry.storage() instanceof Storage.Journaled ? moveOutOfJournal(entry) : entry;
        Path file = tmp.resolve(entry.id() + ".state");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(channel);
            out.write(QueueFileFormat.encodeState(state));
            channel.force(false);
        }
        Files.move(file, states.resolve(entry.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        statesSync.sync();
        if (moved != entry) leaveJournal(entry);
        return moved.withState(state);
    }

    /** Writes the message into messages/ID, durably; the caller then lets it leave the journal. */
    private QueueEntry moveOutOfJournal(QueueEntry entry) throws IOException {
        Path file = tmp.resolve(entry.id());
        ByteArrayOutputStream header = new ByteArrayOutputStream(512);
        QueueFileFormat.writeEnvelope(entry.envelope(), header);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING); InputStream content = openContent(entry)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
            header.writeTo(out);
            content.transferTo(out);
            out.flush();
            channel.force(false);
        }
        Files.move(file, messages.resolve(entry.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        messagesSync.sync();
        return new QueueEntry(entry.envelope(), entry.state(), entry.contentSize(), new Storage.OwnFile(header.size()));
    }

    // ---- Reading ----

    /** The ids of the messages in the queue, oldest first. */
    public List<String> ids() throws IOException {
        Set<String> ids = new TreeSet<>(journaled.keySet());
        try (DirectoryStream<Path> files = Files.newDirectoryStream(messages)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (QueueId.isValid(name)) ids.add(name);
            }
        }
        return new ArrayList<>(ids);
    }

    /**
     * Reads a message's envelope and state; empty when it is no longer in the queue.
     *
     * @throws IOException when the files cannot be read or are damaged
     */
    public Optional<QueueEntry> load(String id) throws IOException {
        if (!QueueId.isValid(id)) return Optional.empty();
        QueueEntry inJournal = journaled.get(id);
        if (inJournal != null) return Optional.of(inJournal);
        Envelope envelope;
        long offset;
        long size;
        try (FileChannel channel = FileChannel.open(messages.resolve(id), StandardOpenOption.READ)) {
            CountingInputStream in = new CountingInputStream(new BufferedInputStream(Channels.newInputStream(channel), 8192));
            envelope = QueueFileFormat.readEnvelope(id, in);
            offset = in.count;
            size = channel.size() - offset;
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        DeliveryState state;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(states.resolve(id)))) {
            state = QueueFileFormat.readState(id, in, envelope.recipients().size());
        } catch (NoSuchFileException e) {
            state = DeliveryState.initial(envelope);
        }
        return Optional.of(new QueueEntry(envelope, state, size, new Storage.OwnFile(offset)));
    }

    /** The content of a queued message, from its first octet; the caller closes it. */
    public InputStream openContent(QueueEntry entry) throws IOException {
        return switch (entry.storage()) {
            case Storage.Journaled j -> new ByteArrayInputStream(j.content() != null ? j.content()
                    : readJournal(entry, j));
            case Storage.OwnFile f -> {
                FileChannel channel = FileChannel.open(messages.resolve(entry.id()), StandardOpenOption.READ);
                channel.position(f.contentOffset());
                yield new BufferedInputStream(Channels.newInputStream(channel), BUFFER);
            }
        };
    }

    private byte[] readJournal(QueueEntry entry, Storage.Journaled j) throws IOException {
        Journal.Location location = new Journal.Location(j.segment(), j.contentOffset(), entry.contentSize());
        if (journal != null) return journal.read(location);
        return Journal.readFrom(root.resolve("journal"), location); // inspecting
    }

    // ---- Removing ----

    /** Removes a message whose delivery is over. */
    public void remove(QueueEntry entry) throws IOException {
        requireOwner();
        if (entry.storage() instanceof Storage.Journaled) {
            leaveJournal(entry);
            return;
        }
        Files.deleteIfExists(messages.resolve(entry.id()));
        // saveState is only ever called after an attempt, so a message never attempted has no state file.
        if (entry.state().attempts() > 0) Files.deleteIfExists(states.resolve(entry.id()));
    }

    /**
     * Deletes a message (cartero queue delete), wherever it is kept. A message file goes first: a
     * crash in between leaves a stray state file, which the next start removes.
     *
     * @return false when it was not in the queue
     */
    public boolean delete(String id) throws IOException {
        requireOwner();
        if (!QueueId.isValid(id)) return false;
        QueueEntry inJournal = journaled.get(id);
        if (inJournal != null) {
            leaveJournal(inJournal);
            return true;
        }
        boolean existed = Files.deleteIfExists(messages.resolve(id));
        Files.deleteIfExists(states.resolve(id));
        return existed;
    }

    private void leaveJournal(QueueEntry entry) throws IOException {
        if (journaled.remove(entry.id()) == null) return;
        if (entry.storage() instanceof Storage.Journaled j && j.content() != null) memoryInUse.addAndGet(-entry.contentSize());
        journal.done(entry.id());
    }

    /** Moves a message the queue cannot read to {@code corrupt/}, out of the scheduler's way. */
    public void setAside(String id) throws IOException {
        requireOwner();
        Path corrupt = root.resolve("corrupt");
        for (Path file : List.of(messages.resolve(id), states.resolve(id))) {
            if (Files.exists(file)) {
                Files.move(file, corrupt.resolve(file.getParent().getFileName() + "-" + id), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private void recover(List<Journal.Recovered> recovered) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path file : files) {
                log.info("Removing {}: written when the server stopped, never acknowledged", file.getFileName());
                Files.deleteIfExists(file);
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(states)) {
            for (Path file : files) {
                if (!Files.exists(messages.resolve(file.getFileName().toString()))) Files.deleteIfExists(file);
            }
        }
        for (Journal.Recovered r : recovered) {
            if (Files.exists(messages.resolve(r.id()))) {
                journal.done(r.id()); // it had moved out; the journal's note of that was lost
                continue;
            }
            try {
                journaled.put(r.id(), journaledEntry(r));
            } catch (IOException e) {
                log.error("{}: the journal holds an unreadable envelope, dropping it: {}", r.id(), e.getMessage());
                journal.done(r.id());
            }
        }
    }

    private QueueEntry journaledEntry(Journal.Recovered r) throws IOException {
        Envelope envelope = QueueFileFormat.readEnvelope(r.id(), new ByteArrayInputStream(r.envelope()));
        Journal.Location l = r.location();
        return new QueueEntry(envelope, DeliveryState.initial(envelope), l.contentSize(),
                new Storage.Journaled(l.segment(), l.contentOffset(), null));
    }

    private void requireOwner() {
        if (journal == null) throw new IllegalStateException("the queue is open for inspection only");
    }

    /** Closes the journal and lets another process own the queue. */
    @Override
    public void close() throws IOException {
        if (journal == null) return;
        try {
            journal.close();
        } finally {
            lock.release();
            lockFile.close();
        }
    }

    private static void createDirectory(Path dir, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(permissions));
            Files.setPosixFilePermissions(dir, permissions); // the umask may have taken some away
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) throw e;
        }
    }

    /** The sticky bit (no file removed but by its owner) is beyond java.nio's permission set. */
    private static void setStickyBit(Path dir) throws IOException {
        try {
            int mode = (Integer) Files.getAttribute(dir, "unix:mode");
            Files.setAttribute(dir, "unix:mode", mode | 01000);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            log.warn("Cannot set the sticky bit on {}: {}", dir, e.toString());
        }
    }

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
