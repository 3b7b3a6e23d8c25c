package org.cartero.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.cartero.imap.imaptest.ImaptestSuite;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every command of the imaptest compliance groups (../shared/peer-tests/imaptest/tests, the
 * suite the server must pass) parses: the ones the scripts expect to get BAD are refused with
 * BAD; the others are read as well-formed commands (or, where the script expects NO, refused
 * with NO), APPEND's messages included.
 */
class ImaptestCommandsTest {

    private static final Set<String> COMMAND_NAMES = Set.of("append", "authenticate", "cancelupdate", "capability", "check",
            "close", "compress", "copy", "create", "delete", "enable", "examine", "expunge", "fetch", "genurlauth",
            "getquota", "getquotaroot", "id", "idle", "list", "login", "logout", "lsub", "move", "namespace", "noop",
            "notify", "rename", "resetkey", "search", "select", "setquota", "sort", "status", "store", "subscribe",
            "thread", "uid", "unselect", "unsubscribe", "urlfetch");
    private static final Pattern HEADER = Pattern.compile("^[A-Za-z0-9 _-]+:( .*)?$");
    private static final Pattern CONNECTION = Pattern.compile("^(\\d+) (.*)$");
    private static final Pattern STATUS_LINE = Pattern.compile("^(\\S+ )?(ok|no|bad|\"\")( \\[.*)?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern EXPECTATION = Pattern.compile("^(ok|no|bad|\"\") (.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern VARIABLE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z0-9_]+)}|\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final Map<String, String> VALUES = Map.of(
            "mailbox", "imaptest", "sep", "/", "username", "user", "domain", "example.org", "user", "user@example.org",
            "mailbox_url", "imap://user@example.org/imaptest", "searchtag", "A1", "size", "120");
    private static final String MESSAGE = "From: user@example.org\r\nSubject: appended\r\n\r\nbody\r\n";

    /** A command of a script: the expected result word (or null) and its bytes, literals included. */
    private record ScriptCommand(int line, String expect, byte[] bytes) {
    }

    @TestFactory
    Stream<DynamicTest> everyCommandOfEveryGroupParses() throws IOException {
        Path tests = ImaptestSuite.testsDirectory().orElse(null);
        Assumptions.assumeTrue(tests != null, "the imaptest scripts are not here: set "
                + ImaptestSuite.DIRECTORY_VARIABLE + " to the imaptest directory to check their commands parse");
        List<Path> groups;
        try (Stream<Path> files = Files.list(tests)) {
            groups = files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".mbox")).sorted().toList();
        }
        assertThat(groups).hasSizeGreaterThanOrEqualTo(70);
        return groups.stream().map(group -> DynamicTest.dynamicTest(group.getFileName().toString(), () -> {
            List<ScriptCommand> commands = commands(Files.readAllLines(group, StandardCharsets.ISO_8859_1));
            assertThat(commands).isNotEmpty();
            for (ScriptCommand command : commands) check(group, command);
        }));
    }

    private static void check(Path group, ScriptCommand command) throws Exception {
        String where = group.getFileName() + ":" + command.line() + " " + new String(command.bytes(), StandardCharsets.ISO_8859_1);
        CommandReader reader = new CommandReader(new ByteArrayInputStream(command.bytes()), ReaderLimits.DEFAULT, () -> { });
        Received received = reader.next();
        if ("bad".equalsIgnoreCase(command.expect())) {
            assertThat(received).as(where).isInstanceOf(Received.Refused.class);
            assertThat(((Received.Refused) received).response().kind()).as(where).isEqualTo(StatusResponse.Kind.BAD);
            return;
        }
        if (received instanceof Received.Refused refused && "no".equalsIgnoreCase(command.expect())) {
            assertThat(refused.response().kind()).as(where).isEqualTo(StatusResponse.Kind.NO);
            return;
        }
        assertThat(received).as(where).isInstanceOf(Received.Request.class);
        if (((Received.Request) received).command() instanceof Command.Append append) {
            int messages = 0;
            for (AppendReader.Message message; (message = append.messages().next()) != null; messages++) {
                if (message.data() instanceof AppendReader.Literal literal) {
                    assertThat(literal.open().readAllBytes()).as(where).hasSize((int) literal.size());
                } else {
                    AppendReader.Catenation catenation = (AppendReader.Catenation) message.data();
                    for (AppendReader.Part part; (part = catenation.next()) != null; ) {
                        if (part instanceof AppendReader.Literal text) text.open().readAllBytes();
                    }
                }
            }
            assertThat(messages).as(where).isPositive();
        }
        assertThat(reader.next()).as(where).isInstanceOf(Received.Closed.class);
    }

    /** The commands of a script (imaptest's scripted_test.md describes the format). */
    private static List<ScriptCommand> commands(List<String> lines) {
        List<ScriptCommand> commands = new ArrayList<>();
        int i = 0;
        while (i < lines.size() && HEADER.matcher(lines.get(i)).matches()) i++;
        while (i < lines.size()) {
            int number = i + 1;
            String line = lines.get(i++);
            if (line.isBlank() || line.startsWith("#") || line.startsWith("!if") || line.startsWith("!else") || line.startsWith("!endif")) {
                continue;
            }
            Matcher connection = CONNECTION.matcher(line);
            String text = connection.matches() ? connection.group(2) : line;
            if (text.startsWith("* ") || text.startsWith("! ")) {
                // a reply, whose literals may span lines
                while (endsWithLiteral(text)) {
                    while (!lines.get(i).startsWith("}}}")) i++;
                    text = lines.get(i++).substring(3);
                }
                continue;
            }
            if (STATUS_LINE.matcher(text).matches()) continue;
            String expect = null;
            Matcher expectation = EXPECTATION.matcher(text);
            if (expectation.matches()) {
                expect = expectation.group(1);
                text = expectation.group(2);
            } else if (!COMMAND_NAMES.contains(firstWord(text))) {
                text = text.substring(text.indexOf(' ') + 1);
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(("T" + number + " ").getBytes(StandardCharsets.ISO_8859_1));
            boolean hasLiteral = endsWithLiteral(text);
            while (endsWithLiteral(text)) {
                boolean binary = text.endsWith("~{{{");
                ByteArrayOutputStream literal = new ByteArrayOutputStream();
                while (!lines.get(i).startsWith("}}}")) {
                    literal.writeBytes((lines.get(i++) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                String prefix = text.substring(0, text.length() - (binary ? 4 : 3));
                bytes.writeBytes(substitute(prefix).getBytes(StandardCharsets.ISO_8859_1));
                bytes.writeBytes(((binary ? "~{" : "{") + literal.size() + "}\r\n").getBytes(StandardCharsets.ISO_8859_1));
                bytes.writeBytes(literal.toByteArray());
                text = lines.get(i++).substring(3);
            }
            text = substitute(text);
            if (firstWord(text).equals("append") && !hasLiteral && !text.toLowerCase(Locale.ROOT).contains("catenate")) {
                // imaptest fills in a bare APPEND: the test mailbox and a message of the group's mbox
                if (text.trim().equalsIgnoreCase("append")) text = "append imaptest";
                text += " {" + MESSAGE.length() + "}\r\n" + MESSAGE;
            }
            bytes.writeBytes((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            commands.add(new ScriptCommand(number, expect, bytes.toByteArray()));
        }
        return commands;
    }

    private static boolean endsWithLiteral(String text) {
        return text.endsWith("{{{");
    }

    private static String firstWord(String text) {
        int space = text.indexOf(' ');
        return (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    }

    /** $variables get plausible values: names for names, numbers for UIDs and mod-sequences. */
    private static String substitute(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value;
            if (name == null) {
                value = "$";
            } else if (name.startsWith("mail_url")) {
                value = "imap://user@example.org/imaptest/;uid=1;urlauth=user+user@example.org:internal:91354a473744909de610943775f92038";
            } else {
                value = VALUES.getOrDefault(name, "1");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
