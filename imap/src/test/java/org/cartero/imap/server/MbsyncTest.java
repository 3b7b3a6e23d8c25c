package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cartero.core.config.Service;
import org.cartero.core.directory.Account;
import org.cartero.core.mail.MailAddress;
import org.cartero.store.AccountStore;
import org.cartero.store.Folder;
import org.cartero.store.FolderStatus;
import org.cartero.store.delivery.LocalDelivery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * mbsync (isync), a client written by others, keeps a local Maildir and a Cartero account of a
 * thousand messages in step over IMAPS, both ways: the first run copies the server's messages
 * down and the local ones up, a second run changes nothing on either side; then flags and
 * deletions made on either side travel, and a last run again changes nothing.
 */
class MbsyncTest {

    private static final int SERVER_MESSAGES = 1000;
    private static final int LOCAL_MESSAGES = 25;

    @TempDir
    static Path directory;

    @RegisterExtension
    static final TestImapServer server = TestImapServer.plaintextOnLoopback();

    @Test
    void aThousandMessagesSyncBothWaysAndASecondRunChangesNothing() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mbsync")), "mbsync (isync) is needed");
        String user = server.newUser();
        Account account = server.directory.account(user).orElseThrow();
        LocalDelivery delivery = new LocalDelivery(server.store);
        for (int i = 0; i < SERVER_MESSAGES; i++) {
            String message = "From: server@example.test\r\nSubject: server " + i + "\r\nMessage-ID: <s" + i + "@example.test>\r\n\r\n"
                    + "body " + i + "\r\n";
            delivery.deliver(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)), account,
                    MailAddress.parse(user), "sender@example.org");
        }
        Path local = Files.createDirectories(directory.resolve("local"));
        Path inbox = local.resolve("INBOX");
        for (String sub : List.of("cur", "new", "tmp")) Files.createDirectories(inbox.resolve(sub));
        for (int i = 0; i < LOCAL_MESSAGES; i++) {
            Files.writeString(inbox.resolve("new").resolve("100000" + i + ".M1P1Q" + i + ".local"),
                    "From: local@example.test\nSubject: local " + i + "\nMessage-ID: <l" + i + "@example.test>\n\nlocal body\n");
        }
        Path config = writeConfig(user, local);

        mbsync(config);
        assertThat(localMessages(inbox)).hasSize(SERVER_MESSAGES + LOCAL_MESSAGES);
        assertThat(serverState(account).messages()).isEqualTo(SERVER_MESSAGES + LOCAL_MESSAGES);

        List<String> localBefore = localMessages(inbox);
        FolderStatus serverBefore = serverState(account);
        mbsync(config);
        assertThat(localMessages(inbox)).as("the local Maildir after a second run").isEqualTo(localBefore);
        assertThat(serverState(account)).as("the server's mailbox after a second run").isEqualTo(serverBefore);

        // flags and deletions on both sides travel
        try (TestClient client = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            client.ok("SELECT INBOX");
            client.ok("STORE 1:10 +FLAGS (\\Flagged)");
            client.ok("STORE 11:15 +FLAGS (\\Deleted)");
            client.ok("EXPUNGE");
        }
        Path unseen;
        try (Stream<Path> files = Stream.concat(Files.list(inbox.resolve("cur")), Files.list(inbox.resolve("new")))) {
            unseen = files.filter(p -> !p.getFileName().toString().matches(".*:2,.*S.*")).sorted().findFirst().orElseThrow();
        }
        String name = unseen.getFileName().toString();
        // as a mail reader marks a message read: into cur/ with the S flag
        Files.move(unseen, inbox.resolve("cur").resolve(name.contains(":2,") ? name + "S" : name + ":2,S"));
        mbsync(config);
        List<String> afterChanges = localMessages(inbox);
        assertThat(afterChanges).hasSize(SERVER_MESSAGES + LOCAL_MESSAGES - 5);
        assertThat(afterChanges.stream().filter(n -> n.matches(".*:2,.*F.*"))).hasSize(10);
        assertThat(serverState(account).messages()).isEqualTo(SERVER_MESSAGES + LOCAL_MESSAGES - 5);
        try (TestClient client = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
            client.ok("SELECT INBOX");
            assertThat(client.ok("SEARCH SEEN").getFirst()).matches("\\* SEARCH \\d+");
        }

        localBefore = localMessages(inbox);
        serverBefore = serverState(account);
        mbsync(config);
        assertThat(localMessages(inbox)).isEqualTo(localBefore);
        assertThat(serverState(account)).isEqualTo(serverBefore);
    }

    private Path writeConfig(String user, Path local) throws IOException {
        Path ca = server.certificatePem(directory.resolve("server.pem"));
        return Files.writeString(directory.resolve("mbsyncrc"), """
                IMAPAccount cartero
                Host 127.0.0.1
                Port %d
                User %s
                Pass %s
                SSLType IMAPS
                CertificateFile %s

                IMAPStore remote
                Account cartero

                MaildirStore local
                Path %s/
                Inbox %s/INBOX
                SubFolders Verbatim

                Channel sync
                Far :remote:
                Near :local:
                Patterns *
                Create Both
                Expunge Both
                SyncState *
                """.formatted(server.address(Service.IMAPS).getPort(), user, TestImapServer.PASSWORD, ca, local, local));
    }

    /** Runs mbsync on every channel; returns its output (the summary of what it changed). */
    private static String mbsync(Path config) throws Exception {
        Process process = new ProcessBuilder("mbsync", "-V", "-c", config.toString(), "-a").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    /** The names of the local messages (which carry their flags), sorted. */
    private static List<String> localMessages(Path maildir) throws IOException {
        List<String> names = new ArrayList<>();
        for (String sub : List.of("cur", "new")) {
            try (Stream<Path> files = Files.list(maildir.resolve(sub))) {
                files.forEach(p -> names.add(p.getFileName().toString()));
            }
        }
        names.sort(null);
        return names;
    }

    /** The server's INBOX: its message count, UIDNEXT and HIGHESTMODSEQ change with anything done to it. */
    private static FolderStatus serverState(Account account) throws IOException {
        try (AccountStore store = server.store.open(account); Folder inbox = store.open("INBOX")) {
            return inbox.status();
        }
    }
}
