package org.cartero.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cartero.core.directory.AliasesFile.AliasTarget;
import org.cartero.core.directory.AliasesFile.AliasTarget.Address;
import org.cartero.core.directory.AliasesFile.AliasTarget.LocalName;
import org.cartero.core.mail.MailAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AliasesFileTest {

    @TempDir
    Path dir;

    private AliasesFile parse(String text) throws IOException {
        Path file = dir.resolve("aliases");
        Files.writeString(file, text);
        return AliasesFile.load(file);
    }

    private static LocalName name(String n) {
        return new LocalName(n, false);
    }

    private static Address address(String a) {
        return new Address(MailAddress.parse(a));
    }

    @Test
    void namesTargetsCommentsAndContinuationLines() throws IOException {
        AliasesFile file = parse("""
                # Basic system aliases -- these MUST be present.
                MAILER-DAEMON: postmaster
                postmaster:    root

                root: alice, bob@example.org,
                \tcarol
                  # a comment inside a continued alias
                    ,dave
                staff: "\\alice", "Eve@Example.org"
                """);

        assertThat(file.aliases()).containsOnlyKeys("mailer-daemon", "postmaster", "root", "staff");
        assertThat(file.aliases().get("mailer-daemon")).containsExactly(name("postmaster"));
        assertThat(file.aliases().get("root"))
                .containsExactly(name("alice"), address("bob@example.org"), name("carol"), name("dave"));
        assertThat(file.aliases().get("staff")).containsExactly(new LocalName("alice", true), address("Eve@Example.org"));
        assertThat(file.warnings()).isEmpty();
    }

    @Test
    void includedFilesAddTheirTargetsAndAreWatched() throws IOException {
        Path list = dir.resolve("team.list");
        Files.writeString(list, "# the team\nalice\nbob@example.org, carol\n");
        AliasesFile file = parse("team: :include:" + list + ", dave\n");

        assertThat(file.aliases().get("team"))
                .containsExactly(name("alice"), address("bob@example.org"), name("carol"), name("dave"));
        assertThat(file.filesRead()).contains(dir.resolve("aliases"), list);
    }

    @Test
    void includeLoopsAndMissingIncludesAreLeftOutWithAWarning() throws IOException {
        Path a = dir.resolve("a.list");
        Path b = dir.resolve("b.list");
        Files.writeString(a, "alice\n:include:" + b + "\n");
        Files.writeString(b, "bob\n:include:" + a + "\n");
        AliasesFile file = parse("loop: :include:" + a + "\nmissing: carol, :include:" + dir.resolve("nope") + "\n");

        assertThat(file.aliases().get("loop")).containsExactly(name("alice"), name("bob"));
        assertThat(file.aliases().get("missing")).containsExactly(name("carol"));
        assertThat(file.warnings()).hasSize(2);
        assertThat(file.warnings().get(0)).startsWith(b + ":2: ").contains("loop");
        assertThat(file.warnings().get(1)).startsWith(dir.resolve("aliases") + ":2: ").contains("no such file");
        assertThat(file.filesRead()).contains(dir.resolve("nope"));
    }

    @Test
    void pipesFilesAndBrokenLinesAreSkippedWithTheirLineNumber() throws IOException {
        AliasesFile file = parse("""
                majordomo: "|/usr/lib/majordomo/wrapper majordomo", alice
                archive: /var/mail/archive
                this line has no colon
                  continued without an alias
                relative: :include:lists/team
                bad: <broken@, bob
                """);
        Path f = dir.resolve("aliases");

        assertThat(file.aliases().get("majordomo")).containsExactly(name("alice"));
        assertThat(file.aliases().get("archive")).isEmpty();
        assertThat(file.aliases().get("relative")).isEmpty();
        assertThat(file.aliases().get("bad")).containsExactly(name("bob"));
        assertThat(file.aliases()).doesNotContainKey("this line has no colon");
        assertThat(file.warnings()).containsExactly(
                f + ":1: pipe to a command is not supported, left out: |/usr/lib/majordomo/wrapper majordomo",
                f + ":2: delivery to a file is not supported, left out: /var/mail/archive",
                f + ":3: expected name: targets, found no colon",
                f + ":5: :include: needs an absolute path, left out: lists/team",
                f + ":6: not an address, left out: <broken@ (invalid local part \"<broken\")");
    }

    @Test
    void theFirstOfTwoEntriesForOneNameCounts() throws IOException {
        AliasesFile file = parse("abuse: alice\nAbuse: bob\n");

        assertThat(file.aliases().get("abuse")).containsExactly(name("alice"));
        assertThat(file.warnings()).singleElement().asString().contains("duplicate alias \"abuse\"");
    }

    @Test
    void aMissingFileHasNoAliases() throws IOException {
        AliasesFile file = AliasesFile.load(dir.resolve("absent"));

        assertThat(file.aliases()).isEmpty();
        assertThat(file.warnings()).isEmpty();
        assertThat(file.filesRead()).containsExactly(dir.resolve("absent"));
    }

    @Test
    void quotedNamesAndCrlfLineEnds() throws IOException {
        AliasesFile file = parse("\"help desk\": alice\r\nsupport: bob\r\n");

        assertThat(file.aliases().get("help desk")).containsExactly(name("alice"));
        assertThat(file.aliases().get("support")).isEqualTo(List.<AliasTarget>of(name("bob")));
    }
}
