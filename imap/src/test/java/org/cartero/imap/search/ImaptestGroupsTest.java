package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cartero.imap.imaptest.ImaptestSuite;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.CommandReader;
import org.cartero.imap.protocol.ReaderLimits;
import org.cartero.imap.protocol.Received;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.imap.protocol.SearchReturn;
import org.cartero.imap.protocol.SequenceSet;
import org.cartero.store.FlagOperation;
import org.cartero.store.Flags;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dovecot's imaptest groups for SEARCH, SORT and THREAD, played against the engine over a real
 * Maildir: each group's messages are appended from its .mbox file as imaptest appends them, its
 * STORE, EXPUNGE, APPEND, FETCH and STATUS commands are carried out on the store (binding the
 * script's variables), and every SEARCH, SORT and THREAD result must be the one the script
 * expects: plain responses, the ALL and PARTIAL items of ESEARCH, and the ADDTO and REMOVEFROM
 * updates that flag changes and new messages cause to a CONTEXT=SEARCH UPDATE search. The
 * encoding of responses and the updates caused by EXPUNGE are the session's and are not checked
 * here. Skipped, saying so, when the scripts are not found.
 */
class ImaptestGroupsTest {
    static final List<String> GROUPS = List.of(
            "search-addresses", "search-body", "search-context-update", "search-context-update2",
            "search-context-update3", "search-date", "search-flags", "search-header", "search-partial",
            "search-sets", "search-size",
            "sort-addresses", "sort-arrival", "sort-date", "sort-display-from", "sort-display-to", "sort-partial",
            "sort-size", "sort-subject",
            "thread", "thread-orderedsubject", "thread-orderedsubject2", "thread2", "thread3", "thread4", "thread5",
            "thread6", "thread7", "thread8");

    @TempDir Path tmp;

    @TestFactory
    Stream<DynamicTest> imaptestGroups() {
        Optional<Path> tests = ImaptestSuite.testsDirectory();
        if (tests.isEmpty()) {
            return Stream.of(DynamicTest.dynamicTest("imaptest scripts", () -> Assumptions.abort(
                    "imaptest scripts not found; set " + ImaptestSuite.DIRECTORY_VARIABLE + " to run them")));
        }
        return GROUPS.stream().map(group -> DynamicTest.dynamicTest(group,
                () -> new GroupRun(tests.get(), group, Files.createDirectories(tmp.resolve(group))).run()));
    }

    /** One command of a script, the untagged replies expected while it runs, and the line it is on. */
    private record Step(int line, String status, String command, List<String> expected) {
    }

    /** A SEARCH RETURN (UPDATE) whose result changes are followed (RFC 5267 section 4). */
    private record UpdateSearch(SearchKey key, boolean uid, TreeSet<Long> uids) {
    }

    private static final class GroupRun {
        private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z0-9_]+)");

        private final String name;
        private final Path script;
        private final MboxMessages mbox;
        private final TestMailbox mailbox;
        private final SearchEngine engine;
        private final Map<String, String> variables = new HashMap<>();
        private final List<UpdateSearch> updates = new ArrayList<>();
        private int nextMessage;
        private UidList uids;
        private UidSet recent = UidSet.EMPTY;

        GroupRun(Path tests, String name, Path directory) throws IOException {
            this.name = name;
            this.script = tests.resolve(name);
            Path own = tests.resolve(name + ".mbox");
            this.mbox = MboxMessages.read(Files.exists(own) ? own : tests.resolve("default.mbox"));
            this.mailbox = new TestMailbox(directory);
            this.engine = new SearchEngine(mailbox.folder, ZoneId.systemDefault());
        }

        void run() throws IOException {
            try (mailbox) {
                List<String> lines = Files.readAllLines(script, StandardCharsets.ISO_8859_1);
                int body = lines.indexOf("");
                Map<String, String> header = new HashMap<>();
                for (String line : lines.subList(0, body)) {
                    int colon = line.indexOf(':');
                    header.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                }
                if (!"created".equals(header.get("state"))) {
                    String count = header.getOrDefault("messages", "all");
                    int messages = count.equals("all") ? mbox.size() : Integer.parseInt(count);
                    for (int i = 0; i < messages; i++) append(Flags.NONE);
                    select();
                }
                for (Step step : steps(lines.subList(body + 1, lines.size()), body + 2)) execute(step);
            }
        }

        private static List<Step> steps(List<String> lines, int firstLine) {
            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isEmpty() || line.startsWith("#")) continue;
                if (line.startsWith("* ") || line.startsWith("! ")) {
                    if (line.startsWith("* ")) steps.getLast().expected().add(line.substring(2));
                    continue;
                }
                int space = line.indexOf(' ');
                steps.add(new Step(firstLine + i, line.substring(0, space), line.substring(space + 1), new ArrayList<>()));
            }
            return steps;
        }

        private void execute(Step step) throws IOException {
            String command = substitute(step.command());
            String verb = command.toLowerCase(Locale.ROOT).replaceFirst("^uid ", "").split(" ")[0];
            String where = name + " line " + step.line() + ": " + step.command();
            if (step.status().equals("bad")) {
                assertThat(read(command)).as(where).isInstanceOf(Received.Refused.class);
                return;
            }
            switch (verb) {
                case "search" -> search((Command.Search) parse(command), step, where);
                case "sort" -> sort((Command.Sort) parse(command), step, where);
                case "thread" -> thread((Command.Thread) parse(command), step, where);
                case "store" -> store(command, step, where);
                case "expunge" -> expunge();
                case "append" -> {
                    long uid = append(command.contains("\\seen") ? Flags.of(Flags.SEEN) : Flags.NONE);
                    if (uids != null) {
                        uids = mailbox.folder.snapshot().uids();
                        recent = union(recent, UidSet.of(uid));
                        checkUpdates(UidSet.of(uid), step, where);
                    }
                }
                case "select" -> select();
                case "fetch" -> fetch(step, where);
                case "status" -> bindStatus(step);
                case "cancelupdate" -> updates.clear();
                default -> throw new AssertionError(where + ": no such command in the test");
            }
        }

        private long append(Flags flags) throws IOException {
            int i = nextMessage++ % mbox.size();
            return mailbox.append(mbox.contents().get(i), mbox.dates().get(i), flags);
        }

        private void select() throws IOException {
            uids = mailbox.folder.snapshot().uids();
            recent = uids.toSet();
        }

        private MailboxView view() {
            return new MailboxView(uids, null, recent);
        }

        // ---- SEARCH, SORT, THREAD

        private void search(Command.Search search, Step step, String where) throws IOException {
            SearchResult result = engine.search(search.key(), view());
            SearchReturn options = search.returnOptions();
            if (options == null) {
                List<String> expected = untagged(step, "search");
                if (expected != null) assertList(expected, result.numbers(search.uid()), where);
                return;
            }
            checkEsearch(options, result, search.uid(), step, where);
            if (options.has(SearchReturn.Option.UPDATE)) {
                TreeSet<Long> found = new TreeSet<>();
                for (long uid : result.uids()) found.add(uid);
                updates.add(new UpdateSearch(search.key(), search.uid(), found));
            }
        }

        private void sort(Command.Sort sort, Step step, String where) throws IOException {
            SearchResult result = engine.sort(sort.criteria(), sort.key(), view());
            if (sort.returnOptions() == null) {
                assertThat(untagged(step, "sort")).as(where).isNotNull();
                assertList(untagged(step, "sort"), result.numbers(sort.uid()), where);
            } else {
                checkEsearch(sort.returnOptions(), result, sort.uid(), step, where);
            }
        }

        private void thread(Command.Thread thread, Step step, String where) throws IOException {
            List<ThreadNode> threads = engine.thread(thread.algorithm(), thread.key(), view());
            List<String> expected = untagged(step, "thread");
            assertThat(expected).as(where).isNotNull();
            assertThat(ThreadFormat.of(threads)).as(where).isEqualToIgnoringWhitespace(String.join(" ", expected));
        }

        /** The ALL and PARTIAL items of an ESEARCH reply (RFC 4731, RFC 9394). */
        private void checkEsearch(SearchReturn options, SearchResult result, boolean uid, Step step, String where) {
            long[] numbers = result.numbers(uid);
            Map<String, String> items = esearchItems(step);
            if (options.has(SearchReturn.Option.ALL)) {
                assertList(sequence(items.get("all")), numbers, where + " (ALL)");
            }
            if (options.partial() != null) {
                String[] partial = items.get("partial").split(" ");
                assertList(sequence(partial[1]), slice(numbers, options.partial()), where + " (PARTIAL)");
            }
        }

        /** The numbers at the positions of a PARTIAL range: 1-based, or from the end when negative. */
        private static long[] slice(long[] numbers, SearchReturn.PartialRange range) {
            long first = range.first() > 0 ? range.first() - 1 : numbers.length + range.last();
            long last = range.first() > 0 ? range.last() - 1 : numbers.length + range.first();
            List<Long> out = new ArrayList<>();
            for (long i = Math.max(first, 0); i <= last && i < numbers.length; i++) out.add(numbers[(int) i]);
            return out.stream().mapToLong(Long::longValue).toArray();
        }

        // ---- changes and CONTEXT=SEARCH updates

        private void store(String command, Step step, String where) throws IOException {
            Matcher m = Pattern.compile("(?i)^(uid )?store (\\S+) ([+-]?)flags(?:\\.silent)? \\(?([^)]*)\\)?$").matcher(command);
            assertThat(m.matches()).as(where).isTrue();
            UidSet changed = messages(m.group(2), m.group(1) != null);
            FlagOperation operation = switch (m.group(3)) {
                case "+" -> FlagOperation.ADD;
                case "-" -> FlagOperation.REMOVE;
                default -> FlagOperation.REPLACE;
            };
            List<String> names = m.group(4).isBlank() ? List.of() : List.of(m.group(4).strip().split(" +"));
            mailbox.folder.store(changed, operation, Flags.parse(names), -1);
            checkUpdates(changed, step, where);
        }

        private void expunge() throws IOException {
            UidSet expunged = mailbox.folder.expunge(null);
            uids = mailbox.folder.snapshot().uids();
            for (UpdateSearch update : updates) {
                for (long uid : expunged) update.uids().remove(uid);
            }
        }

        /** The ADDTO and REMOVEFROM of each UPDATE search after the given messages changed. */
        private void checkUpdates(UidSet changed, Step step, String where) throws IOException {
            for (UpdateSearch update : updates) {
                TreeSet<Long> now = new TreeSet<>(update.uids());
                for (long uid : changed) now.remove(uid);
                for (long uid : engine.search(update.key(), view(), changed).uids()) now.add(uid);
                TreeSet<Long> added = new TreeSet<>(now);
                added.removeAll(update.uids());
                TreeSet<Long> removed = new TreeSet<>(update.uids());
                removed.removeAll(now);
                Map<String, String> items = esearchItems(step);
                assertList(updateSet(items.get("addto")), numbers(added, update.uid()), where + " (ADDTO)");
                assertList(updateSet(items.get("removefrom")), numbers(removed, update.uid()), where + " (REMOVEFROM)");
                update.uids().clear();
                update.uids().addAll(now);
            }
        }

        private long[] numbers(TreeSet<Long> messageUids, boolean uid) {
            return messageUids.stream().mapToLong(u -> uid ? u : uids.seqOf(u)).toArray();
        }

        /** The set of an ADDTO or REMOVEFROM item, "($pos 1:2,4)"; empty when there is none. */
        private List<String> updateSet(String item) {
            return item == null ? List.of() : sequence(item.split(" ")[1]);
        }

        // ---- FETCH and STATUS: bind the variables the script introduces

        private void fetch(Step step, String where) throws IOException {
            List<MessageInfo> infos = new ArrayList<>();
            mailbox.folder.messages(uids.toSet(), java.util.Set.of(), infos::add);
            for (String line : step.expected()) {
                Matcher m = Pattern.compile("(?i)^(\\d+) fetch \\((uid|rfc822\\.size) (\\S+)\\)$").matcher(line);
                assertThat(m.matches()).as(where + ": " + line).isTrue();
                MessageInfo info = infos.get(Integer.parseInt(m.group(1)) - 1);
                long actual = m.group(2).equalsIgnoreCase("uid") ? info.uid() : info.size();
                assertList(List.of(m.group(3)), new long[] {actual}, where);
            }
        }

        private void bindStatus(Step step) throws IOException {
            for (String line : step.expected()) {
                Matcher m = Pattern.compile("(?i)uidnext (\\$\\w+)").matcher(line);
                if (m.find()) variables.put(m.group(1).substring(1), Long.toString(mailbox.folder.status().uidNext()));
            }
        }

        // ---- the script's text

        private UidSet messages(String set, boolean uid) {
            SequenceSet parsed = SequenceSet.parse(set);
            UidSet.Builder out = new UidSet.Builder();
            for (int seq = 1; seq <= uids.size(); seq++) {
                long u = uids.uidAt(seq);
                if (uid ? parsed.contains(u, uids.lastUid()) : parsed.contains(seq, uids.size())) out.add(u);
            }
            return out.build();
        }

        /**
         * The untagged reply of a step that starts with {@code kind}, without it, split into words;
         * null when the script expects none (it then does not check the result).
         */
        private static List<String> untagged(Step step, String kind) {
            for (String line : step.expected()) {
                String[] words = line.strip().split(" +");
                if (words[0].equalsIgnoreCase(kind)) return List.of(words).subList(1, words.length);
            }
            return null;
        }

        /** The items of the ESEARCH reply of a step: "all" to "1:2", "partial" to "2:4 2:4", "addto" to "$pos 1:2". */
        private static Map<String, String> esearchItems(Step step) {
            Map<String, String> items = new HashMap<>();
            for (String line : step.expected()) {
                Matcher reply = Pattern.compile("(?i)^esearch \\(tag \\S+\\)( uid)?(.*)$").matcher(line.strip());
                if (!reply.matches()) continue;
                Matcher item = Pattern.compile("(?i)(\\w+) (\\([^)]*\\)|\\S+)").matcher(reply.group(2));
                while (item.find()) items.put(item.group(1).toLowerCase(Locale.ROOT), item.group(2).replaceAll("[()]", ""));
            }
            return items;
        }

        /** The members of a sequence set in the order written, "nil" empty; variables as written. */
        private List<String> sequence(String set) {
            List<String> out = new ArrayList<>();
            if (set == null || set.equalsIgnoreCase("nil")) return out;
            for (String part : substitute(set).split(",")) {
                String[] ends = part.split(":");
                if (ends.length == 1 || ends[0].startsWith("$")) {
                    out.add(part);
                    continue;
                }
                long a = Long.parseLong(ends[0]);
                long b = Long.parseLong(ends[1]);
                for (long n = Math.min(a, b); n <= Math.max(a, b); n++) out.add(Long.toString(n));
            }
            return out;
        }

        /** Compares numbers with the words a script expects, binding a variable the first time it is met. */
        private void assertList(List<String> expected, long[] actual, String where) {
            List<String> resolved = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                String word = expected.get(i);
                if (word.startsWith("$") && i < actual.length) {
                    variables.putIfAbsent(word.substring(1), Long.toString(actual[i]));
                    word = variables.get(word.substring(1));
                }
                resolved.add(word);
            }
            List<String> got = new ArrayList<>();
            for (long n : actual) got.add(Long.toString(n));
            assertThat(got).as(where).isEqualTo(resolved);
        }

        private String substitute(String text) {
            Matcher m = VARIABLE.matcher(text.replace("$mailbox", "INBOX"));
            StringBuilder out = new StringBuilder();
            while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(variables.getOrDefault(m.group(1), m.group())));
            m.appendTail(out);
            return out.toString();
        }

        private static Command parse(String command) {
            return Commands.parse(command);
        }

        private static Received read(String command) throws IOException {
            byte[] line = ("t1 " + command + "\r\n").getBytes(StandardCharsets.UTF_8);
            return new CommandReader(new ByteArrayInputStream(line), ReaderLimits.DEFAULT, () -> { }).next();
        }

        private static UidSet union(UidSet a, UidSet b) {
            TreeSet<Long> all = new TreeSet<>();
            a.forEach(all::add);
            b.forEach(all::add);
            return UidSet.of(all.stream().mapToLong(Long::longValue).toArray());
        }
    }
}
