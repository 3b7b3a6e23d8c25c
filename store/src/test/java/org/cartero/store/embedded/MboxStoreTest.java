package org.cartero.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cartero.store.embedded.StoreFixture.all;
import static org.cartero.store.embedded.StoreFixture.message;
import static org.cartero.store.embedded.StoreFixture.read;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.cartero.core.directory.LocalAccount;
import org.cartero.store.AccountStore;
import org.cartero.store.Changes;
import org.cartero.store.FlagOperation;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.MailboxLockedException;
import org.cartero.store.MaildropLock;
import org.cartero.store.MessageContent;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;
import org.cartero.store.delivery.DeliveryException;
import org.cartero.store.delivery.LocalDelivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local user's INBOX as the spool mbox, shared with s-nail and Python's mailbox module. */
@SuppressWarnings("try") // watches and locks held for a block
class MboxStoreTest {
    @TempDir Path tmp;
    StoreFixture fx;
    LocalAccount bob;
    Path spool;
    LocalDelivery delivery;

    @BeforeEach
    void setUp() throws Exception {
        fx = new StoreFixture(tmp, Duration.ofMillis(500));
        bob = fx.bob();
        spool = fx.spoolDir.resolve("bob");
        delivery = new LocalDelivery(fx.store);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private void deliver(String subject, String body) throws Exception {
        delivery.deliver(message(subject, body), bob, bob.address(), "sender@example.org");
    }

    @Test
    void deliveryCreatesTheSpoolFileInMboxrdForm() throws Exception {
        deliver("first", "From the start\r\n>From quoted\r\nend\r\n");
        deliver("second", "no final newline");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool))).isEqualTo("rw-------");
        assertThat(Files.getAttribute(spool, "unix:uid")).isEqualTo(bob.uid());
        String text = Files.readString(spool);
        assertThat(text).startsWith("From sender@example.org ")
                .contains("\nReturn-Path: <sender@example.org>\nDelivered-To: bob@localhost\n")
                .contains("\n>From the start\n>>From quoted\nend\n\nFrom sender@example.org ")
                .endsWith("no final newline\n\n")
                .doesNotContain("\r");
        assertThat(Files.exists(fx.spoolDir.resolve("bob.lock"))).isFalse();

        try (AccountStore account = fx.store.open(bob); Folder inbox = account.open("INBOX")) {
            List<MessageInfo> msgs = all(inbox);
            assertThat(msgs).extracting(MessageInfo::uid).containsExactly(1L, 2L);
            MessageContent c = inbox.content(1);
            String wire = read(c);
            assertThat(wire).contains("\r\nFrom the start\r\n>From quoted\r\nend\r\n").doesNotContain("\n\n");
            assertThat(c.size()).isEqualTo(wire.length());
            try (InputStream body = c.open(c.structure().bodyOffset(), 100)) {
                assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("From the start\r\n>From quoted\r\nend\r\n");
            }
            assertThat(read(inbox.content(2))).endsWith("no final newline\r\n");
        }
    }

    @Test
    void spoolInASetgidMailDirectoryIsGroupReadable() throws Exception {
        StoreFixture.run(tmp, "chmod", "2775", fx.spoolDir.toString()); // Debian's /var/mail: setgid
        assertThat((Integer) Files.getAttribute(fx.spoolDir, "unix:mode") & 02000).isNotZero();
        deliver("x", "y");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool))).isEqualTo("rw-rw----");
        assertThat(Files.getAttribute(spool, "unix:gid")).isEqualTo(Files.getAttribute(fx.spoolDir, "unix:gid"));
    }

    @Test
    void pythonAndSnailReadTheSpool() throws Exception {
        deliver("for readers", "From a line\r\nbody\r\n");
        deliver("second", "two\r\n");
        Path py = tmp.resolve("read.py");
        Files.writeString(py, """
                import mailbox, sys
                for m in mailbox.mbox(sys.argv[1], create=False):
                    print(m['Subject'], '|', m.get_from().split()[0], '|', m.get_payload().splitlines())
                """);
        assertThat(StoreFixture.run(tmp, "python3", py.toString(), spool.toString()))
                .contains("for readers | sender@example.org | ['>From a line', 'body']")
                .contains("second | sender@example.org | ['two']");
        String snail = runSnail("headers\np 2\nq\n");
        assertThat(snail).contains("for readers").contains("second").contains("two");
    }

    private String runSnail(String commands) throws Exception {
        Path cmd = tmp.resolve("cmds");
        Files.writeString(cmd, commands);
        return StoreFixture.run(tmp, "sh", "-c", "s-nail -# -f " + spool + " < " + cmd);
    }

    @Test
    void messageDeletedByAnotherReaderIsNoticedAndTheOthersKeepTheirUids() throws Exception {
        for (int i = 1; i <= 4; i++) deliver("m" + i, "body " + i + "\r\n");
        long uidValidity;
        long seen;
        try (AccountStore account = fx.store.open(bob); Folder inbox = account.open("INBOX")) {
            inbox.store(UidSet.of(3), FlagOperation.ADD, Flags.of(Flags.FLAGGED, "Work"), -1);
            uidValidity = inbox.status().uidValidity();
            seen = inbox.status().highestModseq();
            Semaphore woken = new Semaphore(0);
            try (Folder.Watch w = inbox.watch(woken::release)) {
                runSnail("d 2\nq\n"); // s-nail deletes message 2 under its own locks and rewrites the file
                assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("watcher woken by the rewrite").isTrue();
            }
            Changes c = inbox.changesSince(seen);
            assertThat(c.expunged()).isEqualTo(UidSet.of(2));
            assertThat(inbox.status().uidValidity()).isEqualTo(uidValidity);
            List<MessageInfo> msgs = all(inbox);
            assertThat(msgs).extracting(m -> m.uid() + ":" + m.envelope().subject()).containsExactly("1:m1", "3:m3", "4:m4");
            assertThat(msgs.get(1).flags()).isEqualTo(Flags.of(Flags.FLAGGED, "Work"));
            assertThat(read(inbox.content(4))).contains("body 4");
        }
        // a message appended by another program (procmail's way: plain append) gets the next UID
        Files.writeString(spool, "From other@example.net Thu Nov 26 14:01:29 2026\nSubject: appended\n\nhi\n\n",
                java.nio.file.StandardOpenOption.APPEND);
        try (AccountStore account = fx.store.open(bob); Folder inbox = account.open("INBOX")) {
            assertThat(all(inbox)).extracting(m -> m.uid() + ":" + m.envelope().subject())
                    .containsExactly("1:m1", "3:m3", "4:m4", "5:appended");
        }
    }

    @Test
    void readStatusWrittenByAnotherReaderBecomesSeen() throws Exception {
        deliver("m1", "x\r\n");
        try (AccountStore account = fx.store.open(bob); Folder inbox = account.open("INBOX")) {
            assertThat(inbox.status().unseen()).isEqualTo(1);
            String text = Files.readString(spool).replaceFirst("\nSubject: m1\n", "\nSubject: m1\nStatus: RO\n");
            Files.writeString(spool, text);
            assertThat(inbox.status().unseen()).isZero();
            assertThat(all(inbox)).singleElement().satisfies(m -> {
                assertThat(m.uid()).isEqualTo(1);
                assertThat(m.flags().has(Flags.SEEN)).isTrue();
            });
        }
    }

    @Test
    void expungeRewritesTheSpoolInPlace() throws Exception {
        for (int i = 1; i <= 4; i++) deliver("m" + i, "body " + i + "\r\n");
        Object inode = Files.getAttribute(spool, "unix:ino");
        try (AccountStore account = fx.store.open(bob); Folder inbox = account.open("INBOX")) {
            inbox.store(UidSet.of(1, 3), FlagOperation.ADD, Flags.of(Flags.DELETED), -1);
            assertThat(inbox.expunge(null)).isEqualTo(UidSet.of(1, 3));
            assertThat(all(inbox)).extracting(m -> m.uid() + ":" + m.envelope().subject()).containsExactly("2:m2", "4:m4");
            assertThat(read(inbox.content(4))).contains("body 4");
        }
        assertThat(Files.getAttribute(spool, "unix:ino")).isEqualTo(inode);
        String text = Files.readString(spool);
        assertThat(text).doesNotContain("Subject: m1").doesNotContain("Subject: m3").contains("Subject: m2").contains("Subject: m4");
        assertThat(runSnail("headers\nq\n")).contains("m2").contains("m4");
        assertThat(Files.list(fx.dataDir.resolve("index/local/bob")).map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.endsWith(".journal"));
    }

    @Test
    void maildropLockKeepsOutOtherSessionsAndDeliveries() throws Exception {
        deliver("before", "x");
        try (AccountStore account = fx.store.open(bob); MaildropLock lock = account.lockMaildrop()) {
            assertThat(Files.exists(fx.spoolDir.resolve("bob.lock"))).isTrue();
            java.util.concurrent.CompletableFuture<Void> other = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (AccountStore second = fx.store.open(bob)) {
                    assertThatThrownBy(second::lockMaildrop).isInstanceOf(MailboxLockedException.class);
                    assertThatThrownBy(() -> deliver("during", "x")).isInstanceOfSatisfying(DeliveryException.class,
                            e -> assertThat(e.temporary()).isTrue());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            other.get(30, TimeUnit.SECONDS);
            // the session holding the lock reads and expunges under it
            try (Folder inbox = account.open("INBOX")) {
                assertThat(all(inbox)).hasSize(1);
                inbox.store(UidSet.of(1), FlagOperation.ADD, Flags.of(Flags.DELETED), -1);
                assertThat(inbox.expunge(null)).isEqualTo(UidSet.of(1));
            }
        }
        assertThat(Files.exists(fx.spoolDir.resolve("bob.lock"))).isFalse();
        deliver("after", "x");
        try (AccountStore account = fx.store.open(bob); Folder inbox = account.open("INBOX")) {
            assertThat(all(inbox)).extracting(m -> m.envelope().subject()).containsExactly("after");
        }
    }

    @Test
    void deliveryWaitsForAnotherProgramsDotlockAndRemovesAStaleOne() throws Exception {
        Path lock = fx.spoolDir.resolve("bob.lock");
        Files.writeString(lock, ProcessHandle.current().parent().orElseThrow().pid() + "\n"); // a live process holds it
        assertThatThrownBy(() -> deliver("blocked", "x")).isInstanceOf(DeliveryException.class);
        Files.writeString(lock, "999999999\n"); // no such process: a stale lock
        deliver("through", "x");
        assertThat(Files.exists(lock)).isFalse();
        assertThat(Files.readString(spool)).contains("Subject: through");
    }

    @Test
    void otherFoldersOfALocalUserLiveInTheirMaildir() throws Exception {
        deliver("to file", "x");
        try (AccountStore account = fx.store.open(bob); Folder inbox = account.open("INBOX")) {
            account.create("Saved");
            inbox.copy(UidSet.of(1), "Saved");
            inbox.move(UidSet.of(1), account.specialUse(org.cartero.store.SpecialUse.TRASH));
            assertThat(inbox.status().messages()).isZero();
            try (Folder saved = account.open("Saved"); Folder trash = account.open("Trash")) {
                assertThat(read(saved.content(1))).contains("Subject: to file");
                assertThat(read(trash.content(1))).contains("Subject: to file");
            }
        }
        Path maildir = fx.home.resolve("Maildir");
        assertThat(Files.isDirectory(maildir.resolve(".Saved/cur"))).isTrue();
        assertThat(Files.getAttribute(maildir.resolve(".Saved/cur"), "unix:uid")).isEqualTo(bob.uid());
        assertThat(Files.readString(spool)).doesNotContain("Subject: to file");
        // the server's index is kept out of the user's home
        assertThat(Files.exists(fx.dataDir.resolve("index/local/bob/index.sqlite"))).isTrue();
    }

    @Test
    void lostIndexGivesInboxANewUidValidity() throws Exception {
        deliver("m1", "x");
        long before;
        try (AccountStore account = fx.store.open(bob); Folder inbox = account.open("INBOX")) {
            before = inbox.status().uidValidity();
        }
        fx.store.close();
        try (var files = Files.list(fx.dataDir.resolve("index/local/bob"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith("index.sqlite")).toList()) Files.delete(p);
        }
        Thread.sleep(1100); // UIDVALIDITY counts seconds
        try (EmbeddedMailStore again = new EmbeddedMailStore(StoreFixture.settings(tmp, Duration.ofSeconds(5)));
             AccountStore account = again.open(bob); Folder inbox = account.open("INBOX")) {
            assertThat(inbox.status().uidValidity()).isNotEqualTo(before);
            assertThat(all(inbox)).extracting(m -> m.envelope().subject()).containsExactly("m1");
        }
    }
}
