package org.cartero.imap.imaptest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.cartero.imap.imaptest.Script.CommandGroup;
import org.cartero.imap.imaptest.Script.Existence;
import org.cartero.imap.imaptest.Script.ExpectedUntagged;
import org.cartero.imap.imaptest.Script.StartupState;

/**
 * Reads imaptest script files the way imaptest's test-parser does: the header, the three ways
 * of writing a command, {@code {{{ ... }}}} literals (and {@code ~{{{} literal8), preprocessor
 * lines, connection numbers, pipelined {@code tagN} commands, and the default {@code $!}
 * directives added to FETCH, LIST, LSUB and STATUS lists.
 */
final class ScriptParser {
    static final String DEFAULT_MBOX = "default.mbox";
    private static final int MAX_CONNECTIONS = 100;
    private static final Pattern MODSEQ_VARIABLE = Pattern.compile("\\$\\{?modseq([0-9]{1,9})(?![0-9A-Za-z_])");
    private static final List<ImapArg> REPLY_OK = List.of(new ImapArg.Atom("ok"));
    private static final List<ImapArg> REPLY_NO = List.of(new ImapArg.Atom("no"));
    private static final List<ImapArg> REPLY_BAD = List.of(new ImapArg.Atom("bad"));
    private static final List<ImapArg> REPLY_ANY = List.of(new ImapArg.Atom(""));

    private final Path path;
    private final Function<String, String> environment;

    private List<String> capabilities = List.of();
    private int connectionCount = 1;
    private long messageCount = Script.ALL_MESSAGES;
    private StartupState startupState = StartupState.SELECTED;
    private boolean ignoreExtraUntagged = true;
    private final Set<Integer> secondUserConnections = new LinkedHashSet<>();
    private boolean bannerCheck;

    private final List<GroupBuilder> groups = new ArrayList<>();
    private GroupBuilder group;
    private final Deque<IfEnv> ifEnvStack = new ArrayDeque<>();
    private boolean skip;

    private ScriptParser(Path path, Function<String, String> environment) {
        this.path = path;
        this.environment = environment;
    }

    /** The test groups in a directory, as imaptest picks them: files not ending in .mbox, sorted. */
    static List<Path> groupFiles(Path testsDirectory) throws IOException {
        try (Stream<Path> entries = Files.list(testsDirectory)) {
            return entries.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(file -> !file.getFileName().toString().endsWith(".mbox"))
                    .sorted()
                    .toList();
        }
    }

    static Script parse(Path file) throws IOException, ScriptException {
        return parse(file, System::getenv);
    }

    /** Parses one group; {@code environment} answers {@code !ifenv} questions. */
    static Script parse(Path file, Function<String, String> environment) throws IOException, ScriptException {
        return new ScriptParser(file, environment).parseFile(Files.readAllBytes(file));
    }

