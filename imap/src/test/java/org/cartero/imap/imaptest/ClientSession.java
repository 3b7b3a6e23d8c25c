package org.cartero.imap.imaptest;

import java.io.Closeable;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One imaptest client connection and what it tracks about the server, as imaptest's imap-client
 * and mailbox-state do: the capabilities, the login state, the selected mailbox's messages
 * (count and UIDs), and consistency checks on every untagged reply. A reply that breaks them
 * raises {@link ProtocolViolation}: imaptest drops the connection then, which fails the test.
 * Inconsistencies imaptest only logs go to the warnings.
 */
final class ClientSession implements Closeable {
    private static final Set<String> SYSTEM_FLAGS = Set.of("ANSWERED", "FLAGGED", "DELETED", "SEEN", "DRAFT", "RECENT");
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");

    enum LoginState { NONAUTH, AUTH, SELECTED }

    /**
     * A command sent: its tag, its line as sent (without literal data), and once answered its
     * status and the arguments after it. {@code script} is null for the runner's own commands.
     */
    static final class SentCommand {
        final String tag;
        final String line;
        final boolean expectBad;
        final Script.Command script;
        String status;
        List<ImapArg> reply;

        SentCommand(String tag, String line, boolean expectBad, Script.Command script) {
            this.tag = tag;
            this.line = line;
            this.expectBad = expectBad;
            this.script = script;
        }

        boolean ok() {
            return status != null && Text.equalsIgnoreCase(status, "OK");
        }
    }

    final int id;
    final ImapTestServer.Account account;
    private final ImapConnection connection;
    private final Map<String, MailboxStorage> storages;
    private final Consumer<String> warnings;
    private final Map<String, SentCommand> pending = new LinkedHashMap<>();
    private int nextTag = 1;

    List<String> capabilities = List.of();
    boolean postLoginCapability;
    LoginState loginState = LoginState.NONAUTH;
    boolean preauth;
    boolean logoutSent;
    boolean seenBye;
    boolean disconnected;
    /** The last command sent was a LOGOUT: untagged replies need no expectation then. */
    boolean loggingOut;
    private boolean qresyncEnabled;
    private MailboxStorage storage;
    private View view = new View();

    /**
     * @param storages the storages of this session's user, shared with its other sessions
     * @param mailbox the test mailbox, the storage a session starts with
     */
    ClientSession(int id, ImapTestServer.Account account, ImapConnection connection,
                  Map<String, MailboxStorage> storages, String mailbox, Consumer<String> warnings) {
        this.id = id;
        this.account = account;
        this.connection = connection;
        this.storages = storages;
        this.warnings = warnings;
        this.storage = storages.computeIfAbsent(mailbox, MailboxStorage::new);
    }

    ImapConnection connection() {
        return connection;
    }

    /** The mailbox a bare "append" goes to: the one last SELECTed or EXAMINEd. */
    String storageName() {
        return storage.name;
    }

    int messageCount() {
        return view.uids.size();
    }

    boolean hasCapability(String name) {
        return capabilities.stream().anyMatch(c -> Text.equalsIgnoreCase(c, name));
    }

    /** A tag of the form "session.counter", like imaptest's. */
    String newTag() {
        return id + "." + nextTag++;
    }

    void addPending(SentCommand command) {
        pending.put(command.tag, command);
    }

    SentCommand removePending(String tag) {
        return pending.remove(tag);
    }

    boolean isPending(String tag) {
        return pending.containsKey(tag);
    }

    /** The greeting: it must be "* OK" or "* PREAUTH", and may carry the capabilities. */
    void handleGreeting(String line) throws ProtocolViolation {
        if (Text.startsWithIgnoreCase(line, "* PREAUTH ")) {
            preauth = true;
            loginState = LoginState.AUTH;
        } else if (!Text.startsWithIgnoreCase(line, "* OK ")) {
            throw new ProtocolViolation("Malformed banner \"" + line + "\"");
        }
        int code = line.indexOf("[CAPABILITY ");
        if (code >= 0) {
            String list = line.substring(code + "[CAPABILITY ".length());
            int end = list.indexOf(']');
            parseCapabilities(end < 0 ? list : list.substring(0, end));
        }
    }

    boolean knowsCapabilities() {
        return !capabilities.isEmpty();
    }

