package org.cartero.imap.imaptest;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.cartero.imap.imaptest.ClientSession.SentCommand;
import org.cartero.imap.imaptest.Script.CommandGroup;
import org.cartero.imap.imaptest.Script.Existence;
import org.cartero.imap.imaptest.Script.ExpectedUntagged;
import org.cartero.imap.imaptest.Script.StartupState;

/**
 * Plays one imaptest script against a server over real sockets, the way imaptest's test-exec
 * does.
 * <p>
 * Before the first command it prepares the state the header asks for: it logs in, checks the
 * capabilities (a group needing one the server lacks is skipped), deletes and unsubscribes every
 * mailbox named like the test mailbox, creates it, APPENDs the messages from the mbox and
 * SELECTs it on every connection.
 * <p>
 * Then it runs the command groups in order. Only the connection of the current group is read:
 * whatever the server sent on another connection meanwhile stays unread until that connection's
 * next group, and there it is matched like the group's own replies (this is how EXPUNGEs and
 * FETCHes caused by another session are seen, and why {@code $n} follows them). Every untagged
 * reply read while a group runs is matched against all of the group's expectations in any
 * order; one that matches none is ignored unless the header says
 * {@code ignore_extra_untagged: no}. A group ends when all its commands have their tagged reply.
 */
final class ScriptExecutor {
    /** imaptest's default test mailbox; $mailbox. */
    static final String MAILBOX = "imaptest";
    /** imaptest gives up on a silent server after this long. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);
    /** Sessions are numbered over the whole run, like imaptest's global client ids (tags are "id.n"). */
    private static final AtomicInteger SESSION_IDS = new AtomicInteger();
    /** Lines of one group's traffic a report shows. */
    private static final int TRANSCRIPT_LIMIT = 60;

    private final Script script;
    private final ImapTestServer server;
    private final ReplyMatcher matcher;
    private final List<ClientSession> clients = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private MboxSource source;
    private boolean started;

    private CommandGroup group;
    private int groupIndex;
    private boolean[] found;
    private int[] bestMatchCounts;
    private String[] bestMatches;
    private int mismatches;
    private String firstExtraReply;
    private final List<String> transcript = new ArrayList<>();
    private final Map<Script.Command, String> pendingTags = new IdentityHashMap<>();

    /** LIST and LSUB names collected while preparing; null when not collecting. */
    private List<String> listed;
    private List<String> subscribed;
    /** The session waiting for a "+" continuation, and whether it came. */
    private ClientSession awaitingContinuation;
    private boolean continuationSeen;

    private ScriptExecutor(Script script, ImapTestServer server) {
        this.script = script;
        this.server = server;
        this.matcher = new ReplyMatcher(script.modseqRules());
    }

    static GroupOutcome run(Script script, ImapTestServer server) {
        return new ScriptExecutor(script, server).execute();
    }

    private GroupOutcome execute() {
        try {
            source = new MboxSource(script.mbox());
            connect();
            List<String> missing = prepare();
            if (!missing.isEmpty()) {
                logoutAll();
                return new GroupOutcome.Skipped(missing);
            }
            started = true;
            for (int index = script.bannerCheck() ? 1 : 0; index < script.groups().size(); index++) {
                runGroup(index);
            }
        } catch (Abort e) {
            failures.add(e.getMessage());
        } catch (SocketTimeoutException e) {
            failures.add(describe("no reply from the server within " + REPLY_TIMEOUT.toSeconds() + " s"));
        } catch (IOException e) {
            failures.add(describe("I/O error: " + e));
        } finally {
            closeAll();
        }
        if (!failures.isEmpty()) {
            return new GroupOutcome.Failed(report());
        }
        return new GroupOutcome.Passed(List.copyOf(warnings));
    }