    private Script parseFile(byte[] content) throws ScriptException {
        String text = Text.latin1(content);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new ScriptException(path, 0, "Last line doesn't end with LF");
        }
        String[] lines = text.isEmpty() ? new String[0] : text.substring(0, text.length() - 1).split("\n", -1);
        boolean header = true;
        boolean continues = false;
        boolean binary = false;
        StringBuilder multiline = new StringBuilder();
        int startPosition = 0;
        int lastLineEnd = 0;
        int startLine = 0;
        for (int index = 0; index < lines.length; index++) {
            int lineNumber = index + 1;
            String line = lines[index];
            if (continues) {
                if (!line.startsWith("}}}")) {
                    // Literal content: lines joined by CRLF (LF in a ~{{{ literal8, where any CR
                    // in the file is kept); the last line break is not part of the literal.
                    multiline.append(line);
                    lastLineEnd = multiline.length();
                    multiline.append(binary ? "\n" : "\r\n");
                    continue;
                }
                multiline.setLength(lastLineEnd);
                multiline.insert(startPosition,
                        (binary ? "~{" : "{") + (multiline.length() - startPosition) + "}\r\n");
                String rest = line.substring(3);
                if (rest.endsWith("{{{")) {
                    binary = rest.length() > 3 && rest.charAt(rest.length() - 4) == '~';
                    multiline.append(rest, 0, rest.length() - (binary ? 4 : 3));
                    startPosition = multiline.length();
                    lastLineEnd = multiline.length();
                    continue;
                }
                multiline.append(rest);
                line = multiline.toString();
                continues = false;
            } else {
                startLine = lineNumber;
                if (line.isEmpty()) {
                    header = false;
                    continue;
                }
                if (line.startsWith("#")) {
                    continue;
                }
                if (line.endsWith("{{{")) {
                    binary = line.length() > 3 && line.charAt(line.length() - 4) == '~';
                    multiline.setLength(0);
                    multiline.append(line, 0, line.length() - (binary ? 4 : 3));
                    startPosition = multiline.length();
                    lastLineEnd = multiline.length();
                    continues = true;
                    continue;
                }
            }
            try {
                if (header) {
                    parseHeaderLine(line);
                } else {
                    parseCommandLine(startLine, line);
                }
            } catch (ScriptError e) {
                throw new ScriptException(path, lineNumber, e.getMessage());
            }
        }
        if (continues) {
            throw new ScriptException(path, startLine, "Multiline reply not ended");
        }
        if (group == null) {
            throw new ScriptException(path, 0, "No commands in file");
        }
        if (group.repliesPending > 0) {
            throw new ScriptException(path, lines.length,
                    "Missing reply from previous command at line " + group.firstCommandWithoutReply());
        }
        if (!ifEnvStack.isEmpty()) {
            throw new ScriptException(path, ifEnvStack.getLast().line, "!ifenv not closed with !endif");
        }
        addLogoutIfMissing();
        return new Script(scriptName(), path, mboxPath(), capabilities, connectionCount, messageCount,
                startupState, ignoreExtraUntagged, Set.copyOf(secondUserConnections), bannerCheck,
                modseqVariablesInOrder(lines), groups.stream().map(GroupBuilder::build).toList());
    }

    /** Whether the script introduces $modseqN variables in increasing N (true if it has none). */
    private static boolean modseqVariablesInOrder(String[] lines) {
        Set<Long> seen = new LinkedHashSet<>();
        long highest = -1;
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher variable = MODSEQ_VARIABLE.matcher(line);
            while (variable.find()) {
                long index = Long.parseLong(variable.group(1));
                if (seen.add(index)) {
                    if (index < highest) {
                        return false;
                    }
                    highest = index;
                }
            }
        }
        return true;
    }

    private String scriptName() {
        return path.getFileName().toString();
    }

    private Path mboxPath() {
        Path own = path.resolveSibling(scriptName() + ".mbox");
        return Files.exists(own) ? own : path.resolveSibling(DEFAULT_MBOX);
    }

    private void parseHeaderLine(String line) throws ScriptError {
        int colon = line.indexOf(':');
        if (colon < 0) {
            throw new ScriptError("Missing ':'");
        }
        int keyEnd = colon;
        while (keyEnd > 0 && line.charAt(keyEnd - 1) == ' ') {
            keyEnd--;
        }
        String key = Text.lower(line.substring(0, keyEnd));
        int valueStart = colon + 1;
        while (valueStart < line.length() && line.charAt(valueStart) == ' ') {
            valueStart++;
        }
        String value = line.substring(valueStart);
        switch (key) {
            case "capabilities" -> capabilities = Arrays.stream(value.split(" +")).filter(s -> !s.isEmpty()).toList();
            case "connections" -> {
                long count = Text.leadingNumber(value);
                if (count == 0 || count > MAX_CONNECTIONS) {
                    throw new ScriptError("Too many connections");
                }
                connectionCount = (int) count;
            }
            case "ignore_extra_untagged" -> ignoreExtraUntagged = value.startsWith("y");
            case "messages" -> messageCount = value.equals("all") ? Script.ALL_MESSAGES : Text.leadingNumber(value);
            case "state" -> startupState = switch (Text.lower(value)) {
                case "nonauth" -> StartupState.NONAUTH;
                case "auth" -> StartupState.AUTH;
                case "created" -> StartupState.CREATED;
                case "appended" -> StartupState.APPENDED;
                case "selected" -> StartupState.SELECTED;
                default -> throw new ScriptError("Unknown state value");
            };
            default -> parseUserHeader(key, value);
        }
    }

    /** {@code user N: $user2}: connection N logs in as the server's second test user. */
    private void parseUserHeader(String key, String value) throws ScriptError {
        long index = key.startsWith("user ") ? Text.parseUint32(key.substring(5)) : -1;
        if (index <= 0) {
            throw new ScriptError("Unknown setting");
        }
        if (index > MAX_CONNECTIONS) {
            throw new ScriptError("Too many connections");
        }
        if (!value.equals("$user2") && !value.equals("${user2}")) {
            throw new ScriptError("The runner logs in only as the server's test users: use $user2");
        }
        secondUserConnections.add((int) index - 1);
    }

    private void parseCommandLine(int lineNumber, String line) throws ScriptError {
        if (line.startsWith("!ifenv ") || line.startsWith("!ifnenv ")) {
            String name = line.substring(line.indexOf(' ') + 1);
            boolean wanted = environment.apply(name) != null;
            ifEnvStack.push(new IfEnv(lineNumber, skip));
            if (line.startsWith("!ifnenv ") == wanted) {
                skip = true;
            }
            return;
        }
        if (line.equals("!else")) {
            IfEnv ifEnv = ifEnvStack.peek();
            if (ifEnv == null) {
                throw new ScriptError("!else without !ifenv");
            }
            if (ifEnv.elseSeen) {
                throw new ScriptError("!else already seen");
            }
            ifEnv.elseSeen = true;
            if (!ifEnv.skipBefore) {
                skip = !skip;
            }
            return;
        }
        if (line.equals("!endif")) {
            IfEnv ifEnv = ifEnvStack.poll();
            if (ifEnv == null) {
                throw new ScriptError("!endif without !ifenv");
            }
            skip = ifEnv.skipBefore;
            return;
        }
        if (skip) {
            return;
        }

        if (group != null) {
            if (parseGroupDirective(line)) {
                return;
            }
            Existence existence = untaggedExistence(line);
            if (existence != null) {
                parseUntagged(lineNumber, line.substring(2), existence);
                return;
            }
            if (group.repliesPending > 0 && parseTaggedReplyLine(line)) {
                return;
            }
        }
        if (group == null || group.repliesPending == 0) {
            group = new GroupBuilder();
            groups.add(group);
        }

        if (connectionCount > 1) {
            long connection = Text.parseUint32(Text.firstWord(line));
            if (connection <= 0) {
                throw new ScriptError("Missing client index");
            }
            if (connection > MAX_CONNECTIONS) {
                throw new ScriptError("Too many connections");
            }
            if (!group.commands.isEmpty() && group.connection != connection - 1) {
                throw new ScriptError("All pipelined commands must use the same connection");
            }
            group.connection = (int) connection - 1;
            connectionCount = Math.max(connectionCount, (int) connection);
            int space = line.indexOf(' ');
            line = space < 0 ? "" : line.substring(space + 1);
        }

        ReplyPrefix prefix = replyPrefix(line);
        line = prefix.rest;
        if (prefix.tag == 0) {
            if (group.repliesPending > 0) {
                throw new ScriptError("Missing reply from previous command group");
            }
        } else if (group.commandWithTag(prefix.tag) != null) {
            throw new ScriptError("Tag reused within command group");
        }
        if (group.commands.isEmpty()) {
            Existence existence = untaggedExistence(line);
            if (existence != null) {
                bannerCheck = true;
                parseUntagged(lineNumber, line.substring(2), existence);
                return;
            }
        }
        if (prefix.reply == null) {
            group.repliesPending++;
        }
        group.commands.add(new CommandBuilder(lineNumber, prefix.tag, line, prefix.reply));
    }

    /** {@code !sleep}, {@code !output} and {@code !ordered} inside a group. */
    private boolean parseGroupDirective(String line) throws ScriptError {
        if (line.startsWith("!sleep ")) {
            group.sleepMillis = parseInterval(line.substring(7));
            return true;
        }
        if (line.startsWith("!output ")) {
            group.outputs.add(line.substring(8));
            return true;
        }
        if (line.equals("!ordered")) {
            group.untaggedOrdered = true;
            return true;
        }
        return false;
    }

    private static long parseInterval(String value) throws ScriptError {
        String text = value.strip();
        int unitStart = 0;
        while (unitStart < text.length() && Character.isDigit(text.charAt(unitStart))) {
            unitStart++;
        }
        if (unitStart == 0) {
            throw new ScriptError("Invalid !sleep value " + value);
        }
        long number = Long.parseLong(text.substring(0, unitStart));
        return switch (text.substring(unitStart).strip()) {
            case "ms", "msec", "msecs" -> number;
            case "", "s", "sec", "secs" -> number * 1000;
            case "m", "min", "mins" -> number * 60_000;
            default -> throw new ScriptError("Invalid !sleep value " + value);
        };
    }

    /** A line ending the replies of the current group: "[conn] [tagN] ok|no|bad|"" [prefix]". */
    private boolean parseTaggedReplyLine(String line) throws ScriptError {
        String withoutConnection = line;
        long replyConnection = 0;
        if (connectionCount > 1) {
            long number = Text.parseUint32(Text.firstWord(line));
            if (number > 0) {
                replyConnection = number;
                int space = line.indexOf(' ');
                withoutConnection = space < 0 ? "" : line.substring(space + 1);
            }
        }
        ReplyPrefix prefix = replyPrefix(withoutConnection);
        if (prefix.reply == null) {
            return false;
        }
        // The connection number is optional here (the 2022 scripts often leave it out).
        if (replyConnection != 0 && replyConnection - 1 != group.connection) {
            throw new ScriptError("Reply for wrong connection");
        }
        CommandBuilder command = group.commandWithTag(prefix.tag);
        if (command == null) {
            throw new ScriptError("Reply for unknown tag");
        }
        if (command.reply != null) {
            throw new ScriptError("Command already has a reply");
        }
        List<ImapArg> args = parseArgs(withoutConnection);
        command.reply = List.copyOf(prefix.tag == 0 ? args : args.subList(1, args.size()));
        if (command.reply.isEmpty()) {
            throw new ScriptError("Missing reply status");
        }
        group.repliesPending--;
        return true;
    }

    /**
     * The optional {@code tagN} and expected status at the start of a command line; the status
     * words are consumed, a tag is consumed even when no status follows.
     */
    private static ReplyPrefix replyPrefix(String line) {
        String word = Text.firstWord(line);
        int tag = 0;
        if (Text.startsWithIgnoreCase(word, "tag")) {
            int space = line.indexOf(' ');
            long number = Text.parseUint32(word.substring(3));
            if (space >= 0 && number > 0) {
                tag = (int) number;
                line = line.substring(space + 1);
                word = Text.firstWord(line);
            }
        }
        List<ImapArg> reply = null;
        int length = 0;
        if (Text.equalsIgnoreCase(word, "ok")) {
            reply = REPLY_OK;
            length = 2;
        } else if (Text.equalsIgnoreCase(word, "no")) {
            reply = REPLY_NO;
            length = 2;
        } else if (Text.equalsIgnoreCase(word, "bad")) {
            reply = REPLY_BAD;
            length = 3;
        } else if (word.equals("\"\"")) {
            reply = REPLY_ANY;
            length = 2;
        }
        String rest = line.substring(length);
        if (reply != null && rest.startsWith(" ")) {
            rest = rest.substring(1);
        }
        return new ReplyPrefix(tag, reply, rest);
    }

    private record ReplyPrefix(int tag, List<ImapArg> reply, String rest) {
    }

    private static Existence untaggedExistence(String line) {
        if (line.startsWith("* ")) {
            return Existence.MUST_EXIST;
        }
        if (line.startsWith("! ")) {
            return Existence.MUST_NOT_EXIST;
        }
        if (line.startsWith("? ")) {
            return Existence.MAY_EXIST;
        }
        return null;
    }

    private void parseUntagged(int lineNumber, String text, Existence existence) throws ScriptError {
        List<ImapArg> args = parseArgs(text);
        String replyName = "";
        String first = args.isEmpty() ? null : args.getFirst().atom();
        if (first != null) {
            replyName = first;
            if (!first.isEmpty() && (first.charAt(0) == '$' || first.charAt(0) >= '0' && first.charAt(0) <= '9')) {
                String second = args.size() > 1 ? args.get(1).atom() : null;
                replyName = second == null ? "" : second;
            }
        }
        List<ImapArg> withDirectives;
        try {
            withDirectives = ListDirectives.addDefaults(args, replyName);
        } catch (ImapSyntaxException e) {
            throw new ScriptError(e.getMessage());
        }
        if (Text.startsWithIgnoreCase(replyName, "BYE")) {
            switch (existence) {
                case MUST_EXIST -> group.untaggedBye = true;
                case MAY_EXIST -> throw new ScriptError("? BYE not currently supported");
                case MUST_NOT_EXIST -> {
                }
            }
        }
        group.untagged.add(new ExpectedUntagged(withDirectives, existence, text, lineNumber));
    }

    private static List<ImapArg> parseArgs(String text) throws ScriptError {
        try {
            return ImapArgParser.parseScript(text);
        } catch (ImapSyntaxException e) {
            throw new ScriptError(e.getMessage());
        }
    }

    /** imaptest adds a LOGOUT on the first connection unless the script logs out itself. */
    private void addLogoutIfMissing() {
        for (GroupBuilder builder : groups) {
            for (CommandBuilder command : builder.commands) {
                if (Text.equalsIgnoreCase(command.text, "logout") || builder.untaggedBye) {
                    return;
                }
            }
        }
        GroupBuilder logout = new GroupBuilder();
        logout.commands.add(new CommandBuilder(0, 0, "logout", REPLY_OK));
        groups.add(logout);
    }

    private static final class GroupBuilder {
        int connection;
        final List<CommandBuilder> commands = new ArrayList<>();
        final List<ExpectedUntagged> untagged = new ArrayList<>();
        final List<String> outputs = new ArrayList<>();
        boolean untaggedOrdered;
        boolean untaggedBye;
        long sleepMillis;
        int repliesPending;

        CommandBuilder commandWithTag(int tag) {
            return commands.stream().filter(command -> command.tag == tag).findFirst().orElse(null);
        }

        int firstCommandWithoutReply() {
            return commands.stream().filter(command -> command.reply == null).findFirst()
                    .map(command -> command.line).orElse(0);
        }

        CommandGroup build() {
            return new CommandGroup(connection,
                    commands.stream().map(c -> new Script.Command(c.line, c.tag, c.text, c.reply)).toList(),
                    List.copyOf(untagged), untaggedOrdered, untaggedBye, sleepMillis, List.copyOf(outputs));
        }
    }

    private static final class CommandBuilder {
        final int line;
        final int tag;
        final String text;
        List<ImapArg> reply;

        CommandBuilder(int line, int tag, String text, List<ImapArg> reply) {
            this.line = line;
            this.tag = tag;
            this.text = text;
            this.reply = reply;
        }
    }

    private static final class IfEnv {
        final int line;
        final boolean skipBefore;
        boolean elseSeen;

        IfEnv(int line, boolean skipBefore) {
            this.line = line;
            this.skipBefore = skipBefore;
        }
    }

    /** A mistake in the script at the line being parsed. */
    private static final class ScriptError extends Exception {
        private static final long serialVersionUID = 1L;

        ScriptError(String message) {
            super(message);
        }
    }
}