    /**
     * Bookkeeping when a command is sent: SELECT and EXAMINE of another mailbox switch to its
     * storage with an empty view; DELETE and RENAME make imaptest forget what it knew about the
     * mailbox named.
     */
    void commandSent(String line) {
        int space = line.indexOf(' ');
        if (space < 0) {
            return;
        }
        String command = line.substring(0, space);
        String mailbox = firstAstring(line.substring(space + 1));
        if (mailbox == null) {
            return;
        }
        if (Text.equalsIgnoreCase(command, "SELECT") || Text.equalsIgnoreCase(command, "EXAMINE")) {
            if (!mailbox.equals(storage.name)) {
                storage = storages.computeIfAbsent(mailbox, MailboxStorage::new);
                view = new View();
            }
        } else if (Text.equalsIgnoreCase(command, "DELETE") || Text.equalsIgnoreCase(command, "RENAME")) {
            MailboxStorage named = storages.get(mailbox);
            if (named != null) {
                named.reset();
            }
        }
    }

    private static String firstAstring(String arguments) {
        try {
            List<ImapArg> args = ImapArgParser.parseScript(arguments);
            return args.isEmpty() ? null : args.getFirst().astring();
        } catch (ImapSyntaxException e) {
            return null;
        }
    }

    /** imap_client_handle_untagged(): tracks an untagged reply (the args after "*"). */
    void handleUntagged(List<ImapArg> args) throws ProtocolViolation {
        String first = args.isEmpty() ? null : args.getFirst().atom();
        if (first == null) {
            throw new ProtocolViolation("Invalid untagged input");
        }
        List<ImapArg> rest = args.subList(1, args.size());
        long number = Text.parseUint32(first);
        if (number >= 0) {
            String kind = rest.isEmpty() ? null : rest.getFirst().atom();
            if (kind == null) {
                throw new ProtocolViolation("Invalid untagged input");
            }
            handleNumbered(number, Text.upper(kind), rest.subList(1, rest.size()));
            return;
        }
        switch (Text.upper(first)) {
            case "BYE" -> {
                if (!logoutSent || seenBye) {
                    warnings.accept("Unexpected BYE");
                }
                view = new View();
                seenBye = true;
                loginState = LoginState.NONAUTH;
            }
            case "FLAGS" -> {
                if (!view.setMailboxFlags(rest)) {
                    throw new ProtocolViolation("Broken FLAGS");
                }
            }
            case "CAPABILITY" -> parseCapabilities(ImapArg.render(rest));
            case "ENABLED" -> rest.stream().map(ImapArg::atom)
                    .filter(atom -> atom != null && Text.equalsIgnoreCase(atom, "QRESYNC"))
                    .findAny().ifPresent(atom -> qresyncEnabled = true);
            case "VANISHED" -> vanished(rest);
            case "OK" -> handleResponseCode(rest);
            case "BAD" -> warnings.accept("BAD received");
            default -> {
            }
        }
    }

    private void handleNumbered(long number, String kind, List<ImapArg> rest) throws ProtocolViolation {
        int count = view.uids.size();
        switch (kind) {
            case "EXISTS" -> {
                if (number < count) {
                    view.uids.subList((int) number, count).clear();
                    throw new ProtocolViolation("Message count dropped " + count + " -> " + number);
                }
                for (long i = count; i < number; i++) {
                    view.uids.add(0L);
                }
            }
            case "EXPUNGE" -> expunge(number);
            case "RECENT" -> view.recent = number;
            case "FETCH" -> {
                if (number == 0 || number > count) {
                    throw new ProtocolViolation("FETCH for sequence " + number + " but only " + count + " messages exist");
                }
                handleFetch((int) number, rest);
            }
            default -> {
            }
        }
    }

    private void expunge(long seq) throws ProtocolViolation {
        if (seq == 0) {
            throw new ProtocolViolation("Tried to expunge sequence 0");
        }
        if (seq > view.uids.size()) {
            throw new ProtocolViolation("Tried to expunge sequence " + seq + " with only " + view.uids.size() + " msgs");
        }
        view.uids.remove((int) seq - 1);
    }

