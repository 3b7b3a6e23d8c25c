package org.cartero.server;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
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
    /** How long flush waits for the running server to take the request. */
    private static final Duration FLUSH_WAIT = Duration.ofSeconds(5);

    @ParentCommand
    Main main;

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the queued messages (like mailq): id, size, arrival, sender, and each recipient with its state and last error.")
    int list() throws Exception {
        list(openQueue(), System.out);
        return 0;
    }

    @Command(name = "flush", mixinStandardHelpOptions = true,
            description = "Ask the running server to retry every queued message now.")
    int flush() throws Exception {
        return flush(openQueue(), System.out);
    }

    /** Leaves a flush request for the running server and waits a little for it to be taken. */
    static int flush(MailQueue queue, PrintStream out) throws Exception {
        Path request = queue.flushRequest();
        try {
            Files.createFile(request);
        } catch (FileAlreadyExistsException e) {
            // asked already and not yet taken: wait for it like for our own
        }
        long deadline = System.nanoTime() + FLUSH_WAIT.toNanos();
        while (Files.exists(request) && System.nanoTime() < deadline) Thread.sleep(50);
        if (Files.exists(request)) {
            out.println("The server did not take the request within " + FLUSH_WAIT.toSeconds()
                    + " s (is it running?); it will retry the queue when it starts.");
            return 1;
        }
        out.println("The server is retrying every queued message now.");
        return 0;
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete messages from the queue, without notifying anyone. A delivery already under way may still complete.")
    int delete(@Parameters(paramLabel = "ID", arity = "1..*", description = "Queue ids, as queue list shows them.")
               List<String> ids) throws Exception {
        MailQueue queue = openQueue();
        int missing = 0;
        for (String id : ids) {
            if (queue.remove(id)) {
                System.out.println("deleted " + id);
            } else {
                System.err.println("cartero: no message " + id + " in the queue");
                missing++;
            }
        }
        return missing == 0 ? 0 : 1;
    }

    private MailQueue openQueue() throws Exception {
        return MailQueue.open(MailTransferAgent.queueDirectory(Settings.load(main.configFile()).config().dataDir()));
    }

    /** The listing, as mailq shows it: one block per message, the recipients indented below it. */
    static void list(MailQueue queue, PrintStream out) throws Exception {
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
