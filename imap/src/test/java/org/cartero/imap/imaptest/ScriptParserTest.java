package org.cartero.imap.imaptest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.cartero.imap.imaptest.ImapArg.ArgList;
import org.cartero.imap.imaptest.ImapArg.Atom;
import org.cartero.imap.imaptest.ImapArg.Form;
import org.cartero.imap.imaptest.ImapArg.Str;
import org.cartero.imap.imaptest.Script.CommandGroup;
import org.cartero.imap.imaptest.Script.Existence;
import org.cartero.imap.imaptest.Script.StartupState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptParserTest {
    @TempDir
    Path directory;

    private Script parse(String text) throws IOException, ScriptException {
        return parse(text, Map.of());
    }

    private Script parse(String text, Map<String, String> environment) throws IOException, ScriptException {
        Path file = directory.resolve("group");
        Files.write(file, text.getBytes(StandardCharsets.ISO_8859_1));
        return ScriptParser.parse(file, environment::get);
    }

    @Test
    void defaultsAndTheLogoutImaptestAdds() throws Exception {
        Script script = parse("\nok noop\n");

        assertThat(script.connectionCount()).isEqualTo(1);
        assertThat(script.startupState()).isEqualTo(StartupState.SELECTED);
        assertThat(script.messageCount()).isEqualTo(Script.ALL_MESSAGES);
        assertThat(script.ignoreExtraUntagged()).isTrue();
        assertThat(script.requiredCapabilities()).isEmpty();
        assertThat(script.mbox()).isEqualTo(directory.resolve("default.mbox"));
        assertThat(script.groups()).extracting(group -> group.commands().getFirst().text()).containsExactly("noop", "logout");
        assertThat(script.groups().getLast().commands().getFirst().line()).isZero();
    }

    @Test
    void header() throws Exception {
        Files.writeString(directory.resolve("group.mbox"), "");
        Script script = parse("capabilities:  ESEARCH  CONDSTORE\nconnections: 2\nmessages: 4\nstate: Auth\n"
                + "ignore_extra_untagged: no\nuser 2: $user2\n# a comment\n\n1 ok noop\n");

        assertThat(script.requiredCapabilities()).containsExactly("ESEARCH", "CONDSTORE");
        assertThat(script.connectionCount()).isEqualTo(2);
        assertThat(script.messageCount()).isEqualTo(4);
        assertThat(script.startupState()).isEqualTo(StartupState.AUTH);
        assertThat(script.ignoreExtraUntagged()).isFalse();
        assertThat(script.secondUserConnections()).containsExactly(1);
        assertThat(script.mbox()).isEqualTo(directory.resolve("group.mbox"));
    }

    @Test
    void theThreeWaysOfWritingACommand() throws Exception {
        Script script = parse("connections: 2\n\n"
                + "1 ok select $mailbox\n* 0 exists\n"
                + "2 examine $mailbox\n* ok [uidvalidity $v]\n2 ok [read-only]\n"
                + "1 tag1 status a (messages)\n1 tag2 status b (messages)\n* status a (messages 0)\ntag2 ok\n1 tag1 no\n");
        List<CommandGroup> groups = script.groups();

        assertThat(groups.get(0).connection()).isZero();
        assertThat(groups.get(0).commands()).singleElement().satisfies(command -> {
            assertThat(command.text()).isEqualTo("select $mailbox");
            assertThat(command.reply()).containsExactly(new Atom("ok"));
        });
        assertThat(groups.get(1).connection()).isEqualTo(1);
        assertThat(groups.get(1).commands().getFirst().reply()).containsExactly(new Atom("ok"), new Atom("[read-only]"));
        assertThat(groups.get(1).untagged()).singleElement().extracting(Script.ExpectedUntagged::text)
                .isEqualTo("ok [uidvalidity $v]");
        assertThat(groups.get(2).commands()).extracting(Script.Command::scriptTag, Script.Command::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "status a (messages)"),
                        org.assertj.core.groups.Tuple.tuple(2, "status b (messages)"));
        assertThat(groups.get(2).commands()).extracting(command -> command.reply().getFirst().atom())
                .containsExactly("no", "ok");
    }

    @Test
    void replyForAnotherConnectionIsRefused() {
        assertThatThrownBy(() -> parse("connections: 2\n\n1 examine x\n2 ok\n"))
                .isInstanceOf(ScriptException.class).hasMessageEndingWith("line 4: Reply for wrong connection");
    }

    @Test
    void aCommandWithoutReplyNeedsOneBeforeTheNextCommand() {
        assertThatThrownBy(() -> parse("\nexamine x\nselect y\nok\n"))
                .isInstanceOf(ScriptException.class).hasMessageEndingWith("line 3: Missing reply from previous command group");
    }

    @Test
    void unknownHeaderIsRefused() {
        assertThatThrownBy(() -> parse("colour: blue\n\nok noop\n"))
                .isInstanceOf(ScriptException.class).hasMessageEndingWith("line 1: Unknown setting");
    }

    @Test
    void multilineLiteralsJoinLinesWithCrlfAndDropTheLastLineBreak() throws Exception {
        Script script = parse("\nok append $mailbox {{{\nSubject: a\n\nbody\n}}}\n"
                + "ok fetch 1 (body[text] body[1])\n* 1 fetch (body[text] {{{\nbody\n\n}}} body[1] ~{{{\nx\r\n}}})\n");

        assertThat(script.groups().get(0).commands().getFirst().text())
                .isEqualTo("append $mailbox {18}\r\nSubject: a\r\n\r\nbody");
        assertThat(script.groups().get(1).untagged().getFirst().args().get(2)).isEqualTo(new ArgList(List.of(
                new Atom("$!unordered=2"),
                new Atom("body[text]"), new Str("body\r\n", Form.LITERAL),
                new Atom("body[1]"), new Str("x\r", Form.LITERAL8))));
    }

    @Test
    void defaultDirectives() throws Exception {
        Script script = parse("\nok fetch 1 flags\n* 1 fetch (uid 1 flags (\\seen))\n"
                + "* list (\\noselect) \"/\" x\n* status x (messages 1)\n* 1 fetch (flags ($!extra))\n");
        List<Script.ExpectedUntagged> untagged = script.groups().getFirst().untagged();

        assertThat(ImapArg.render(untagged.get(0).args())).isEqualTo("1 fetch ($!unordered=2 uid 1 flags "
                + "($!ignore=$HasNoAttachment $!ignore=$HasAttachment $!ignore=\\recent $!noextra $!unordered \\seen))");
        assertThat(ImapArg.render(untagged.get(1).args())).isEqualTo("list ($!unordered \\noselect) \"/\" x");
        assertThat(ImapArg.render(untagged.get(2).args())).isEqualTo("status x ($!unordered=2 messages 1)");
        assertThat(ImapArg.render(untagged.get(3).args())).isEqualTo("1 fetch ($!unordered=2 flags ($!extra))");
    }

    @Test
    void unknownDirectiveIsRefused() {
        assertThatThrownBy(() -> parse("\nok noop\n* list ($!sideways) \"/\" x\n"))
                .isInstanceOf(ScriptException.class).hasMessageEndingWith("Unknown directive: sideways");
    }

    @Test
    void untaggedLinesThatMustNotAndMayArrive() throws Exception {
        Script script = parse("\nok noop\n! 1 expunge\n? 2 exists\n* bye\n");
        CommandGroup group = script.groups().getFirst();

        assertThat(group.untagged()).extracting(Script.ExpectedUntagged::existence)
                .containsExactly(Existence.MUST_NOT_EXIST, Existence.MAY_EXIST, Existence.MUST_EXIST);
        assertThat(group.untaggedBye()).isTrue();
        assertThat(script.groups()).hasSize(1);
    }

    @Test
    void preprocessorFollowsTheEnvironment() throws Exception {
        String text = "\n!ifenv HAVE_FOO\nok foo\n!else\nok bar\n!endif\n!ifnenv HAVE_FOO\nok baz\n!endif\n";

        assertThat(parse(text, Map.of("HAVE_FOO", "1")).groups())
                .extracting(group -> group.commands().getFirst().text()).containsExactly("foo", "logout");
        assertThat(parse(text, Map.of()).groups())
                .extracting(group -> group.commands().getFirst().text()).containsExactly("bar", "baz", "logout");
    }

    @Test
    void unclosedIfenvIsRefused() {
        assertThatThrownBy(() -> parse("\nok noop\n!ifenv X\nok other\n"))
                .isInstanceOf(ScriptException.class).hasMessageEndingWith("!ifenv not closed with !endif");
    }

    @Test
    void modseqRulesOnlyForScriptsIntroducingThemInOrder() throws Exception {
        assertThat(parse("\nok noop\n* 1 fetch (modseq ($modseq1))\nok noop\n* 2 fetch (modseq (${modseq3}))\n")
                .modseqRules()).isTrue();
        assertThat(parse("\nok noop\n* 3 fetch (modseq ($modseq3))\nok noop\n* 2 fetch (modseq ($modseq2))\n")
                .modseqRules()).isFalse();
    }

    @Test
    void groupFilesAreTheNonMboxFilesInNameOrder() throws Exception {
        Files.writeString(directory.resolve("b"), "\nok noop\n");
        Files.writeString(directory.resolve("a"), "\nok noop\n");
        Files.writeString(directory.resolve("a.mbox"), "");
        Files.writeString(directory.resolve(".hidden"), "");
        Files.createDirectories(directory.resolve("broken"));

        assertThat(ScriptParser.groupFiles(directory)).containsExactly(directory.resolve("a"), directory.resolve("b"));
    }
}