    private void connect() throws IOException, Abort {
        ImapTestServer.Account first = server.freshAccount();
        ImapTestServer.Account second = script.secondUserConnections().isEmpty() ? null : server.freshAccount();
        Map<String, Map<String, MailboxStorage>> storagesByUser = new HashMap<>();
        for (int i = 0; i < script.connectionCount(); i++) {
            ImapTestServer.Account account = script.secondUserConnections().contains(i) ? second : first;
            ImapConnection connection = ImapConnection.open(server, REPLY_TIMEOUT);
            String connectionName = "connection " + (i + 1) + ": ";
            ClientSession session = new ClientSession(SESSION_IDS.incrementAndGet(), account, connection,
                    storagesByUser.computeIfAbsent(account.user(), user -> new HashMap<>()), MAILBOX,
                    warning -> warnings.add(connectionName + warning));
            clients.add(session);
            String greeting = connection.readGreeting();
            try {
                session.handleGreeting(greeting);
            } catch (ProtocolViolation e) {
                throw new Abort(describe("initialization failed: " + e.getMessage()));
            }
            if (i == 0 && script.bannerCheck()) {
                checkGreeting(session, greeting);
            }
            defineUserVariables(i, account);
        }
        matcher.define("mailbox", MAILBOX);
        matcher.define("mailbox_url", mailboxUrl(MAILBOX));
    }

    /** A script whose first group has only untagged lines checks the greeting with them. */
    private void checkGreeting(ClientSession session, String greeting) throws Abort {
        beginGroup(0);
        transcript.add("S: " + Text.forReport(greeting));
        try {
            List<ImapArg> args = ImapArgParser.parseScript(greeting);
            matchUntagged(session, args.subList(1, args.size()));
        } catch (ImapSyntaxException e) {
            throw new Abort(describe("cannot parse the greeting: " + e.getMessage()));
        }
        finishGroup();
    }

    /** $user, $username, $domain, $password; $user2... for the second connection on. */
    private void defineUserVariables(int index, ImapTestServer.Account account) {
        String suffix = index == 0 ? "" : Integer.toString(index + 1);
        String user = account.user();
        int at = user.indexOf('@');
        matcher.define("user" + suffix, user);
        matcher.define("username" + suffix, at < 0 ? user : user.substring(0, at));
        matcher.define("domain" + suffix, at < 0 ? server.host() : user.substring(at + 1));
        matcher.define("password" + suffix, account.password());
    }

    /**
     * Brings the server to the header's state. Returns the capabilities the group needs and the
     * server lacks (then nothing else is done); empty when the test can start.
     */
    private List<String> prepare() throws IOException, Abort {
        for (ClientSession session : clients) {
            if (!session.knowsCapabilities()) {
                runPreparation(session, "CAPABILITY");
            }
        }
        if (script.startupState() == StartupState.NONAUTH) {
            for (ClientSession session : clients) {
                List<String> missing = missingCapabilities(session);
                if (!missing.isEmpty()) {
                    return missing;
                }
            }
            return List.of();
        }
        for (ClientSession session : clients) {
            if (!session.preauth) {
                SentCommand login = runPreparation(session, "LOGIN " + quote(session.account.user()) + " "
                        + quote(session.account.password()));
                requireOk(login);
            }
        }
        ClientSession first = clients.getFirst();
        if (!first.postLoginCapability) {
            SentCommand capability = runPreparation(first, "CAPABILITY");
            if (!capability.ok() || !first.postLoginCapability) {
                throw new Abort(describe("initialization failed: CAPABILITY failed"));
            }
        }
        List<String> missing = missingCapabilities(first);
        if (!missing.isEmpty()) {
            return missing;
        }
        deleteTestMailboxes(first);
        if (script.startupState() == StartupState.AUTH) {
            return List.of();
        }
        String mailbox = first.storageName();
        if (!Text.equalsIgnoreCase(mailbox, "INBOX")) {
            requireOk(runPreparation(first, "CREATE " + quote(mailbox)));
        }
        createForOtherUsers(mailbox);
        if (script.startupState() == StartupState.CREATED) {
            return List.of();
        }
        long left = script.messageCount() == Script.ALL_MESSAGES ? Long.MAX_VALUE : script.messageCount();
        while (left > 0 && (!source.atEnd() || script.messageCount() != Script.ALL_MESSAGES)) {
            left--;
            SentCommand append = append(first, null, "\"" + mailbox + "\"", true);
            waitFor(first, append);
            requireOk(append);
        }
        if (script.startupState() == StartupState.APPENDED) {
            return List.of();
        }
        for (ClientSession session : clients) {
            requireOk(runPreparation(session, "SELECT " + quote(mailbox)));
        }
        return List.of();
    }

    /**
     * Connections logged in as the second user SELECT the test mailbox too, so it must exist in
     * that account as well (imaptest assumes it does); it stays empty.
     */
    private void createForOtherUsers(String mailbox) throws IOException, Abort {
        ClientSession first = clients.getFirst();
        List<String> prepared = new ArrayList<>(List.of(first.account.user()));
        for (ClientSession session : clients) {
            if (!prepared.contains(session.account.user())) {
                prepared.add(session.account.user());
                requireOk(runPreparation(session, "CREATE " + quote(mailbox)));
            }
        }
    }

