package org.cartero.pop3.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.LocalAccount;
import org.cartero.core.testing.ForeignLock;
import org.cartero.core.testing.SystemUser;
import org.cartero.core.testing.TestConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local (system) user, made with useradd and chpasswd (the tests run as root, as CI does):
 * the password is checked through PAM and the maildrop is the spool mbox, locked for the whole
 * session with the dotlock and fcntl lock that mutt and procmail respect. The store's lock
 * timeout is ten minutes: a login that waited for a held maildrop instead of answering [IN-USE]
 * would outlast the test client's read guard and fail the test.
 */
class LocalUserTest {
    private static final String PASSWORD = "Local pop 9%";
    private static SystemUser systemUser;
    private static String user;

    @TempDir
    Path dir;
    private Pop3TestServer server;
    private Account account;
    private Path spool;

    @BeforeAll
    static void createSystemUser() throws Exception {
        assumeTrue(SystemUser.canCreate(), "creating a system user needs root and useradd");
        systemUser = SystemUser.create("cpop", PASSWORD);
        user = systemUser.name();
    }

    @AfterAll
    static void removeSystemUser() throws Exception {
        if (systemUser != null) systemUser.close();
    }

    @BeforeEach
    void start() throws Exception {
        Path spoolDir = Files.createDirectories(dir.resolve("spool"));
        server = Pop3TestServer.start(dir.resolve("server"), """
                [local]
                passwd_file = "/etc/passwd"
                spool_dir = %s
                aliases_file = "aliases"
                [store]
                lock_timeout = "10m"
                """.formatted(TestConfigs.toml(spoolDir)));
        account = server.directory.account(user).orElseThrow();
        assertThat(account).isInstanceOf(LocalAccount.class);
        spool = spoolDir.resolve(user);
        server.deliver(account, Pop3TestServer.message("one", "First\nFrom the start of a line\n"));
        server.deliver(account, Pop3TestServer.message("two", "Second\n"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Pop3Client login(String name) throws IOException {
        Pop3Client client = Pop3Client.implicitTls(server);
        assertThat(client.command("USER " + name)).startsWith("+OK");
        assertThat(client.command("PASS " + PASSWORD)).startsWith("+OK maildrop locked and ready, 2 messages");
        return client;
    }

    @Test
    void theSpoolMboxIsTheMaildropAndDeletionsRewriteItAtQuit() throws Exception {
        assertThat(Files.readString(spool)).contains("Subject: one", "Subject: two", "\n>From the start of a line\n");
        String uidlOfTwo;
        try (Pop3Client client = login(user)) {
            List<String> first = client.multiline("RETR 1");
            // mboxrd quoting is undone: the client gets the line as it was sent.
            assertThat(first).containsSubsequence("Subject: one", "", "First", "From the start of a line");
            uidlOfTwo = client.command("UIDL 2").split(" ")[2];
            assertThat(client.command("DELE 1")).isEqualTo("+OK message 1 deleted");
            assertThat(Files.readString(spool)).contains("Subject: one");
            assertThat(client.command("QUIT")).endsWith("(1 messages deleted)");
        }
        String mbox = Files.readString(spool);
        assertThat(mbox).contains("Subject: two").doesNotContain("Subject: one");
        assertThat(mbox).startsWith("From ");
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            client.command("USER " + user + "@mail.example.test");
            assertThat(client.command("PASS " + PASSWORD)).startsWith("+OK maildrop locked and ready, 1 messages");
            assertThat(client.command("UIDL 1")).isEqualTo("+OK 1 " + uidlOfTwo);
        }
    }

    @Test
    void theSessionHoldsTheSpoolLockSoASecondSessionGetsInUse() throws Exception {
        Path dotlock = spool.resolveSibling(user + ".lock");
        try (Pop3Client first = login(user)) {
            assertThat(dotlock).exists();
            try (Pop3Client second = Pop3Client.implicitTls(server)) {
                second.command("USER " + user);
                assertThat(second.command("PASS " + PASSWORD)).isEqualTo("-ERR [IN-USE] maildrop in use by another session");
            }
            first.command("QUIT");
            assertThat(first.closedByServer()).isTrue();
        }
        assertThat(dotlock).doesNotExist();
    }

    @Test
    void aMailReadersLockOnTheSpoolGivesInUseAtOnce() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            try (ForeignLock mutt = ForeignLock.hold(spool)) {
                client.command("USER " + user);
                assertThat(client.command("PASS " + PASSWORD)).isEqualTo("-ERR [IN-USE] maildrop in use by another session");
            }
            client.command("USER " + user);
            assertThat(client.command("PASS " + PASSWORD)).startsWith("+OK maildrop locked and ready, 2 messages");
        }
    }

    @Test
    void aWrongPamPasswordIsRefused() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            client.command("USER " + user);
            assertThat(client.command("PASS wrong")).isEqualTo("-ERR [AUTH] invalid user name or password");
        }
    }
}