    /** mailbox_state_handle_fetch(): UIDs must not change, nor a UID's facts. */
    private void handleFetch(int seq, List<ImapArg> args) throws ProtocolViolation {
        if (args.isEmpty() || !(args.getFirst() instanceof ImapArg.ArgList list)) {
            throw new ProtocolViolation("FETCH didn't return a list");
        }
        List<ImapArg> items = list.items();
        ImapArg uidValue = fetchItem(items, "UID");
        if (uidValue != null && uidValue.atom() != null) {
            long uid = Text.leadingNumber(uidValue.atom());
            long known = view.uids.get(seq - 1);
            if (known == 0) {
                view.uids.set(seq - 1, uid);
            } else if (known != uid) {
                view.uids.set(seq - 1, uid);
                throw new ProtocolViolation("UID changed for sequence " + seq + ": " + known + " -> " + uid);
            }
        }
        long uid = view.uids.get(seq - 1);
        MailboxStorage.MessageFacts facts = uid == 0 ? null : storage.message(uid);
        if (facts != null && fetchItem(items, "ENVELOPE") instanceof ImapArg.ArgList envelope) {
            checkMessageId(facts, envelope.items());
        }
        for (int i = 0; i + 1 < items.size(); i += 2) {
            String name = items.get(i).atom();
            if (name == null) {
                continue;
            }
            ImapArg value = items.get(i + 1);
            switch (Text.upper(name)) {
                case "FLAGS" -> {
                    if (!(value instanceof ImapArg.ArgList flags)) {
                        throw new ProtocolViolation("FLAGS reply isn't a list");
                    }
                    setMessageFlags(facts, flags.items());
                }
                case "INTERNALDATE" -> {
                    if (facts != null && value.astring() != null) {
                        checkInternalDate(facts, value.astring());
                    }
                }
                case "BODY[HEADER.FIELDS" -> {
                    if (facts != null && facts.messageId != null && !headerFieldsWellFormed(items, i + 1)) {
                        throw new ProtocolViolation("Broken HEADER.FIELDS");
                    }
                }
                default -> {
                }
            }
        }
    }

    /** fetch_list_get(): the value after the (atom) item name, looking at name positions only. */
    private static ImapArg fetchItem(List<ImapArg> items, String name) {
        for (int i = 0; i + 1 < items.size(); i += 2) {
            String atom = items.get(i).atom();
            if (atom != null && Text.equalsIgnoreCase(atom, name)) {
                return items.get(i + 1);
            }
        }
        return null;
    }

    private static void checkMessageId(MailboxStorage.MessageFacts facts, List<ImapArg> envelope)
            throws ProtocolViolation {
        if (envelope.size() < 10 || !(envelope.get(9) instanceof ImapArg.Str messageId)) {
            return;
        }
        if (facts.messageId == null) {
            facts.messageId = messageId.text();
        } else if (!facts.messageId.equals(messageId.text())) {
            throw new ProtocolViolation("UID " + facts.uid + " changed Message-Id: " + facts.messageId
                    + " -> " + messageId.text());
        }
    }

    private static void checkInternalDate(MailboxStorage.MessageFacts facts, String text) throws ProtocolViolation {
        long[] parsed = parseDateTime(text);
        if (parsed == null) {
            throw new ProtocolViolation("Broken INTERNALDATE");
        }
        if (parsed[0] == 0) {
            return;
        }
        if (facts.internalDate == null) {
            facts.internalDate = parsed[0];
            facts.internalDateZoneMinutes = (int) parsed[1];
        } else if (facts.internalDate != parsed[0] || facts.internalDateZoneMinutes != parsed[1]) {
            throw new ProtocolViolation("UID=" + facts.uid + " INTERNALDATE changed " + facts.internalDate + "+"
                    + facts.internalDateZoneMinutes + " -> " + parsed[0] + "+" + parsed[1]);
        }
    }

