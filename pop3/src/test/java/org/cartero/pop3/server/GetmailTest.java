package org.cartero.pop3.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cartero.core.directory.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * getmail6 (Debian) as the client over implicit TLS, leaving mail on the server or not. It
 * delivers through an external MDA that writes one file per message (getmail refuses Maildir
 * delivery as root, and the tests may run as root).
 */
class GetmailTest {
    private static final String USER = "erin@example.test";

    @TempDir
    Path dir;
    private Pop3TestServer server;
    private Account erin;
    private Path fetched;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Programs.installed("getmail"), "getmail (getmail6) is needed");
        server = Pop3TestServer.start(dir.resolve("server"));
        erin = server.addUser(USER);
        server.deliver(erin, Pop3TestServer.message("first", "one\n"));
        server.deliver(erin, Pop3TestServer.message("second", "two\n..double dot\n"));
        fetched = Files.createDirectories(dir.resolve("fetched"));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    private Programs.Run getmail(boolean delete) throws Exception {
        Path rc = dir.resolve("getmailrc");
        Files.writeString(rc, """
                [retriever]
                type = SimplePOP3SSLRetriever
                server = 127.0.0.1
                port = %d
                username = %s
                password = %s
                ca_certs = %s
                ssl_cert_hostname = mail.example.test

                [destination]
                type = MDA_external
                path = /bin/sh
                arguments = ("-c", "cat > $(mktemp %s/msg.XXXXXX)")
                allow_root_commands = true

                [options]
                read_all = false
                delete = %s
                """.formatted(server.pop3s().getPort(), USER, Pop3TestServer.PASSWORD, server.certificate(), fetched, delete));
        return Programs.run(dir, "getmail", "--getmaildir", dir.toString(), "--rcfile", rc.toString());
    }

    @Test
    void leavingMailOnTheServerGetmailFetchesEachMessageOnce() throws Exception {
        Programs.Run first = getmail(false);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("2 messages (", "retrieved");
        assertThat(Programs.filesIn(fetched)).hasSize(2).anyMatch(m -> m.contains("Subject: second") && m.contains("\n..double dot\n"));

        Programs.Run second = getmail(false);
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("0 messages (");
        assertThat(Programs.filesIn(fetched)).hasSize(2);

        server.deliver(erin, Pop3TestServer.message("third", "three\n"));
        getmail(false);
        assertThat(Programs.filesIn(fetched)).hasSize(3);
    }

    @Test
    void withDeleteTheMaildropIsEmptiedAtQuit() throws Exception {
        Programs.Run run = getmail(true);
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(Programs.filesIn(fetched)).hasSize(2);
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            client.login(USER);
            assertThat(client.command("STAT")).isEqualTo("+OK 0 0");
        }
    }
}