    private List<String> missingCapabilities(ClientSession session) {
        return script.requiredCapabilities().stream().filter(name -> !session.hasCapability(name)).toList();
    }

    /** LIST and LSUB "mailbox*", then DELETE and UNSUBSCRIBE what they name, children first. */
    private void deleteTestMailboxes(ClientSession session) throws IOException, Abort {
        String pattern = quote(session.storageName() + "*");
        listed = new ArrayList<>();
        subscribed = new ArrayList<>();
        requireOk(runPreparation(session, "LIST \"\" " + pattern));
        requireOk(runPreparation(session, "LSUB \"\" " + pattern));
        List<String> toDelete = reverseSorted(listed);
        List<String> toUnsubscribe = reverseSorted(subscribed);
        listed = null;
        subscribed = null;
        // NO is fine here (a \Noselect parent, say); BAD fails the test like any unexpected BAD
        for (String mailbox : toDelete) {
            runPreparation(session, "DELETE " + quote(mailbox));
        }
        for (String mailbox : toUnsubscribe) {
            runPreparation(session, "UNSUBSCRIBE " + quote(mailbox));
        }
    }

    private static List<String> reverseSorted(List<String> names) {
        return names.stream().sorted(Comparator.comparing((String name) -> Text.lower(name)).reversed()).toList();
    }

    private void requireOk(SentCommand command) throws Abort {
        if (!command.ok()) {
            throw new Abort(describe("initialization failed: " + command.line + " failed: " + command.status
                    + " " + ImapArg.render(command.reply)));
        }
    }

    /** Sends one of the runner's own commands and waits for its tagged reply. */
    private SentCommand runPreparation(ClientSession session, String line) throws IOException, Abort {
        SentCommand command = send(session, null, List.of(new Part(line, null)), line);
        waitFor(session, command);
        return command;
    }

    private void waitFor(ClientSession session, SentCommand command) throws IOException, Abort {
        while (session.isPending(command.tag)) {
            dispatch(session, read(session));
        }
    }

    private void logoutAll() {
        for (ClientSession session : clients) {
            try {
                session.logoutSent = true;
                runPreparation(session, "LOGOUT");
            } catch (IOException | Abort e) {
                // skipping anyway; the connection is closed next
            }
        }
    }

    private void runGroup(int index) throws IOException, Abort {
        beginGroup(index);
        ClientSession session = clients.get(group.connection());
        if (session.disconnected) {
            throw new Abort(describe("connection " + (group.connection() + 1) + " was already closed by the server"));
        }
        matcher.resetSequences(session.messageCount());
        for (Script.Command command : group.commands()) {
            sendScriptCommand(session, command);
        }
        while (!pendingTags.isEmpty()) {
            ImapConnection.Line line;
            try {
                line = session.connection().readLine();
            } catch (EOFException e) {
                if (byeEndsGroup(session)) {
                    break;
                }
                throw new Abort(describe("Unexpected disconnection"));
            } catch (ImapSyntaxException e) {
                throw new Abort(describe("error parsing input: " + e.getMessage()));
            }
            dispatch(session, line);
        }
        finishGroup();
    }

    private void beginGroup(int index) {
        groupIndex = index;
        group = script.groups().get(index);
        int count = group.untagged().size();
        found = new boolean[count];
        bestMatchCounts = new int[count];
        bestMatches = new String[count];
        mismatches = 0;
        firstExtraReply = null;
        transcript.clear();
        pendingTags.clear();
    }

    /**
     * The server closed the connection of a group expecting {@code * BYE}: fine once the BYE came,
     * but then every command of the group must have expected any status ("").
     */
    private boolean byeEndsGroup(ClientSession session) {
        if (!group.untaggedBye() || !session.seenBye) {
            return false;
        }
        for (Script.Command command : group.commands()) {
            if (!command.expectsAnyStatus()) {
                failures.add(describe("Command expected '" + ImapArg.render(command.reply())
                        + "' as tagged reply - only \"\" allowed when BYE happens"));
            }
        }
        session.disconnected = true;
        pendingTags.clear();
        return true;
    }

