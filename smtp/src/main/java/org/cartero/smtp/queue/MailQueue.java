package org.cartero.smtp.queue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
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
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable mail queue under {@code data_dir/queue}:
 *
 * <ul>
 *   <li>{@code messages/ID}: the envelope and the content of a message, written once;
 *   <li>{@code state/ID}: its delivery progress, once the first attempt left something to do;
 *   <li>{@code tmp/}: files being written, never read (emptied at start);
 *   <li>{@code maildrop/} and {@code control/}: what {@code cartero sendmail} and
 *       {@code cartero queue} leave for the running server;
 *   <li>{@code corrupt/}: files the queue could not read, set aside for the administrator.
 * </ul>
 *
 * A file is written under {@code tmp/}, fsync'd, renamed into place and its directory fsync'd,
 * so a crash at any instant leaves either nothing or the whole file, and nothing acknowledged is
 * lost. Directory syncs are shared by concurrent writers ({@link DirectorySync}). Thread-safe;
 * the running server and the {@code cartero} commands may use the same queue at once.
 */
public final class MailQueue {
    private static final Logger log = LoggerFactory.getLogger(MailQueue.class);
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");
    /**
     * The maildrop: anyone may create files (so {@code cartero sendmail} works for every local
     * user) but nobody else may list, read or remove them (mode 1733, like /tmp without listing).
     */
    private static final Set<PosixFilePermission> DROP_BOX = PosixFilePermissions.fromString("rwx-wx-wx");
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path messages;
    private final Path states;
    private final Path tmp;
    private final DirectorySync messagesSync;
    private final DirectorySync statesSync;

    private MailQueue(Path root) {
        this.root = root;
        this.messages = root.resolve("messages");
        this.states = root.resolve("state");
        this.tmp = root.resolve("tmp");
        this.messagesSync = new DirectorySync(messages);
        this.statesSync = new DirectorySync(states);
    }

    /** Opens the queue in {@code root} (data_dir/queue), creating its directories when they are missing. */
    public static MailQueue open(Path root) throws IOException {
        MailQueue queue = new MailQueue(root);
        Files.createDirectories(root);
        for (Path dir : List.of(queue.messages, queue.states, queue.tmp, queue.control(), root.resolve("corrupt"))) {
            createDirectory(dir, PRIVATE);
        }
        if (!Files.isDirectory(queue.maildrop())) {
            createDirectory(queue.maildrop(), DROP_BOX);
            setStickyBit(queue.maildrop());
        }
        return queue;
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

    /** The file whose appearance asks the running server to retry every message now; it removes the file. */
    public Path flushRequest() {
        return control().resolve("flush");
    }

    // ---- Writing ----

    /**
     * Starts writing a message with this envelope: the content goes to {@link Draft#content()},
     * then {@link Draft#commit()} makes it durable. A draft closed without commit leaves nothing.
     */
    public Draft create(Envelope envelope) throws IOException {
        Path file = tmp.resolve(envelope.id());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return new Draft(envelope, file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** A message being written. Not thread-safe: one session writes it. */
    public final class Draft implements AutoCloseable {
        private final Envelope envelope;
        private final Path file;
        private final FileChannel channel;
        private final CountingOutputStream content;
        private final long contentOffset;
        private boolean finished;

        private Draft(Envelope envelope, Path file, FileChannel channel) throws IOException {
            this.envelope = envelope;
            this.file = file;
            this.channel = channel;
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
            QueueFileFormat.writeEnvelope(envelope, out);
            out.flush();
            this.contentOffset = channel.position();
            this.content = new CountingOutputStream(out);
        }

        public String id() {
            return envelope.id();
        }

        /** Where the content goes, exactly as it will be delivered (CRLF line ends). Buffered; not to be closed. */
        public OutputStream content() {
            return content;
        }

        public long contentSize() {
            return content.count;
        }

        /** Makes the message durable and visible to the scheduler; after this returns, it may be acknowledged. */
        public QueueEntry commit() throws IOException {
            if (finished) throw new IllegalStateException("draft " + id() + " already finished");
            try {
                content.flush();
                channel.force(false);
                channel.close();
                Files.move(file, messages.resolve(id()), StandardCopyOption.ATOMIC_MOVE);
                finished = true;
            } finally {
                if (!finished) close();
            }
            messagesSync.sync();
            return new QueueEntry(envelope, DeliveryState.initial(envelope), contentOffset, content.count);
        }

        /** Throws the draft away unless it was committed. */
        @Override
        public void close() {
            if (finished) return;
            finished = true;
            try {
                channel.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn("{}: cannot remove the unfinished queue file {}: {}", id(), file, e.toString());
            }
        }
    }

    /** Replaces the delivery state of a message, durably. */
    public void saveState(String id, DeliveryState state) throws IOException {
        Path file = tmp.resolve(id + ".state");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(channel);
            out.write(QueueFileFormat.encodeState(state));
            channel.force(false);
        }
        Files.move(file, states.resolve(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        statesSync.sync();
    }

    // ---- Reading ----

    /** The ids of the messages in the queue, oldest first. */
    public List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(messages)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (QueueId.isValid(name)) ids.add(name);
            }
        }
        ids.sort(null);
        return ids;
    }

    public boolean contains(String id) {
        return QueueId.isValid(id) && Files.exists(messages.resolve(id));
    }

    /**
     * Reads a message's envelope and state; empty when it is no longer in the queue.
     *
     * @throws IOException when the files cannot be read or are damaged
     */
    public Optional<QueueEntry> load(String id) throws IOException {
        if (!QueueId.isValid(id)) return Optional.empty();
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
        return Optional.of(new QueueEntry(envelope, state, offset, size));
    }

    /** The content of a queued message, from its first octet; the caller closes it. */
    public InputStream openContent(QueueEntry entry) throws IOException {
        FileChannel channel = FileChannel.open(messages.resolve(entry.id()), StandardOpenOption.READ);
        channel.position(entry.contentOffset());
        return new BufferedInputStream(Channels.newInputStream(channel), BUFFER);
    }

    // ---- Removing ----

    /**
     * Removes a message whose delivery is over (or that the administrator deletes). The message
     * file goes first: a crash in between leaves a stray state file, which {@link #recover} removes.
     *
     * @return false when it was not in the queue
     */
    public boolean remove(String id) throws IOException {
        if (!QueueId.isValid(id)) return false;
        boolean existed = Files.deleteIfExists(messages.resolve(id));
        Files.deleteIfExists(states.resolve(id));
        return existed;
    }

    /** Moves a message the queue cannot read to {@code corrupt/}, out of the scheduler's way. */
    public void setAside(String id) throws IOException {
        Path corrupt = root.resolve("corrupt");
        for (Path file : List.of(messages.resolve(id), states.resolve(id))) {
            if (Files.exists(file)) {
                Files.move(file, corrupt.resolve(file.getParent().getFileName() + "-" + id), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * Cleans up after a crash, before the scheduler starts: files half written in {@code tmp/}
     * were never acknowledged and go; a state file without its message goes too.
     */
    public void recover() throws IOException {
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

    private static final class CountingOutputStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
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
