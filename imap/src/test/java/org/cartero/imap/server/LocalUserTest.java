package org.cartero.imap.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cartero.core.config.Service;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.LocalAccount;
import org.cartero.core.testing.SystemUser;
import org.cartero.store.delivery.LocalDelivery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local (system) user: logged in through PAM, INBOX is the spool mbox and the other folders
 * live in ~/Maildir. The test makes a system user with useradd (it runs as root, as CI does).
 */
class LocalUserTest {

    private static final String PASSWORD = "Local pass 9!";

    @TempDir
    static Path directory;
    private static TestImapServer server;
    private static SystemUser systemUser;
    private static String user;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(SystemUser.canCreate(), "creating a system user needs root and useradd");
        systemUser = SystemUser.createWithHome("cimap", PASSWORD, directory.resolve("home"));
        user = systemUser.name();
        Files.createDirectories(directory.resolve("spool"));
        // started by hand: the system user must exist before the server reads the passwd file
        server = TestImapServer.configuredBy("""
                hostname = "mail.example.test"
                data_dir = "data"
                [listen]
                imap = ["127.0.0.1:0"]
                [local]
                passwd_file = "/etc/passwd"
                spool_dir = "spool"
                aliases_file = "aliases"
                [auth]
                plaintext_on_loopback = true
                """);
        server.start(directory);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
        if (systemUser != null) systemUser.close();
    }

    @Test
    void theInboxIsTheSpoolMboxAndFoldersAreInTheHomeMaildir() throws Exception {
        Account account = server.directory.account(user).orElseThrow();
        assertThat(account).isInstanceOf(LocalAccount.class);
        LocalDelivery delivery = new LocalDelivery(server.store);
        for (String subject : List.of("spooled one", "spooled two")) {
            delivery.deliver(new ByteArrayInputStream(("Subject: " + subject + "\r\n\r\nFrom the spool\r\n").getBytes(StandardCharsets.US_ASCII)),
                    account, account.address(), "sender@example.org");
        }
        Path spool = directory.resolve("spool").resolve(user);
        assertThat(Files.readString(spool)).contains("Subject: spooled one", ">From the spool");

        try (TestClient client = TestClient.login(server.address(Service.IMAP), user, PASSWORD)) {
            assertThat(client.ok("SELECT INBOX")).contains("* 2 EXISTS");
            assertThat(client.ok("FETCH 1 (BODY.PEEK[TEXT])").getFirst()).isEqualTo("* 1 FETCH (BODY[TEXT] {16}\r\nFrom the spool\r\n)");
            client.ok("CREATE Archive");
            assertThat(client.ok("COPY 1 Archive").getLast()).contains("[COPYUID");
            client.ok("STORE 1 +FLAGS (\\Deleted)");
            assertThat(client.ok("EXPUNGE")).contains("* 1 EXPUNGE");
            assertThat(client.ok("STATUS Archive (MESSAGES)").getFirst()).isEqualTo("* STATUS Archive (MESSAGES 1)");
        }
        assertThat(Files.readString(spool)).doesNotContain("spooled one").contains("Subject: spooled two");
        Path archive = systemUser.home().resolve("Maildir").resolve(".Archive");
        try (var files = Files.list(archive.resolve("cur"))) {
            assertThat(files.count()).isEqualTo(1);
        }
    }
}
