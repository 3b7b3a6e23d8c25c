package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cartero.core.config.Service;
import org.cartero.core.directory.Account;
import org.cartero.core.mail.MailAddress;
import org.cartero.store.AccountStore;
import org.cartero.store.Folder;
import org.cartero.store.UidSet;
import org.cartero.store.delivery.LocalDelivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several sessions work on one mailbox while mail is delivered into it. Each session keeps the
 * mailbox as its client would, from the responses alone (EXISTS, EXPUNGE, FETCH); at the end
 * every session's copy must be the store's mailbox exactly: no ghost message, none missing,
 * every flag right. Along the way no EXPUNGE may arrive while a FETCH, STORE or SEARCH is
 * answered (RFC 9051 section 7.5.1).
 */
class ConcurrencyTest {

    private static final int SESSIONS = 4;
    private static final int ROUNDS = 60;
    private static final int DELIVERIES = 40;
    private static final List<String> FLAGS = List.of("\\Seen", "\\Flagged", "\\Answered", "$Work");
    private static final Pattern FETCH = Pattern.compile("^\\* (\\d+) FETCH \\((.*)\\)$");
    private static final Pattern UID = Pattern.compile("UID (\\d+)");
    private static final Pattern FLAG_LIST = Pattern.compile("FLAGS \\(([^)]*)\\)");

    @RegisterExtension
    static final TestImapServer server = TestImapServer.plaintextOnLoopback();

    /** A message as a client knows it: its UID (0 until learnt) and flags. */
    private static final class Known {
        long uid;
        Set<String> flags = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    }

    /** One session and the mailbox as it sees it. */
    private static final class Mirror {
        final TestClient client;
        final List<Known> messages = new ArrayList<>();

        Mirror(TestClient client) {
            this.client = client;
        }

        /** Runs a command, applies its untagged responses, and learns the UIDs of new messages. */
        List<String> run(String command, boolean expungeForbidden) throws Exception {
            List<String> lines = client.ok(command);
            apply(lines, expungeForbidden, command);
            if (messages.stream().anyMatch(m -> m.uid == 0)) {
                int first = 1;
                while (messages.get(first - 1).uid != 0) first++;
                apply(client.ok("FETCH " + first + ":* (UID FLAGS)"), true, "FETCH");
            }
            return lines;
        }

        void apply(List<String> lines, boolean expungeForbidden, String command) {
            for (String line : lines) {
                if (line.endsWith(" EXISTS")) {
                    int exists = Integer.parseInt(line.substring(2, line.indexOf(' ', 2)));
                    assertThat(exists).as("EXISTS never shrinks the mailbox").isGreaterThanOrEqualTo(messages.size());
                    while (messages.size() < exists) messages.add(new Known());
                } else if (line.endsWith(" EXPUNGE")) {
                    assertThat(expungeForbidden).as("EXPUNGE while answering " + command).isFalse();
                    messages.remove(Integer.parseInt(line.substring(2, line.indexOf(' ', 2))) - 1);
                } else {
                    Matcher fetch = FETCH.matcher(line);
                    if (!fetch.matches()) continue;
                    Known known = messages.get(Integer.parseInt(fetch.group(1)) - 1);
                    Matcher uid = UID.matcher(fetch.group(2));
                    if (uid.find()) {
                        long value = Long.parseLong(uid.group(1));
                        assertThat(known.uid == 0 || known.uid == value).as("UID of a message never changes").isTrue();
                        known.uid = value;
                    }
                    Matcher flags = FLAG_LIST.matcher(fetch.group(2));
                    if (flags.find()) {
                        known.flags.clear();
                        for (String flag : flags.group(1).split(" ")) {
                            if (!flag.isEmpty() && !flag.equalsIgnoreCase("\\Recent")) known.flags.add(flag);
                        }
                    }
                }
            }
        }

        /** The mailbox as this client believes it: UID to flags, in sequence order. */
        TreeMap<Long, String> view() {
            TreeMap<Long, String> view = new TreeMap<>();
            for (Known m : messages) view.put(m.uid, String.join(" ", m.flags));
            return view;
        }
    }

    private static String message(String subject) {
        return "From: load@example.test\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n";
    }

    private static void work(Mirror mirror, int worker) throws Exception {
        Random random = new Random(worker);
        for (int round = 0; round < ROUNDS; round++) {
            int size = mirror.messages.size();
            int choice = random.nextInt(10);
            if (size == 0 || choice < 2) {
                String text = message("s" + worker + "r" + round);
                mirror.run("APPEND INBOX {" + text.length() + "+}\r\n" + text, false);
            } else if (choice < 6) {
                int seq = 1 + random.nextInt(size);
                String flag = FLAGS.get(random.nextInt(FLAGS.size()));
                mirror.run("STORE " + seq + (random.nextBoolean() ? " +" : " -") + "FLAGS (" + flag + ")", true);
            } else if (choice < 7) {
                int seq = 1 + random.nextInt(size);
                mirror.run("STORE " + seq + " +FLAGS (\\Deleted)", true);
            } else if (choice < 8) {
                mirror.run("EXPUNGE", false);
            } else if (choice < 9) {
                mirror.run("FETCH 1:* (FLAGS)", true);
                mirror.run("SEARCH FLAGGED", true);
            } else {
                mirror.run("NOOP", false);
            }
        }
    }

    @Test
    void sessionsAndDeliveriesAgreeWithTheStore() throws Exception {
        String user = server.newUser();
        Account account = server.directory.account(user).orElseThrow();
        List<Mirror> mirrors = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            Mirror mirror = new Mirror(TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD));
            mirror.run("SELECT INBOX", false);
            mirrors.add(mirror);
        }
        LocalDelivery delivery = new LocalDelivery(server.store);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                Mirror mirror = mirrors.get(i);
                int worker = i;
                running.add(threads.submit(() -> {
                    work(mirror, worker);
                    return null;
                }));
            }
            running.add(threads.submit(() -> {
                for (int i = 0; i < DELIVERIES; i++) {
                    delivery.deliver(new ByteArrayInputStream(message("delivery " + i).getBytes(StandardCharsets.US_ASCII)),
                            account, MailAddress.parse(user), "sender@example.org");
                }
                return null;
            }));
            for (Future<?> future : running) future.get();
        }

        TreeMap<Long, String> truth = new TreeMap<>();
        try (AccountStore store = server.store.open(account); Folder inbox = store.open("INBOX")) {
            inbox.messages(UidSet.all(), Set.of(), m -> {
                List<String> flags = new ArrayList<>(m.flags().names());
                flags.sort(String.CASE_INSENSITIVE_ORDER);
                truth.put(m.uid(), String.join(" ", flags));
            });
        }
        assertThat(truth).isNotEmpty();
        for (Mirror mirror : mirrors) {
            mirror.run("NOOP", false);
            assertThat(mirror.view()).as("what a session was told").isEqualTo(truth);
            Mirror fresh = new Mirror(mirror.client);
            fresh.apply(List.of("* " + mirror.messages.size() + " EXISTS"), false, "SELECT");
            fresh.apply(mirror.client.ok("FETCH 1:* (UID FLAGS)"), true, "FETCH");
            assertThat(fresh.view()).as("what a session finds when it asks").isEqualTo(truth);
            mirror.client.close();
        }
    }
}