    /** date-time "dd-Mon-yyyy hh:mm:ss +zzzz" (day may be one digit or space-padded): epoch and zone. */
    static long[] parseDateTime(String text) {
        String value = text.startsWith(" ") ? text.substring(1) : text;
        int dash = value.indexOf('-');
        if (dash < 1 || dash > 2 || value.length() != dash + 24) {
            return null;
        }
        try {
            int day = Integer.parseInt(value.substring(0, dash));
            String rest = value.substring(dash);
            int month = MONTHS.indexOf(Text.upper(rest.substring(1, 4)));
            if (month < 0 || rest.charAt(4) != '-' || rest.charAt(9) != ' ' || rest.charAt(12) != ':'
                    || rest.charAt(15) != ':' || rest.charAt(18) != ' ' || rest.charAt(19) != '+' && rest.charAt(19) != '-') {
                return null;
            }
            LocalDateTime local = LocalDateTime.of(Integer.parseInt(rest.substring(5, 9)), month + 1, day,
                    Integer.parseInt(rest.substring(10, 12)), Integer.parseInt(rest.substring(13, 15)),
                    Integer.parseInt(rest.substring(16, 18)));
            int zone = Integer.parseInt(rest.substring(20, 22)) * 60 + Integer.parseInt(rest.substring(22, 24));
            zone = rest.charAt(19) == '-' ? -zone : zone;
            return new long[] {local.toEpochSecond(ZoneOffset.ofTotalSeconds(zone * 60)), zone};
        } catch (NumberFormatException | DateTimeException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }

    /** BODY[HEADER.FIELDS (names)] {value}: a list of names, then "]", then a string or NIL. */
    private static boolean headerFieldsWellFormed(List<ImapArg> items, int listIndex) {
        if (!(items.get(listIndex) instanceof ImapArg.ArgList names)
                || names.items().stream().anyMatch(name -> name.astring() == null)) {
            return false;
        }
        if (listIndex + 2 >= items.size() || !"]".equals(items.get(listIndex + 1).atom())) {
            return false;
        }
        ImapArg value = items.get(listIndex + 2);
        return value instanceof ImapArg.Nil || value.astring() != null;
    }

    /** The FLAGS of one message: atoms, known system flags; \Recent in one session only. */
    private void setMessageFlags(MailboxStorage.MessageFacts facts, List<ImapArg> flags) throws ProtocolViolation {
        boolean recent = false;
        for (ImapArg flag : flags) {
            String atom = flagName(flag);
            if (atom == null) {
                throw new ProtocolViolation("Flags list contains non-atoms.");
            }
            if (atom.startsWith("\\")) {
                String system = Text.upper(atom.substring(1));
                if (!SYSTEM_FLAGS.contains(system)) {
                    throw new ProtocolViolation("Invalid system flag: " + atom);
                }
                recent |= system.equals("RECENT");
            } else if (view.keywords.add(atom)) {
                warnings.accept("Keyword used without being in FLAGS: " + atom);
            }
        }
        if (recent && facts != null && !storage.recentTrackingStopped) {
            if (facts.recentSession == 0) {
                if (view.readWrite) {
                    facts.recentSession = id;
                }
            } else if (facts.recentSession != id) {
                warnings.accept("Message UID=" + facts.uid + " has \\Recent flag in multiple sessions: "
                        + id + " and " + facts.recentSession);
                storage.recentTrackingStopped = true;
            }
        }
    }

    /**
     * A flag of a flag list: an atom, or the keyword NIL (which imaptest's parser reads as NIL;
     * Dovecot, which passes the whole suite, sends it after STORE +FLAGS NIL).
     */
    private static String flagName(ImapArg flag) {
        return flag instanceof ImapArg.Nil nil ? nil.text() : flag.atom();
    }

    /** VANISHED (RFC 7162): only after ENABLE QRESYNC; (EARLIER) replies are not tracked. */
    private void vanished(List<ImapArg> args) throws ProtocolViolation {
        if (!qresyncEnabled) {
            throw new ProtocolViolation("Server sent VANISHED but we hadn't enabled QRESYNC");
        }
        if (!args.isEmpty() && args.getFirst() instanceof ImapArg.ArgList earlier && earlier.items().size() == 1
                && "EARLIER".equalsIgnoreCase(earlier.items().getFirst().atom())) {
            return;
        }
        if (args.size() != 1 || args.getFirst().atom() == null) {
            throw new ProtocolViolation("Invalid VANISHED parameters");
        }
        List<long[]> ranges = parseUidSet(args.getFirst().atom());
        if (ranges == null) {
            throw new ProtocolViolation("Invalid VANISHED sequence-set");
        }
        if (view.uids.stream().allMatch(uid -> uid != 0)) {
            for (int seq = view.uids.size(); seq > 0; seq--) {
                long uid = view.uids.get(seq - 1);
                if (ranges.stream().anyMatch(range -> uid >= range[0] && uid <= range[1])) {
                    expunge(seq);
                }
            }
            return;
        }
        for (long[] range : ranges) {
            for (long uid = range[0]; uid <= range[1]; uid++) {
                expungeUid(uid);
            }
        }
    }

    /** An expunged UID when some UIDs are unknown: it is the unknown message just before a larger UID. */
    private void expungeUid(long uid) throws ProtocolViolation {
        int i = 0;
        for (; i < view.uids.size(); i++) {
            long known = view.uids.get(i);
            if (known != 0 && uid <= known) {
                if (uid == known) {
                    expunge(i + 1);
                    return;
                }
                break;
            }
        }
        if (i == 0 || view.uids.get(i - 1) != 0) {
            throw new ProtocolViolation("VANISHED UID=" + uid + " not found");
        }
        expunge(i);
    }

    private static List<long[]> parseUidSet(String set) {
        List<long[]> ranges = new ArrayList<>();
        for (String part : set.split(",", -1)) {
            String[] ends = part.split(":", -1);
            if (ends.length > 2) {
                return null;
            }
            long first = uidOrStar(ends[0]);
            long last = ends.length == 2 ? uidOrStar(ends[1]) : first;
            if (first <= 0 || last <= 0) {
                return null;
            }
            ranges.add(new long[] {Math.min(first, last), Math.max(first, last)});
        }
        return ranges;
    }

    private static long uidOrStar(String text) {
        return text.equals("*") ? 0xFFFF_FFFFL : Text.parseUint32(text);
    }

    /** imap_client_handle_tagged_reply(): the selected state and the response code. */
    void handleTagged(String commandLine, String status, List<ImapArg> afterStatus) throws ProtocolViolation {
        boolean ok = Text.equalsIgnoreCase(status, "OK");
        if (Text.startsWithIgnoreCase(commandLine, "select ") || Text.startsWithIgnoreCase(commandLine, "examine ")) {
            if (ok) {
                loginState = LoginState.SELECTED;
            }
        } else if (Text.equalsIgnoreCase(commandLine, "close") || Text.equalsIgnoreCase(commandLine, "unselect")) {
            if (ok && loginState == LoginState.SELECTED) {
                view = new View();
            }
        }
        handleResponseCode(afterStatus);
    }

    /** The login succeeded: capabilities that come with its reply are post-login ones. */
    void loggedIn() {
        loginState = LoginState.AUTH;
    }

    private void handleResponseCode(List<ImapArg> args) throws ProtocolViolation {
        String code = args.isEmpty() ? null : args.getFirst().atom();
        if (code == null || !code.startsWith("[")) {
            return;
        }
        String key = Text.upper(code.substring(1));
        key = key.indexOf(']') >= 0 ? key.substring(0, key.indexOf(']')) : key;
        List<ImapArg> rest = args.subList(1, args.size());
        String value = ImapArg.render(rest);
        value = value.indexOf(']') >= 0 ? value.substring(0, value.indexOf(']')) : value;
        switch (key) {
            case "READ-WRITE" -> view.readWrite = true;
            case "CAPABILITY" -> parseCapabilities(value);
            case "CLOSED" -> {
                if (loginState != LoginState.SELECTED) {
                    throw new ProtocolViolation("CLOSED code sent in non-selected state");
                }
                view = new View();
            }
            case "PERMANENTFLAGS" -> {
                if (rest.isEmpty() || !view.setPermanentFlags(rest.getFirst())) {
                    throw new ProtocolViolation("Broken PERMANENTFLAGS");
                }
            }
            case "UIDVALIDITY" -> {
                long uidValidity = Text.leadingNumber(value);
                if (uidValidity != storage.uidValidity) {
                    if (storage.uidValidity != 0) {
                        warnings.accept("UIDVALIDITY changed: " + storage.uidValidity + " -> " + uidValidity);
                    }
                    storage.uidValidity = uidValidity;
                }
            }
            default -> {
            }
        }
    }

    private void parseCapabilities(String line) {
        postLoginCapability = loginState != LoginState.NONAUTH;
        capabilities = Arrays.stream(line.split(" ", -1)).toList();
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }

    /** The selected mailbox as this session knows it. */
    private final class View {
        /** UID per message (index = sequence - 1); 0 while unknown. */
        final List<Long> uids = new ArrayList<>();
        final Set<String> keywords = new HashSet<>();
        boolean readWrite;
        long recent;

        /** Untagged FLAGS: a list of atoms whose system flags are known ones. */
        boolean setMailboxFlags(List<ImapArg> args) {
            if (args.isEmpty() || !(args.getFirst() instanceof ImapArg.ArgList list)) {
                return false;
            }
            for (ImapArg flag : list.items()) {
                String atom = flagName(flag);
                if (atom == null || atom.startsWith("\\") && !SYSTEM_FLAGS.contains(Text.upper(atom.substring(1)))) {
                    return false;
                }
                if (!atom.startsWith("\\")) {
                    keywords.add(atom);
                }
            }
            return true;
        }

        /** [PERMANENTFLAGS (...)]: atoms, known system flags or \*. */
        boolean setPermanentFlags(ImapArg arg) {
            if (!(arg instanceof ImapArg.ArgList list)) {
                return false;
            }
            for (ImapArg flag : list.items()) {
                String atom = flagName(flag);
                if (atom == null) {
                    return false;
                }
                if (atom.startsWith("\\") && !atom.equals("\\*")
                        && !SYSTEM_FLAGS.contains(Text.upper(atom.substring(1)))) {
                    return false;
                }
                if (!atom.startsWith("\\") && !keywords.contains(atom)) {
                    warnings.accept("Keyword in PERMANENTFLAGS not introduced with FLAGS: " + atom);
                }
            }
            return true;
        }
    }
}
