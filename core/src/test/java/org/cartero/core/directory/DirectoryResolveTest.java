package org.cartero.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cartero.core.directory.Resolution.Deliver;
import org.cartero.core.directory.Resolution.Destination;
import org.cartero.core.directory.Resolution.Forward;
import org.cartero.core.directory.Resolution.Mailbox;
import org.cartero.core.mail.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryResolveTest {

    @TempDir
    Path dir;

    private Directory directory;

    @BeforeEach
    void setUp() throws Exception {
        directory = Directory.open(TestDirectory.config(dir));
        directory.addDomain("example.test");
        directory.addUser(address("alice@example.test"), "$1$abcdefgh$B0IhkpQoYAzxqusDjMRQd0", 0);
        directory.addUser(address("carol@example.test"), "$1$abcdefgh$B0IhkpQoYAzxqusDjMRQd0", 1 << 20);
    }

    @AfterEach
    void tearDown() {
        directory.close();
    }

    private static MailAddress address(String text) {
        return MailAddress.parse(text);
    }

    private Account account(String login) throws DirectoryException {
        return directory.account(login).orElseThrow();
    }

    private void alias(String source, String... targets) throws DirectoryException {
        directory.addAlias(AliasSource.parse(source), List.of(targets).stream().map(MailAddress::parse).toList());
    }

    private List<Destination> destinations(String recipient) throws DirectoryException {
        Resolution r = directory.resolve(address(recipient));
        assertThat(r).as("resolution of " + recipient).isInstanceOf(Deliver.class);
        return ((Deliver) r).destinations();
    }

    private Mailbox mailbox(String login) throws DirectoryException {
        return new Mailbox(account(login), Optional.empty());
    }

    private Mailbox mailbox(String login, String detail) throws DirectoryException {
        return new Mailbox(account(login), Optional.of(detail));
    }

    private static Forward forward(String address) {
        return new Forward(MailAddress.parse(address));
    }

    @Test
    void localUsersInEveryLocalDomainWithoutCase() throws Exception {
        assertThat(destinations("alice@localhost")).containsExactly(mailbox("alice"));
        assertThat(destinations("ALICE@Local.Test")).containsExactly(mailbox("alice"));
        assertThat(destinations("alice@mail.example.test")).containsExactly(mailbox("alice"));
        assertThat(account("alice")).isInstanceOf(LocalAccount.class);
    }

    @Test
    void unknownInOurDomainsAndNotOursElsewhere() throws Exception {
        assertThat(directory.resolve(address("nobody@localhost"))).isEqualTo(new Resolution.Unknown());
        assertThat(directory.resolve(address("nobody@example.test"))).isEqualTo(new Resolution.Unknown());
        assertThat(directory.resolve(address("alice@elsewhere.test"))).isEqualTo(new Resolution.NotOurs());
    }

    @Test
    void virtualUsersAndAliasesWithoutCase() throws Exception {
        alias("info@example.test", "alice@example.test", "Dave@Remote.test");

        assertThat(destinations("Alice@EXAMPLE.test")).containsExactly(mailbox("alice@example.test"));
        assertThat(destinations("INFO@example.test"))
                .containsExactly(mailbox("alice@example.test"), forward("Dave@remote.test"));
        assertThat(account("carol@example.test").quotaBytes()).isEqualTo(1 << 20);
    }

    @Test
    void aliasesFileForLocalDomainsRecursively() throws Exception {
        Files.writeString(dir.resolve("aliases"), """
                postmaster: root
                root: alice, bob@example.org
                staff: \\bob, carol@example.test
                """);

        assertThat(destinations("postmaster@localhost")).containsExactly(mailbox("alice"), forward("bob@example.org"));
        assertThat(destinations("Postmaster@mail.example.test")).containsExactly(mailbox("alice"), forward("bob@example.org"));
        assertThat(destinations("staff@local.test")).containsExactly(mailbox("bob"), mailbox("carol@example.test"));
        // The aliases file is for local domains only.
        assertThat(directory.resolve(address("postmaster@example.test"))).isEqualTo(new Resolution.Unknown());
    }

    @Test
    void aliasesLeadingToAliasesAreFollowedAndDeduplicated() throws Exception {
        alias("sales@example.test", "team@example.test", "carol@example.test");
        alias("team@example.test", "alice@example.test", "carol@example.test", "alice@localhost");

        assertThat(destinations("sales@example.test"))
                .containsExactly(mailbox("alice@example.test"), mailbox("carol@example.test"), mailbox("alice"));
    }

    @Test
    void loopsAreBrokenAndWhatRemainsIsDelivered() throws Exception {
        alias("ping@example.test", "pong@example.test", "alice@example.test");
        alias("pong@example.test", "ping@example.test", "elsewhere@remote.test");
        alias("round@example.test", "about@example.test");
        alias("about@example.test", "round@example.test");

        assertThat(destinations("ping@example.test"))
                .containsExactly(forward("elsewhere@remote.test"), mailbox("alice@example.test"));
        assertThat(directory.resolve(address("round@example.test"))).isEqualTo(new Resolution.Unknown());
    }

    @Test
    void anAliasNamingItselfKeepsACopyInItsMailbox() throws Exception {
        alias("alice@example.test", "alice@example.test", "archive@remote.test");
        Files.writeString(dir.resolve("aliases"), "bob: bob, bob@example.org\n");

        assertThat(destinations("alice@example.test"))
                .containsExactly(mailbox("alice@example.test"), forward("archive@remote.test"));
        assertThat(destinations("bob@localhost")).containsExactly(mailbox("bob"), forward("bob@example.org"));
    }

    @Test
    void nestingDeeperThanTheLimitIsLeftOut() throws Exception {
        for (int i = 0; i < Snapshot.MAX_DEPTH + 5; i++) {
            alias("deep" + i + "@example.test", "deep" + (i + 1) + "@example.test");
        }
        alias("deep" + (Snapshot.MAX_DEPTH + 5) + "@example.test", "alice@example.test");
        alias("shallow@example.test", "deep20@example.test");

        assertThat(directory.resolve(address("deep0@example.test"))).isEqualTo(new Resolution.Unknown());
        assertThat(destinations("shallow@example.test")).containsExactly(mailbox("alice@example.test"));
    }

    @Test
    void catchAllOnlyWhenNothingElseMatches() throws Exception {
        alias("@example.test", "carol@example.test");
        alias("info@example.test", "alice@example.test");

        assertThat(destinations("whatever@example.test")).containsExactly(mailbox("carol@example.test"));
        assertThat(destinations("alice@example.test")).containsExactly(mailbox("alice@example.test"));
        assertThat(destinations("info@example.test")).containsExactly(mailbox("alice@example.test"));
        assertThat(destinations("alice+news@example.test")).containsExactly(mailbox("alice@example.test", "news"));
    }

    @Test
    void recipientDelimiterKeepsTheDetailForTheMailbox() throws Exception {
        alias("info@example.test", "alice@example.test", "dave@remote.test");
        directory.addUser(address("x+y@example.test"), "$1$abcdefgh$B0IhkpQoYAzxqusDjMRQd0", 0);

        assertThat(destinations("alice+lists@example.test")).containsExactly(mailbox("alice@example.test", "lists"));
        assertThat(destinations("alice+Lists@localhost")).containsExactly(mailbox("alice", "lists"));
        assertThat(destinations("info+orders@example.test"))
                .containsExactly(mailbox("alice@example.test", "orders"), forward("dave@remote.test"));
        assertThat(destinations("alice+@example.test")).containsExactly(mailbox("alice@example.test"));
        // An address that exists as written is not split.
        assertThat(destinations("x+y@example.test")).containsExactly(mailbox("x+y@example.test"));
        assertThat(directory.resolve(address("nobody+tag@example.test"))).isEqualTo(new Resolution.Unknown());
    }

    @Test
    void pipesAndUnknownTargetsAreLeftOutAndAnEmptyResultIsUnknown() throws Exception {
        Files.writeString(dir.resolve("aliases"), "robot: \"|/usr/bin/robot\"\nmixed: ghost, alice\n");

        assertThat(directory.resolve(address("robot@localhost"))).isEqualTo(new Resolution.Unknown());
        assertThat(destinations("mixed@localhost")).containsExactly(mailbox("alice"));
    }

    @Test
    void loginsFindLocalAndVirtualAccountsWithoutCase() throws Exception {
        assertThat(account("ALICE")).isEqualTo(account("alice@local.test"));
        assertThat(account("alice")).isInstanceOf(LocalAccount.class);
        assertThat(account("Alice@Example.Test")).isEqualTo(new VirtualAccount(address("alice@example.test"), 0));
        assertThat(directory.account("alice@elsewhere.test")).isEmpty();
        assertThat(directory.account("nobody")).isEmpty();
        assertThat(directory.account("not an address@")).isEmpty();
        assertThat(directory.account("")).isEmpty();
    }

    @Test
    void addressesOfAnAccountAreItsOwnAndTheAliasesLeadingToIt() throws Exception {
        alias("info@example.test", "alice@example.test");
        alias("sales@example.test", "info@example.test", "carol@example.test");
        alias("@example.test", "alice@example.test");
        Files.writeString(dir.resolve("aliases"), "postmaster: root\nroot: alice\n");

        assertThat(directory.addressesOf(account("alice@example.test"))).containsExactly(
                address("alice@example.test"), address("info@example.test"), address("sales@example.test"));
        assertThat(directory.addressesOf(account("alice"))).containsExactlyInAnyOrder(
                address("alice@localhost"), address("alice@local.test"), address("alice@mail.example.test"),
                address("postmaster@localhost"), address("postmaster@local.test"), address("postmaster@mail.example.test"),
                address("root@localhost"), address("root@local.test"), address("root@mail.example.test"));
        assertThat(directory.isAddressOf(account("alice@example.test"), address("Info+x@example.test"))).isTrue();
        assertThat(directory.isAddressOf(account("carol@example.test"), address("info@example.test"))).isFalse();
    }

    @Test
    void domainKinds() throws Exception {
        assertThat(directory.isLocalDomain("LOCALHOST")).isTrue();
        assertThat(directory.isLocalDomain("mail.example.test")).isTrue();
        assertThat(directory.isVirtualDomain("example.test")).isTrue();
        assertThat(directory.isHostedDomain("local.test")).isTrue();
        assertThat(directory.isHostedDomain("remote.test")).isFalse();
    }
}
