package org.cartero.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.cartero.core.config.Config;
import org.cartero.core.mail.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryTest {
    private static final String HASH = "$1$abcdefgh$B0IhkpQoYAzxqusDjMRQd0";

    @TempDir
    Path dir;

    private Config config;
    private Directory directory;

    @BeforeEach
    void setUp() throws Exception {
        config = TestDirectory.config(dir);
        directory = Directory.open(config);
    }

    @AfterEach
    void tearDown() {
        directory.close();
    }

    private static MailAddress address(String text) {
        return MailAddress.parse(text);
    }

    private static List<MailAddress> addresses(String... texts) {
        return List.of(texts).stream().map(MailAddress::parse).toList();
    }

    @Test
    void domainsAreAddedListedAndRemoved() throws Exception {
        directory.addDomain("Example.TEST");
        directory.addDomain("another.test");

        assertThat(directory.virtualDomains()).containsExactly("another.test", "example.test");
        assertThatThrownBy(() -> directory.addDomain("example.test"))
                .isInstanceOf(DirectoryException.class).hasMessage("domain example.test already exists");

        directory.removeDomain("another.test");
        assertThat(directory.virtualDomains()).containsExactly("example.test");
        assertThatThrownBy(() -> directory.removeDomain("another.test")).hasMessage("no virtual domain another.test");
    }

    @Test
    void localAndInvalidDomainsCannotBeVirtual() {
        assertThatThrownBy(() -> directory.addDomain("local.test"))
                .hasMessageStartingWith("local.test is a local domain");
        assertThatThrownBy(() -> directory.addDomain("mail.example.test"))
                .hasMessageStartingWith("mail.example.test is a local domain");
        assertThatThrownBy(() -> directory.addDomain("bad_domain..test"))
                .hasMessage("not a valid domain name: \"bad_domain..test\"");
    }

    @Test
    void aDomainWithUsersOrAliasesIsNotRemoved() throws Exception {
        directory.addDomain("example.test");
        directory.addUser(address("alice@example.test"), HASH, 0);
        directory.addUser(address("bob@example.test"), HASH, 0);
        directory.addAlias(AliasSource.parse("@example.test"), addresses("alice@example.test"));

        assertThatThrownBy(() -> directory.removeDomain("example.test"))
                .hasMessage("domain example.test still has 2 users and 1 alias; remove them first");
        assertThat(directory.virtualDomains()).containsExactly("example.test");
    }

    @Test
    void usersNeedTheirDomainAndAreUnique() throws Exception {
        assertThatThrownBy(() -> directory.addUser(address("alice@example.test"), HASH, 0))
                .hasMessage("no virtual domain example.test; add the domain first");
        assertThatThrownBy(() -> directory.addUser(address("alice@localhost"), HASH, 0))
                .hasMessageStartingWith("localhost is a local domain");

        directory.addDomain("example.test");
        directory.addUser(address("Alice@Example.test"), HASH, 5_000_000);
        assertThatThrownBy(() -> directory.addUser(address("alice@example.test"), HASH, 0))
                .hasMessage("user alice@example.test already exists");

        assertThat(directory.users(null)).containsExactly(
                new Directory.VirtualUser(address("alice@example.test"), 5_000_000));
        assertThat(directory.users("other.test")).isEmpty();
    }

    @Test
    void passwordsChangeAndUsersGo() throws Exception {
        directory.addDomain("example.test");
        directory.addUser(address("alice@example.test"), HASH, 0);
        VirtualAccount alice = (VirtualAccount) directory.account("alice@example.test").orElseThrow();

        directory.setPasswordHash(address("ALICE@example.test"), "$2y$05$new");
        assertThat(directory.passwordHash(alice)).contains("$2y$05$new");

        directory.removeUser(address("alice@example.test"));
        assertThat(directory.account("alice@example.test")).isEmpty();
        assertThat(directory.passwordHash(alice)).isEmpty();
        assertThatThrownBy(() -> directory.removeUser(address("alice@example.test"))).hasMessage("no user alice@example.test");
        assertThatThrownBy(() -> directory.setPasswordHash(address("alice@example.test"), HASH))
                .hasMessage("no user alice@example.test");
    }

    @Test
    void aliasTargetsAreAddedOnceAndRemovedOneByOneOrAll() throws Exception {
        directory.addDomain("example.test");
        AliasSource info = AliasSource.parse("info@example.test");

        assertThat(directory.addAlias(info, addresses("alice@example.test", "bob@elsewhere.test")))
                .containsExactlyElementsOf(addresses("alice@example.test", "bob@elsewhere.test"));
        assertThat(directory.addAlias(info, addresses("Bob@Elsewhere.test", "carol@example.test")))
                .containsExactlyElementsOf(addresses("carol@example.test"));
        assertThat(directory.aliases(null)).containsExactly(new Directory.VirtualAlias(info,
                addresses("alice@example.test", "bob@elsewhere.test", "carol@example.test")));

        directory.removeAlias(info, addresses("BOB@elsewhere.test"));
        assertThat(directory.aliases("example.test").getFirst().targets())
                .containsExactlyElementsOf(addresses("alice@example.test", "carol@example.test"));
        assertThatThrownBy(() -> directory.removeAlias(info, addresses("bob@elsewhere.test")))
                .hasMessage("alias info@example.test does not lead to bob@elsewhere.test");

        directory.removeAlias(info, List.of());
        assertThat(directory.aliases(null)).isEmpty();
        assertThatThrownBy(() -> directory.removeAlias(info, List.of())).hasMessage("no alias info@example.test");
    }

    @Test
    void aliasSourcesMustBeInOneOfOurDomains() throws Exception {
        assertThatThrownBy(() -> directory.addAlias(AliasSource.parse("info@elsewhere.test"), addresses("alice@localhost")))
                .hasMessage("elsewhere.test is neither a local nor a virtual domain here");
        // Virtual aliases work for local domains too.
        directory.addAlias(AliasSource.parse("sales@localhost"), addresses("alice@localhost"));
        assertThat(directory.resolve(address("sales@localhost"))).isInstanceOf(Resolution.Deliver.class);
    }

    @Test
    void aSecondInstanceSeesChangesAtOnce() throws Exception {
        try (Directory command = Directory.open(config)) {
            assertThat(directory.isVirtualDomain("example.test")).isFalse();

            command.addDomain("example.test");
            assertThat(directory.isVirtualDomain("example.test")).isTrue();

            command.addUser(address("alice@example.test"), HASH, 0);
            assertThat(directory.account("alice@example.test")).isPresent();

            command.addAlias(AliasSource.parse("info@example.test"), addresses("alice@example.test"));
            assertThat(directory.resolve(address("info@example.test"))).isEqualTo(new Resolution.Deliver(List.of(
                    new Resolution.Mailbox(directory.account("alice@example.test").orElseThrow(), Optional.empty()))));

            command.removeAlias(AliasSource.parse("info@example.test"), List.of());
            command.removeUser(address("alice@example.test"));
            assertThat(directory.account("alice@example.test")).isEmpty();
            assertThat(directory.resolve(address("info@example.test"))).isEqualTo(new Resolution.Unknown());
        }
    }

    @Test
    void thePasswdAndAliasesFilesAreReadAgainWhenTheyChange() throws Exception {
        assertThat(directory.account("carol")).isEmpty();
        Files.writeString(dir.resolve("passwd"), TestDirectory.PASSWD + "carol:x:1002:1002::/home/carol:/bin/sh\n");
        assertThat(directory.account("carol")).isPresent();

        Path team = dir.resolve("team.list");
        Files.writeString(team, "alice\n");
        Files.writeString(dir.resolve("aliases"), "team: :include:" + team + "\n");
        assertThat(directory.addressesOf(directory.account("alice").orElseThrow())).contains(address("team@localhost"));

        Files.writeString(team, "carol\nbob\n");
        assertThat(directory.addressesOf(directory.account("alice").orElseThrow())).doesNotContain(address("team@localhost"));
        assertThat(directory.addressesOf(directory.account("bob").orElseThrow())).contains(address("team@localhost"));
    }

    @Test
    void aMissingPasswdFileIsAnErrorNotAnEmptyList() throws Exception {
        Files.delete(dir.resolve("passwd"));

        assertThatThrownBy(() -> directory.resolve(address("alice@localhost")))
                .isInstanceOf(DirectoryException.class)
                .hasMessage("cannot read " + dir.resolve("passwd") + ": no such file");
    }

    @Test
    void theDatabaseIsPrivateInWalModeWithASchemaVersion() throws Exception {
        Path db = config.dataDir().resolve(Directory.DATABASE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(db))).isEqualTo("rw-------");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                assertThat(rs.getInt(1)).isEqualTo(DirectoryStore.SCHEMA_VERSION);
            }
        }
    }

    @Test
    void aDatabaseFromANewerVersionIsRefused() throws Exception {
        directory.close();
        Path db = config.dataDir().resolve(Directory.DATABASE);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            s.execute("PRAGMA user_version = 99");
        }

        assertThatThrownBy(() -> Directory.open(config))
                .isInstanceOf(DirectoryException.class)
                .hasMessage(db + " has schema version 99, made by a newer Cartero; this one knows versions up to "
                        + DirectoryStore.SCHEMA_VERSION);
    }
}
