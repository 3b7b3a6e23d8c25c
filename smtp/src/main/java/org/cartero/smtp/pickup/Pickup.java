package org.cartero.smtp.pickup;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.cartero.core.directory.DirectoryException;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.message.HeaderCompletion;
import org.cartero.smtp.message.HeaderFields;
import org.cartero.smtp.message.ReceivedField;
import org.cartero.smtp.protocol.MailParameters.Body;
import org.cartero.smtp.queue.Destination;
import org.cartero.smtp.queue.Envelope;
import org.cartero.smtp.queue.MailQueue;
import org.cartero.smtp.queue.QueueEntry;
import org.cartero.smtp.queue.QueueId;
import org.cartero.smtp.queue.Recipient;
import org.cartero.smtp.routing.Route;
import org.cartero.smtp.routing.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server's side of the maildrop (Postfix's pickup): turns each file that
 * {@code cartero sendmail} left there into a queued message — routed, with a Received field
 * naming the local user, and Date, Message-ID and From added when missing — then removes the file.
 * It also carries out the requests {@code cartero queue} leaves in {@code control/} ("flush",
 * "delete-ID"), since only the server may change a queue it owns.
 * Both directories are watched (inotify), and scanned every minute in case an event was lost.
 *
 * <p>A maildrop file comes from a local user and is checked as untrusted input: it must be a
 * regular file with one link (not a link to someone else's file), in the maildrop format, no
 * larger than the message size limit. One that is not is moved to {@code corrupt/}.
 */
public final class Pickup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Pickup.class);
    private static final Duration RESCAN = Duration.ofMinutes(1);

    private final MailQueue queue;
    private final Router router;
    private final String hostname;
    private final long maxMessageSize;
    private final Consumer<QueueEntry> submit;
    private final Runnable flush;
    private WatchService watcher;
    private Thread thread;

    /**
     * @param submit hands a queued message to the scheduler
     * @param flush  makes every queued message due now
     */
    public Pickup(MailQueue queue, Router router, String hostname, long maxMessageSize, Consumer<QueueEntry> submit,
                  Runnable flush) {
        this.queue = queue;
        this.router = router;
        this.hostname = hostname;
        this.maxMessageSize = maxMessageSize;
        this.submit = submit;
        this.flush = flush;
    }

    public void start() throws IOException {
        watcher = queue.maildrop().getFileSystem().newWatchService();
        queue.maildrop().register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
        queue.control().register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
        thread = Thread.ofVirtual().name("maildrop-pickup").start(this::watch);
    }

    private void watch() {
        try {
            while (true) {
                scan();
                var key = watcher.poll(RESCAN.toSeconds(), TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /** Handles every request and maildrop file there is now. */
    void scan() {
        try {
            if (Files.deleteIfExists(MailQueue.flushRequest(queue.root()))) flush.run();
            deleteRequested();
            for (Path file : maildropFiles()) pickUp(file);
        } catch (IOException e) {
            log.error("Cannot read {} or {}: {}", queue.control(), queue.maildrop(), e.toString());
        }
    }

    /** Carries out {@code cartero queue delete} for a running server: control/delete-ID. */
    private void deleteRequested() throws IOException {
        List<Path> requests = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(queue.control(), "delete-*")) {
            entries.forEach(requests::add);
        }
        for (Path request : requests) {
            String id = request.getFileName().toString().substring("delete-".length());
            log.info("{}: {} by the administrator", id, queue.delete(id) ? "deleted" : "not deleted (not in the queue)");
            Files.deleteIfExists(request);
        }
    }

    private List<Path> maildropFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(queue.maildrop())) {
            // Names starting with "." are still being written.
            for (Path file : entries) if (QueueId.isValid(file.getFileName().toString())) files.add(file);
        }
        files.sort(null);
        return files;
    }

    private void pickUp(Path file) {
        String name = file.getFileName().toString();
        try {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            int links = (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile() || links != 1) {
                refuse(file, "not a regular file with one link (from uid " + uid + ")");
                return;
            }
            if (attributes.size() > maxMessageSize + 64 * 1024) {
                refuse(file, "larger than max_message_size (from uid " + uid + ")");
                return;
            }
            MaildropFile drop;
            boolean eightBit;
            try (InputStream in = open(file)) {
                drop = MaildropFile.read(in);
                eightBit = hasEightBit(in);
            }
            QueueEntry entry = enqueue(file, drop, uid, eightBit);
            Files.delete(file);
            log.info("{}: accepted from=<{}> size={} nrcpt={} client=uid {} (maildrop)", entry.id(),
                    entry.envelope().senderText(), entry.contentSize(), drop.recipients().size(), uid);
            submit.accept(entry);
        } catch (DirectoryException e) {
            log.warn("Maildrop file {}: the directory cannot be read, trying again later: {}", name, e.getMessage());
        } catch (IOException e) {
            if (Files.exists(file)) refuse(file, e.getMessage());
        }
    }

    private QueueEntry enqueue(Path file, MaildropFile drop, int uid, boolean eightBit) throws IOException, DirectoryException {
        List<Recipient> recipients = new ArrayList<>();
        for (MailAddress address : drop.recipients()) {
            List<Destination> destinations = switch (router.route(address)) {
                case Route.Deliver d -> d.destinations();
                case Route.Foreign f -> List.of(f.destination());
                // The program that sent it has gone: the delivery fails and the sender gets a bounce.
                case Route.Unknown u -> List.of(new Destination.Local(address.toString(), address));
            };
            for (Destination d : destinations) recipients.add(new Recipient(address, drop.notifyOn(), Optional.empty(), d));
        }
        boolean utf8 = drop.sender().map(MailAddress::needsUtf8).orElse(false)
                || drop.recipients().stream().anyMatch(MailAddress::needsUtf8);
        String id = QueueId.next();
        Envelope envelope = new Envelope(id, Instant.now(), drop.sender(), recipients, drop.envelopeId(), drop.ret(), utf8,
                eightBit ? Optional.of(Body.EIGHT_BIT_MIME) : Optional.empty(), Optional.empty(), "uid " + uid,
                Optional.empty());
        ZonedDateTime now = ZonedDateTime.now();
        try (MailQueue.Draft draft = queue.create(envelope); InputStream in = open(file)) {
            MaildropFile.read(in); // past the envelope again
            draft.content().write(ReceivedField.of(Optional.empty(), Optional.empty(), Optional.of("userid " + uid), hostname,
                    "local", id, Optional.empty(),
                    drop.recipients().size() == 1 ? Optional.of(drop.recipients().getFirst().toString()) : Optional.empty(), now));
            HeaderCompletion content = new HeaderCompletion(draft.content(), () -> HeaderFields.date(now),
                    () -> HeaderFields.messageId(id, hostname), () -> from(drop));
            in.transferTo(content);
            content.finish();
            return draft.commit();
        }
    }

    /** The From field for a message that has none: the sender, with the -F full name if given. */
    private String from(MaildropFile drop) {
        String address = drop.sender().map(MailAddress::toString).orElse("MAILER-DAEMON@" + hostname);
        return drop.fullName().map(n -> "\"" + n.replace("\\", "\\\\").replace("\"", "\\\"") + "\" <" + address + ">")
                .orElse(address);
    }

    private static InputStream open(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), 64 * 1024);
    }

    private static boolean hasEightBit(InputStream in) throws IOException {
        boolean found = false;
        byte[] buffer = new byte[8192];
        for (int n; !found && (n = in.read(buffer)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] < 0) {
                    found = true;
                    break;
                }
            }
        }
        return found;
    }

    private void refuse(Path file, String reason) {
        log.error("Maildrop file {} refused and moved to {}/corrupt: {}", file.getFileName(), queue.root(), reason);
        try {
            Files.move(file, queue.root().resolve("corrupt").resolve("maildrop-" + file.getFileName()),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.error("Cannot move {} away: {}", file, e.toString());
        }
    }

    @Override
    public void close() {
        try {
            if (watcher != null) watcher.close();
        } catch (IOException e) {
            log.debug("closing the maildrop watcher: {}", e.toString());
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
