package org.cartero.pop3.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.cartero.core.directory.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One session per maildrop (RFC 1939 section 8), and what other writers see meanwhile. */
class MaildropLockTest {
    private static final String USER = "bob@example.test";

    @TempDir
    Path dir;
    private Pop3TestServer server;
    private Account bob;

    @BeforeEach
    void start() throws Exception {
        server = Pop3TestServer.start(dir, "[timeouts]\npop3 = \"2s\"\n");
        bob = server.addUser(USER);
        server.deliver(bob, Pop3TestServer.message("one", "1"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void aSecondSessionOnTheSameMaildropGetsInUseUntilTheFirstEnds() throws Exception {
        try (Pop3Client first = Pop3Client.implicitTls(server)) {
            first.login(USER);
            try (Pop3Client second = Pop3Client.stls(server)) {
                second.command("USER " + USER);
                assertThat(second.command("PASS " + Pop3TestServer.PASSWORD))
                        .isEqualTo("-ERR [IN-USE] maildrop in use by another session");
                assertThat(second.command("STAT")).isEqualTo("-ERR STAT is valid only after login");
                first.command("QUIT");
                second.loginWhenFree(USER);
                assertThat(second.command("STAT")).startsWith("+OK 1 ");
            }
        }
    }

    @Test
    void mailDeliveredDuringASessionAppearsInTheNextOne() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            client.login(USER);
            server.deliver(bob, Pop3TestServer.message("two", "2"));
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
            assertThat(client.multiline("LIST")).hasSize(1);
            assertThat(client.command("RETR 2")).isEqualTo("-ERR no such message, only 1 messages in maildrop");
            client.command("DELE 1");
            assertThat(client.command("QUIT")).endsWith("(1 messages deleted)");
        }
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            client.login(USER);
            assertThat(client.multiline("TOP 1 0")).contains("Subject: two");
        }
    }

    @Test
    void theIdleTimeoutClosesSilentlyAndDeletesNothing() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            client.login(USER);
            client.command("DELE 1");
            // RFC 1939 section 3: the autologout timer closes without a response and no UPDATE state.
            assertThat(client.closedByServer()).isTrue();
        }
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            client.loginWhenFree(USER);
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
        }
    }
}