    private void finishGroup() throws Abort {
        List<ExpectedUntagged> expected = group.untagged();
        int missing = 0;
        int firstMissing = -1;
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i).existence() == Existence.MUST_EXIST && !found[i]) {
                missing++;
                firstMissing = firstMissing < 0 ? i : firstMissing;
            }
        }
        if (missing > 0) {
            ExpectedUntagged first = expected.get(firstMissing);
            failures.add(describe("Missing " + missing + " untagged replies (" + mismatches + " mismatches)"
                    + "\n - expected (line " + first.line() + "): * " + first.text()
                    + "\n - expanded: * " + expandForReport(first.text())
                    + "\n - best match: " + (bestMatches[firstMissing] == null ? "" : "* " + bestMatches[firstMissing])));
        }
        if (firstExtraReply != null) {
            failures.add(describe(mismatches + " unexpected untagged replies received, first: * " + firstExtraReply));
        }
        for (String output : group.outputs()) {
            try {
                System.out.println(matcher.expand(output, false));
            } catch (ReplyMatcher.UnboundVariableException e) {
                failures.add(describe(e.getMessage()));
            }
        }
        if (group.sleepMillis() > 0) {
            try {
                Thread.sleep(group.sleepMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Abort(describe("interrupted"));
            }
        }
    }

    private String expandForReport(String text) {
        try {
            return matcher.expand(text, true);
        } catch (ReplyMatcher.UnboundVariableException e) {
            return text;
        }
    }

    /**
     * Sends a command of the script: a bare "append", or "append" without a message, takes the
     * next message of the mbox; anything else is sent as written (variables expanded).
     */
    private void sendScriptCommand(ClientSession session, Script.Command command) throws IOException, Abort {
        String line;
        try {
            line = matcher.expand(command.text(), false);
        } catch (ReplyMatcher.UnboundVariableException e) {
            throw new Abort(describe(e.getMessage()));
        }
        if (Text.equalsIgnoreCase(line, "append")) {
            append(session, command, "\"" + session.storageName() + "\"", true);
        } else if (Text.startsWithIgnoreCase(line, "append ") && !appendHasBody(line.substring(7), false)) {
            append(session, command, line.substring(7), false);
        } else if (Text.startsWithIgnoreCase(line, "replace ") && !appendHasBody(line.substring(8), true)) {
            appendMessage(session, command, "REPLACE " + line.substring(8), false);
        } else if (Text.startsWithIgnoreCase(line, "uid replace ") && !appendHasBody(line.substring(12), true)) {
            appendMessage(session, command, "UID REPLACE " + line.substring(12), false);
        } else {
            boolean logout = command.line() == 0 || Text.equalsIgnoreCase(line, "logout") || group.untaggedBye();
            session.loggingOut = logout;
            session.logoutSent |= logout;
            send(session, command, literalParts(line), line);
        }
    }

    /**
     * Whether APPEND (or REPLACE) arguments carry the message: after the mailbox (and the
     * sequence of REPLACE), optional flags and date, a literal or CATENATE.
     */
    private static boolean appendHasBody(String arguments, boolean replace) {
        List<ImapArg> args;
        try {
            args = ImapArgParser.parseScript(arguments);
        } catch (ImapSyntaxException e) {
            return false;
        }
        int i = replace ? 1 : 0;
        if (i >= args.size()) {
            return false;
        }
        if (i + 1 < args.size() && args.get(i + 1) instanceof ImapArg.ArgList) {
            i++;
        }
        if (i + 1 < args.size() && args.get(i + 1) instanceof ImapArg.Str str && str.form() == ImapArg.Form.QUOTED) {
            i++;
        }
        if (i + 1 >= args.size()) {
            return false;
        }
        ImapArg next = args.get(i + 1);
        return next instanceof ImapArg.Str str && str.form() != ImapArg.Form.QUOTED
                || next.atom() != null && Text.equalsIgnoreCase(next.atom(), "catenate");
    }

    private SentCommand append(ClientSession session, Script.Command command, String arguments, boolean withDate)
            throws IOException, Abort {
        return appendMessage(session, command, "APPEND " + arguments, withDate);
    }

    /** Sends the next message of the mbox as the literal ending {@code line}. */
    private SentCommand appendMessage(ClientSession session, Script.Command command, String line, boolean withDate)
            throws IOException, Abort {
        session.loggingOut = false;
        MboxSource.Message message = source.next();
        String text = line + (withDate ? " \"" + message.imapDate() + "\"" : "") + " ";
        return send(session, command, List.of(new Part(text, message.content()), new Part("", null)),
                text + "{" + message.content().length + "}");
    }

    /** A piece of a command: text, then optionally a literal ({@code literal} null for none). */
    private record Part(String text, byte[] literal) {
    }

    /**
     * Splits a command line at its literals: a line (up to LF) ending in {@code {n}} (or
     * {@code ~{n}}, {@code {n+}}) after a space is followed by n bytes of literal data.
     */
    private List<Part> literalParts(String line) throws Abort {
        List<Part> parts = new ArrayList<>();
        int position = 0;
        StringBuilder text = new StringBuilder();
        int newline;
        while ((newline = line.indexOf('\n', position)) >= 0) {
            int open = literalStart(line, position, newline);
            if (open < 0) {
                text.append(line, position, newline + 1);
                position = newline + 1;
                continue;
            }
            int close = line.lastIndexOf('}', newline);
            String size = line.substring(open + 1, close);
            int length = Integer.parseInt(size.endsWith("+") ? size.substring(0, size.length() - 1) : size.isEmpty() ? "0" : size);
            int dataStart = newline + 1;
            if (line.length() - dataStart < length) {
                throw new Abort(describe("literal of " + length + " bytes is longer than the rest of the command"));
            }
            text.append(line, position, open);
            parts.add(new Part(text.toString(), Text.bytes(line.substring(dataStart, dataStart + length))));
            text.setLength(0);
            position = dataStart + length;
        }
        text.append(line, position, line.length());
        parts.add(new Part(text.toString(), null));
        return parts;
    }

    /** Index of the '{' of a literal marker ending the line [start, newline), or -1. */
    private static int literalStart(String line, int start, int newline) {
        int end = newline;
        if (end - start < 2) {
            return -1;
        }
        if (line.charAt(end - 1) == '\r') {
            end--;
        }
        if (end - 1 < start || line.charAt(end - 1) != '}') {
            return -1;
        }
        int i = end - 2;
        if (i >= start && line.charAt(i) == '+') {
            i--;
        }
        while (i > start && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
            i--;
        }
        if (i <= start || line.charAt(i) != '{') {
            return -1;
        }
        int open = i;
        if (i - 1 > start && line.charAt(i - 1) == '~') {
            i--;
        }
        if (i - 1 < start || line.charAt(i - 1) != ' ') {
            return -1;
        }
        return open;
    }

    /**
     * Sends a command. Literals go non-synchronizing when the server announces LITERAL+ (or
     * LITERAL- and the literal is at most 4096 bytes); otherwise the runner waits for "+".
     *
     * @param display the command as reports and state tracking see it (no literal data)
     */
    private SentCommand send(ClientSession session, Script.Command script, List<Part> parts, String display)
            throws IOException, Abort {
        String tag = session.newTag();
        SentCommand command = new SentCommand(tag, display, script != null && script.expectsBad(), script);
        session.addPending(command);
        if (script != null) {
            pendingTags.put(script, tag);
        }
        session.commandSent(display);
        ImapConnection connection = session.connection();
        connection.write(tag + " ");
        transcript.add("C: " + Text.forReport(tag + " " + display));
        for (Part part : parts) {
            String text = part.text();
            if (part.literal() == null) {
                connection.write(text + "\r\n");
                continue;
            }
            int length = part.literal().length;
            boolean nonSynchronizing = session.hasCapability("LITERAL+")
                    || session.hasCapability("LITERAL-") && length <= 4096;
            connection.write(text + "{" + length + (nonSynchronizing ? "+" : "") + "}\r\n");
            if (!nonSynchronizing) {
                connection.flush();
                if (!awaitContinuation(session, command)) {
                    return command;
                }
            }
            connection.write(part.literal());
        }
        connection.flush();
        return command;
    }

    /** Reads until the server asks for the literal ("+"); false if it answered the command instead. */
    private boolean awaitContinuation(ClientSession session, SentCommand command) throws IOException, Abort {
        awaitingContinuation = session;
        continuationSeen = false;
        try {
            while (!continuationSeen) {
                if (!session.isPending(command.tag)) {
                    return false;
                }
                dispatch(session, read(session));
            }
            return true;
        } finally {
            awaitingContinuation = null;
        }
    }

    private ImapConnection.Line read(ClientSession session) throws IOException, Abort {
        try {
            return session.connection().readLine();
        } catch (EOFException e) {
            throw new Abort(describe("Unexpected disconnection"));
        } catch (ImapSyntaxException e) {
            throw new Abort(describe("error parsing input: " + e.getMessage()));
        }
    }

    /** Handles one line from the server: a continuation, an untagged reply or a tagged one. */
    private void dispatch(ClientSession session, ImapConnection.Line line) throws Abort {
        transcript.add("S: " + Text.forReport(line.raw()));
        List<ImapArg> args = line.args();
        try {
            String tag = args.isEmpty() ? null : args.getFirst().atom();
            if (tag == null) {
                throw new ProtocolViolation("Broken tag");
            }
            if (tag.equals("+")) {
                if (awaitingContinuation != session) {
                    throw new ProtocolViolation("Unexpected command continuation");
                }
                continuationSeen = true;
            } else if (tag.equals("*")) {
                handleUntagged(session, args.subList(1, args.size()));
            } else {
                handleTagged(session, tag, args.subList(1, args.size()));
            }
        } catch (ProtocolViolation e) {
            throw new Abort(describe("imaptest drops the connection on this reply: " + e.getMessage()
                    + "\n - reply: " + Text.forReport(line.raw())));
        }
    }

    private void handleUntagged(ClientSession session, List<ImapArg> args) throws ProtocolViolation {
        session.handleUntagged(args);
        if (listed != null && args.size() >= 4 && args.get(1) instanceof ImapArg.ArgList
                && (args.get(2) instanceof ImapArg.Nil || args.get(2).astring() != null) && args.get(3).astring() != null) {
            String reply = args.getFirst().atom();
            if (reply != null && Text.equalsIgnoreCase(reply, "LIST")) {
                listed.add(args.get(3).astring());
            } else if (reply != null && Text.equalsIgnoreCase(reply, "LSUB")) {
                subscribed.add(args.get(3).astring());
            }
        }
        if (started) {
            matchUntagged(session, args);
        }
        if (args.size() >= 2 && args.getFirst().atom() != null && args.get(1).atom() != null
                && Text.equalsIgnoreCase(args.get(1).atom(), "EXPUNGE")) {
            matcher.expunged(Text.leadingNumber(args.getFirst().atom()));
        }
    }

    private void handleTagged(ClientSession session, String tag, List<ImapArg> afterTag) throws ProtocolViolation {
        String status = afterTag.isEmpty() ? null : afterTag.getFirst().atom();
        if (status == null) {
            throw new ProtocolViolation("Broken tagged reply");
        }
        SentCommand command = session.removePending(tag);
        if (command == null) {
            throw new ProtocolViolation("Unexpected tagged reply: " + tag);
        }
        boolean ok = Text.equalsIgnoreCase(status, "OK");
        if (!ok && !Text.equalsIgnoreCase(status, "NO") && !Text.equalsIgnoreCase(status, "BAD")) {
            throw new ProtocolViolation("Broken tagged reply");
        }
        if (Text.equalsIgnoreCase(status, "BAD") && !command.expectBad) {
            throw new ProtocolViolation("BAD reply for command: " + command.line);
        }
        List<ImapArg> reply = afterTag.subList(1, afterTag.size());
        if (ok && Text.startsWithIgnoreCase(command.line, "LOGIN ")) {
            session.loggedIn();
        }
        session.handleTagged(command.line, status, reply);
        command.status = status;
        command.reply = reply;
        if (command.script != null) {
            checkTaggedReply(command, afterTag);
        }
    }

    /** The tagged reply must start with what the script expects (status, maybe a response code). */
    private void checkTaggedReply(SentCommand command, List<ImapArg> afterTag) {
        matcher.setTag(command.tag);
        int match = matcher.match(command.script.reply(), afterTag, true);
        matcher.clearTag();
        matcher.commitMatch();
        if (match != ReplyMatcher.FULL) {
            failures.add(describe("Expected tagged reply '" + ImapArg.render(command.script.reply()) + "', got '"
                    + ImapArg.render(afterTag) + "'\n - command (line " + command.script.line() + ", tag "
                    + command.tag + "): " + Text.forReport(command.line)));
        }
        pendingTags.remove(command.script);
    }

    /**
     * Matches an untagged reply against every expectation of the group not yet met. A reply may
     * meet several; one matching a "!" line fails the test.
     */
    private void matchUntagged(ClientSession session, List<ImapArg> args) {
        List<ExpectedUntagged> expected = group.untagged();
        if (expected.isEmpty() && (script.ignoreExtraUntagged() || session.loggingOut)) {
            return;
        }
        String first = args.isEmpty() ? null : args.getFirst().atom();
        boolean freeText = first != null && Arrays.asList("OK", "NO", "BAD", "BYE").contains(Text.upper(first));
        String tag = group.commands().isEmpty() ? null : pendingTags.get(group.commands().getFirst());
        matcher.commitMatch();
        boolean matchedAny = false;
        for (int i = 0; i < expected.size(); i++) {
            if (found[i]) {
                continue;
            }
            ExpectedUntagged expectation = expected.get(i);
            if (tag != null) {
                matcher.setTag(tag);
            }
            int match = matcher.match(expectation.args(), args, freeText);
            if (tag != null) {
                matcher.clearTag();
            }
            if (match == ReplyMatcher.FULL) {
                if (expectation.existence() == Existence.MUST_NOT_EXIST) {
                    failures.add(describe("Unexpected untagged match:\n - must not arrive (line " + expectation.line()
                            + "): ! " + expectation.text() + "\n - reply: * " + ImapArg.render(args)));
                    return;
                }
                found[i] = true;
                matchedAny = true;
                matcher.commitMatch();
                if (group.untaggedOrdered()) {
                    break;
                }
                continue;
            }
            if (bestMatchCounts[i] < match) {
                bestMatchCounts[i] = match;
                bestMatches[i] = ImapArg.render(args);
            }
            matcher.revertMatch();
            if (group.untaggedOrdered() && expectation.existence() == Existence.MUST_EXIST) {
                break;
            }
        }
        if (!matchedAny) {
            mismatches++;
            if (!script.ignoreExtraUntagged() && firstExtraReply == null) {
                firstExtraReply = ImapArg.render(args);
            }
        }
    }

    /** A failure entry: where in the script, what failed, and this group's traffic so far. */
    private String describe(String message) {
        StringBuilder out = new StringBuilder();
        if (!started || group == null) {
            out.append("*** before the first command (preparing state ").append(script.startupState()).append(")");
        } else {
            Script.Command command = group.commands().isEmpty() ? null : group.commands().getFirst();
            out.append("*** command ").append(groupIndex + 1).append('/').append(script.groups().size());
            if (command != null) {
                out.append(" (line ").append(command.line()).append(", connection ").append(group.connection() + 1)
                        .append("): ").append(Text.forReport(command.text()));
            }
        }
        out.append("\n - failed: ").append(message);
        if (!transcript.isEmpty()) {
            out.append("\n - traffic of this command so far:");
            int from = Math.max(0, transcript.size() - TRANSCRIPT_LIMIT);
            if (from > 0) {
                out.append("\n     (").append(from).append(" earlier lines left out)");
            }
            transcript.subList(from, transcript.size()).forEach(line -> out.append("\n     ").append(line));
        }
        return out.toString();
    }

    private String report() {
        StringBuilder out = new StringBuilder("imaptest group '").append(script.name()).append("' (")
                .append(script.path()).append(") failed:\n");
        out.append(String.join("\n\n", failures));
        if (!warnings.isEmpty()) {
            out.append("\n\nimaptest would also log (not counted as failures):");
            warnings.forEach(warning -> out.append("\n - ").append(warning));
        }
        return out.toString();
    }

    private void closeAll() {
        for (ClientSession session : clients) {
            try {
                session.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** A quoted string (imaptest quotes the names it sends itself). */
    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * $mailbox_url: the mailbox name (modified UTF-7) as UTF-8, percent-encoded for a URL path
     * (RFC 3986 pchar and "/"), ';' encoded too.
     */
    static String mailboxUrl(String mailbox) {
        StringBuilder out = new StringBuilder();
        for (byte b : ModifiedUtf7.decode(mailbox).getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~!$&'()*+,=:@/".indexOf(c) >= 0;
            out.append(plain ? String.valueOf(c) : String.format("%%%02X", (int) c));
        }
        return out.toString();
    }

    /** Ends the test: the message is a complete failure entry. */
    private static final class Abort extends Exception {
        private static final long serialVersionUID = 1L;

        Abort(String message) {
            super(message);
        }
    }
}
