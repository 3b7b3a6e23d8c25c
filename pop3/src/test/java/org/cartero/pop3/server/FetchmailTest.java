package org.cartero.pop3.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.cartero.core.directory.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * fetchmail (Debian) as the client: over STLS (required, with the server's certificate checked)
 * and over implicit TLS, leaving mail on the server with UIDL bookkeeping or deleting it. The
 * server allows no plaintext login, so a successful fetch proves that TLS was used.
 */
class FetchmailTest {
    private static final String USER = "dave@example.test";

    @TempDir
    Path dir;
    private Pop3TestServer server;
    private Account dave;
    private Path fetched;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Programs.installed("fetchmail"), "fetchmail is needed");
        server = Pop3TestServer.start(dir.resolve("server"));
        dave = server.addUser(USER);
        for (int i = 1; i <= 3; i++) server.deliver(dave, Pop3TestServer.message("message " + i, "Body " + i + "\n.dot line\n"));
        fetched = Files.createDirectories(dir.resolve("fetched"));
        Path mda = dir.resolve("deliver.sh");
        Files.writeString(mda, "#!/bin/sh\nexec cat > \"$(mktemp " + fetched + "/msg.XXXXXX)\"\n");
        Files.setPosixFilePermissions(mda, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    /** Runs fetchmail with a run control file for one poll; returns its exit code (0: mail fetched, 1: none). */
    private Programs.Run fetchmail(boolean implicitTls, boolean keep) throws Exception {
        int port = implicitTls ? server.pop3s().getPort() : server.pop3().getPort();
        Path rc = dir.resolve("fetchmailrc");
        Files.writeString(rc, """
                poll 127.0.0.1 with proto POP3 port %d
                  user "%s" there with password "%s"
                  %s
                  sslcertck sslcertfile "%s" sslcommonname "mail.example.test"
                  %s
                  mda "%s"
                """.formatted(port, USER, Pop3TestServer.PASSWORD, implicitTls ? "ssl" : "sslproto \"TLS1.2+\"",
                server.certificate(), keep ? "keep" : "nokeep", dir.resolve("deliver.sh")));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        return Programs.run(dir, "fetchmail", "--fetchmailrc", rc.toString(), "--idfile", dir.resolve("fetchids").toString(),
                "--pidfile", dir.resolve("fetchmail.pid").toString(), "--nosyslog", "--verbose");
    }

    @Test
    void keepOnServerOverStlsFetchesEachMessageOnce() throws Exception {
        Programs.Run first = fetchmail(false, true);
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("STLS");
        assertThat(Programs.filesIn(fetched)).hasSize(3).allMatch(m -> m.contains("\n.dot line\n"));

        Programs.Run second = fetchmail(false, true);
        assertThat(second.exitCode()).as(second.output()).isEqualTo(1); // "no mail"
        assertThat(Programs.filesIn(fetched)).hasSize(3);

        server.deliver(dave, Pop3TestServer.message("message 4", "Body 4\n"));
        Programs.Run third = fetchmail(false, true);
        assertThat(third.exitCode()).as(third.output()).isZero();
        assertThat(Programs.filesIn(fetched)).hasSize(4).anyMatch(m -> m.contains("Subject: message 4"));
    }

    @Test
    void withoutKeepOverImplicitTlsTheMessagesAreDeletedAtQuit() throws Exception {
        Programs.Run run = fetchmail(true, false);
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(Programs.filesIn(fetched)).hasSize(3);
        assertThat(Programs.filesIn(fetched)).anyMatch(m -> m.contains("Subject: message 2") && m.contains("Body 2\n"));

        Programs.Run again = fetchmail(true, false);
        assertThat(again.exitCode()).as(again.output()).isEqualTo(1);
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            client.login(USER);
            assertThat(client.command("STAT")).isEqualTo("+OK 0 0");
        }
    }
}
