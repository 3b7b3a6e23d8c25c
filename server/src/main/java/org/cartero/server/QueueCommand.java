package org.cartero.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cartero.smtp.MailTransferAgent;
import org.cartero.smtp.queue.DeliveryState.RecipientState;
import org.cartero.smtp.queue.MailQueue;
import org.cartero.smtp.queue.QueueEntry;
import org.cartero.smtp.queue.Recipient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cartero queue list|flush|delete}: the mail queue under data_dir/queue, like Postfix's
 * mailq, {@code postqueue -f} and {@code postsuper -d}. They work whether or not the server runs;
 * a flush is carried out by the running server (or happens anyway at its next start).
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Look at the mail queue, retry it now, or delete messages from it.")
final class QueueCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
    /** How long flush and delete wait for the running server to take their request. */
    private static final Duration REQUEST_WAIT = Duration.ofSeconds(5);

    @ParentCommand
    Main main;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the queued messages (like mailq): id, size, arrival, sender, and each recipient with its state and last error.")
    int list() throws Exception {
        list(queueDirectory(), System.out);
        return 0;
    }

    @Command(name = "flush", mixinStandardHelpOptions = true,
            description = "Ask the running server to retry every queued message now.")
    int flush() throws Exception {
        return flush(queueDirectory(), System.out);
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete messages from the queue, without notifying anyone. A delivery already under way may still complete.")
    int delete(@Parameters(paramLabel = "ID", arity = "1..*", description = "Queue ids, as queue list shows them.")
               List<String> ids) throws Exception {
        Path root = queueDirectory();
        int missing = 0;
        try (MailQueue queue = MailQueue.open(root)) {
            // No server runs: the queue is ours to change.
            for (String id : ids) missing += report(id, queue.delete(id));
        } catch (MailQueue.QueueBusyException e) {
            // The running server owns the queue: it deletes on request.
            MailQueue running = MailQueue.inspect(root);
            for (String id : ids) {
                if (running.load(id).isEmpty()) {
                    missing += report(id, false);
                    continue;
                }
                Path request = MailQueue.deleteRequest(root, id);
                Files.writeString(request, "");
                if (!awaitTaken(request)) {
                    System.err.println("cartero: the server did not take the request to delete " + id);
                    return 1;
                }
                report(id, true);
            }
        }
        return missing == 0 ? 0 : 1;
    }

    private static int report(String id, boolean deleted) {
        if (deleted) {
            System.out.println("deleted " + id);
            return 0;
        }
        System.err.println("cartero: no message " + id + " in the queue");
        return 1;
    }

    private Path queueDirectory() throws Exception {
        return MailTransferAgent.queueDirectory(Settings.load(main.configFile()).config().dataDir());
    }

    /** Leaves a flush request for the running server and waits a little for it to be taken. */
    static int flush(Path root, PrintStream out) throws Exception {
        Path request = MailQueue.flushRequest(root);
        try {
            Files.createFile(request);
        } catch (FileAlreadyExistsException e) {
            // asked already and not yet taken: wait for it like for our own
        } catch (NoSuchFileException e) {
            out.println("There is no queue in " + root + " yet.");
            return 1;
        }
        if (!awaitTaken(request)) {
            out.println("The server did not take the request within " + REQUEST_WAIT.toSeconds()
                    + " s (is it running?); it will retry the queue when it starts.");
            return 1;
        }
        out.println("The server is retrying every queued message now.");
        return 0;
    }

    /** Waits for the running server to remove a request file; false when it did not within {@link #REQUEST_WAIT}. */
    private static boolean awaitTaken(Path request) throws InterruptedException {
        long deadline = System.nanoTime() + REQUEST_WAIT.toNanos();
        while (Files.exists(request) && System.nanoTime() < deadline) Thread.sleep(50);
        return !Files.exists(request);
    }

    /** The queue, owned while no server runs, else as the running server has it. */
    private static MailQueue openOrInspect(Path root) throws IOException {
        try {
            return MailQueue.open(root);
        } catch (MailQueue.QueueBusyException e) {
            return MailQueue.inspect(root);
        }
    }

    /** The listing, as mailq shows it: one block per message, the recipients indented below it. */
    static void list(Path root, PrintStream out) throws Exception {
        try (MailQueue queue = openOrInspect(root)) {
            list(queue, out);
        }
    }

    private static void list(MailQueue queue, PrintStream out) throws Exception {
        long messages = 0;
        long bytes = 0;
        for (String id : queue.ids()) {
            Optional<QueueEntry> loaded;
            try {
                loaded = queue.load(id);
            } catch (IOException e) {
                out.println(id + "  (unreadable: " + e.getMessage() + ")");
                continue;
            }
            if (loaded.isEmpty()) continue; // delivered meanwhile
            QueueEntry entry = loaded.get();
            messages++;
            bytes += entry.contentSize();
            out.printf("%s  %8d  %s  <%s>%n", id, entry.contentSize(), TIME.format(entry.envelope().arrival()),
                    entry.envelope().senderText());
            List<Recipient> recipients = entry.envelope().recipients();
            for (int i = 0; i < recipients.size(); i++) {
                out.println("    " + describe(recipients.get(i), entry.state().recipients().get(i), entry));
            }
        }
        out.println(messages == 0 ? "Mail queue is empty" : "-- " + messages + (messages == 1 ? " message, " : " messages, ")
                + bytes + " bytes");
    }

    private static String describe(Recipient recipient, RecipientState state, QueueEntry entry) {
        StringBuilder s = new StringBuilder(recipient.destination().address().toString());
        if (!recipient.address().equals(recipient.destination().address())) s.append(" (to ").append(recipient.address()).append(')');
        s.append(": ").append(state.status().name().toLowerCase(Locale.ROOT));
        if (state.pending()) {
            s.append(", ").append(entry.state().attempts()).append(entry.state().attempts() == 1 ? " attempt" : " attempts");
            Instant next = entry.state().nextAttempt();
            s.append(", next ").append(TIME.format(next));
        }
        state.diagnostic().ifPresent(d -> s.append("; last: ").append(d));
        return s.toString();
    }
}
