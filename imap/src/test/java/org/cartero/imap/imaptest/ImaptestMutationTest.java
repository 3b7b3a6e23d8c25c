package org.cartero.imap.imaptest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner must fail a script whose expectations are wrong: small scripts that Dovecot passes
 * as written, then with one expectation changed. Runs only where a dovecot binary is installed.
 */
class ImaptestMutationTest {
    private static final String MBOX = "From user@domain  Fri Feb 22 17:06:23 2008\nSubject: one\n\nbody1\n\n"
            + "From user@domain  Fri Feb 22 17:06:24 2008\nSubject: two\n\nbody2\n";
    private static final String SCRIPT = """
            messages: 2

            ok fetch 1:2 (uid flags)
            * 1 fetch (uid $uid1 flags ())
            * 2 fetch (uid $uid2 flags ())

            ok store 2 +flags \\deleted
            * 2 fetch (flags (\\deleted))

            ok expunge
            * 2 expunge

            ok uid search all
            * search $uid1
            """;

    @AutoClose
    private static DovecotServer dovecot;

    @TempDir
    Path directory;

    @BeforeAll
    static void startDovecot(@TempDir Path directory) throws Exception {
        dovecot = DovecotServer.startForTests(directory, false);
    }

    private GroupOutcome run(String script) throws IOException, ScriptException {
        Files.writeString(directory.resolve("default.mbox"), MBOX);
        Path file = Files.writeString(directory.resolve("group"), script);
        return ScriptExecutor.run(ScriptParser.parse(file), dovecot);
    }

    private String failureOf(String script) throws IOException, ScriptException {
        GroupOutcome outcome = run(script);
        assertThat(outcome).isInstanceOf(GroupOutcome.Failed.class);
        return ((GroupOutcome.Failed) outcome).report();
    }

    @Test
    void theScriptAsWrittenPasses() throws Exception {
        assertThat(run(SCRIPT)).isInstanceOf(GroupOutcome.Passed.class);
    }

    @Test
    void aWrongUntaggedReplyFails() throws Exception {
        String report = failureOf(SCRIPT.replace("* 2 fetch (flags (\\deleted))", "* 2 fetch (flags (\\seen))"));

        assertThat(report).contains("*** command 2/5 (line 7, connection 1): store 2 +flags \\deleted",
                "Missing 1 untagged replies", "expected (line 8): * 2 fetch (flags (\\seen))",
                "best match: * 2 FETCH (FLAGS (\\Deleted", "S: * 2 FETCH (FLAGS (\\Deleted");
    }

    @Test
    void aBoundVariableThatDiffersFails() throws Exception {
        String report = failureOf(SCRIPT.replace("* search $uid1", "* search $uid2"));

        assertThat(report).contains("uid search all", "expanded: * search ", "best match: * SEARCH ");
    }

    @Test
    void aWrongTaggedStatusFails() throws Exception {
        String report = failureOf(SCRIPT.replace("ok expunge", "no expunge"));

        assertThat(report).contains("Expected tagged reply 'no', got 'OK Expunge completed");
    }

    @Test
    void aReplyThatMustNotArriveFails() throws Exception {
        String report = failureOf(SCRIPT.replace("* 2 expunge", "! 2 expunge"));

        assertThat(report).contains("Unexpected untagged match", "must not arrive (line 11): ! 2 expunge",
                "reply: * 2 EXPUNGE");
    }

    @Test
    void extraUntaggedRepliesFailWhenTheHeaderSaysSo() throws Exception {
        String report = failureOf("ignore_extra_untagged: no\n" + SCRIPT.replace("* 2 expunge\n", ""));

        assertThat(report).contains("command 3/5", "2 unexpected untagged replies received, first: * 2 EXPUNGE", "S: * 1 RECENT");
    }

    @Test
    void aRealGroupWithOneExpectationChangedFails() throws Exception {
        Path tests = ImaptestSuite.testsDirectory().orElse(null);
        Assumptions.assumeTrue(tests != null, "imaptest scripts not found");
        Files.copy(tests.resolve(ScriptParser.DEFAULT_MBOX), directory.resolve(ScriptParser.DEFAULT_MBOX));
        String select = Files.readString(tests.resolve("select")).replace("* 2 recent", "* 3 recent");
        GroupOutcome outcome = ScriptExecutor.run(ScriptParser.parse(Files.writeString(directory.resolve("select"), select)), dovecot);

        assertThat(outcome).isInstanceOf(GroupOutcome.Failed.class);
        assertThat(((GroupOutcome.Failed) outcome).report()).contains("examine $mailbox", "* 3 recent", "S: * 2 RECENT");
    }

    @Test
    void aGroupNeedingACapabilityTheServerLacksIsSkipped() throws Exception {
        GroupOutcome outcome = run("capabilities: X-CARTERO-NOTHING ESEARCH\n" + SCRIPT);

        assertThat(outcome).isEqualTo(new GroupOutcome.Skipped(java.util.List.of("X-CARTERO-NOTHING")));
    }
}
