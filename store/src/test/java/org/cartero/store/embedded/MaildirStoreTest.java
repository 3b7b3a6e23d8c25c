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
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.cartero.core.directory.VirtualAccount;
import org.cartero.core.mail.MailAddress;
import org.cartero.store.AccountStore;
import org.cartero.store.AppendResult;
import org.cartero.store.Appender;
import org.cartero.store.Changes;
import org.cartero.store.CopyResult;
import org.cartero.store.FlagOperation;
import org.cartero.store.FlagResult;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.FolderStatus;
import org.cartero.store.MessageContent;
import org.cartero.store.MessageGoneException;
import org.cartero.store.Snapshot;
import org.cartero.store.UidSet;
import org.cartero.store.delivery.LocalDelivery;
import org.cartero.store.mime.Part;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store over a real Maildir: what a virtual user's IMAP session and deliveries see. */
@SuppressWarnings("try") // watches and locks held for a block
class MaildirStoreTest {
    @TempDir Path tmp;
    StoreFixture fx;
    VirtualAccount alice;
    Path maildir;

    @BeforeEach
    void setUp() throws Exception {
        fx = new StoreFixture(tmp);
        alice = fx.alice();
        maildir = fx.maildir(alice);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void deliveryLandsInNewWithHeadersAndIsReadBackInWireForm() throws Exception {
        LocalDelivery.Delivered d = new LocalDelivery(fx.store).deliver(message("hello", "line 1\r\nline 2\r\n"), alice,
                MailAddress.parse("alice@example.test"), "sender@example.org");
        assertThat(d.uid()).isEqualTo(1);
        assertThat(files(maildir.resolve("new"))).singleElement()
                .satisfies(p -> assertThat(p.getFileName().toString()).contains(",U=1").doesNotContain(":2,"));
        assertThat(files(maildir.resolve("tmp"))).isEmpty();
        String stored = Files.readString(files(maildir.resolve("new")).get(0));
        assertThat(stored).startsWith("Return-Path: <sender@example.org>\nDelivered-To: alice@example.test\nFrom: sender@example.org\n")
                .doesNotContain("\r");

        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            FolderStatus status = inbox.status();
            assertThat(status.messages()).isEqualTo(1);
            assertThat(status.unseen()).isEqualTo(1);
            assertThat(status.uidNext()).isEqualTo(2);
            assertThat(status.uidValidity()).isEqualTo(d.uidValidity());
            MessageContent c = inbox.content(1);
            String wire = read(c);
            assertThat(wire).isEqualTo(stored.replace("\n", "\r\n"));
            assertThat(c.size()).isEqualTo(wire.length());
            assertThat(status.size()).isEqualTo(wire.length());
            assertThat(c.envelope().subject()).isEqualTo("hello");
            Part root = c.structure();
            try (InputStream body = c.open(root.bodyOffset(), root.bodySize())) {
                assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("line 1\r\nline 2\r\n");
            }
            try (InputStream partial = c.open(root.bodyOffset() + 2, 5)) {
                assertThat(new String(partial.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("ne 1\r");
            }
            // FETCH 1:* (ENVELOPE BODYSTRUCTURE) is served from the index in one pass
            java.util.List<org.cartero.store.MessageInfo> infos = new java.util.ArrayList<>();
            inbox.messages(UidSet.all(), java.util.EnumSet.allOf(Folder.Include.class), infos::add);
            assertThat(infos).singleElement().satisfies(m -> {
                assertThat(m.structure()).isEqualTo(root);
                assertThat(m.envelope()).isEqualTo(c.envelope());
            });
            inbox.messages(UidSet.all(), java.util.Set.of(), m -> assertThat(m.envelope()).isNull());
        }
        // Once a session has looked, the message has moved to cur/, still with its UID.
        assertThat(files(maildir.resolve("new"))).isEmpty();
        assertThat(files(maildir.resolve("cur"))).singleElement()
                .satisfies(p -> assertThat(p.getFileName().toString()).contains(",U=1:2,"));
    }

    @Test
    void aClientsAppendIsFiledInCurEvenWithoutFlagsWhileDeliveredMailWaitsInNew() throws Exception {
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            Appender.appendOne(inbox, message("appended", "x\r\n"), Flags.NONE, null);
            new LocalDelivery(fx.store).deliver(message("delivered", "y\r\n"), alice, alice.address(), "a@b");
            assertThat(files(maildir.resolve("cur"))).singleElement()
                    .satisfies(p -> assertThat(p.getFileName().toString()).endsWith(",U=1:2,"));
            assertThat(files(maildir.resolve("new"))).singleElement()
                    .satisfies(p -> assertThat(p.getFileName().toString()).endsWith(",U=2"));
            assertThat(all(inbox)).extracting(m -> m.envelope().subject()).containsExactly("appended", "delivered");
            assertThat(inbox.status().unseen()).isEqualTo(2);
        }
    }

    @Test
    void flagsLiveInFileNamesAndEveryChangeGetsAModseq() throws Exception {
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            AppendResult r = Appender.appendOne(inbox, message("a", "x\r\n"), Flags.of(Flags.SEEN, "$Forwarded"),
                    Instant.parse("2026-01-02T03:04:05Z"));
            Appender.appendOne(inbox, message("b", "y\r\n"), Flags.NONE, null);
            assertThat(r.uids()).isEqualTo(UidSet.of(1));
            assertThat(files(maildir.resolve("cur"))).anySatisfy(p -> assertThat(p.getFileName().toString()).endsWith(",U=1:2,Sa"));
            assertThat(all(inbox).get(0).internalDate()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
            Snapshot snap = inbox.snapshot();
            long seen = snap.status().highestModseq();

            FlagResult f = inbox.store(UidSet.of(1, 2), FlagOperation.ADD, Flags.of(Flags.FLAGGED | Flags.SEEN), -1);
            assertThat(f.updated()).extracting(FlagResult.Update::changed).containsExactly(true, true);
            assertThat(files(maildir.resolve("cur"))).anySatisfy(p -> assertThat(p.getFileName().toString()).endsWith(",U=1:2,FSa"));
            Changes changes = inbox.changesSince(seen);
            assertThat(changes.changed()).extracting(m -> m.uid()).containsExactly(1L, 2L);
            assertThat(changes.changed().get(0).flags().names()).containsExactly("\\Seen", "\\Flagged", "$Forwarded");
            assertThat(inbox.keywords()).containsExactly("$Forwarded");
            assertThat(inbox.status().unseen()).isZero();

            // UNCHANGEDSINCE: message 1 changed after "seen", so it is refused (RFC 7162 MODIFIED).
            FlagResult guarded = inbox.store(UidSet.of(1), FlagOperation.REMOVE, Flags.of(Flags.SEEN), seen);
            assertThat(guarded.failed()).isEqualTo(UidSet.of(1));
            assertThat(all(inbox).get(0).flags().has(Flags.SEEN)).isTrue();
            // Storing what is already there changes nothing and costs no MODSEQ.
            long before = inbox.status().highestModseq();
            assertThat(inbox.store(UidSet.of(2), FlagOperation.ADD, Flags.of(Flags.SEEN), -1).updated().get(0).changed()).isFalse();
            assertThat(inbox.status().highestModseq()).isEqualTo(before);
        }
    }

    @Test
    void expungeRemovesFilesAndLeavesTombstones() throws Exception {
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            for (int i = 0; i < 4; i++) Appender.appendOne(inbox, message("m" + i, "x\r\n"), Flags.NONE, null);
            long seen = inbox.status().highestModseq();
            inbox.store(UidSet.of(2, 3), FlagOperation.ADD, Flags.of(Flags.DELETED), -1);
            assertThat(inbox.expunge(UidSet.of(3, 4))).isEqualTo(UidSet.of(3)); // UIDPLUS UID EXPUNGE: only \Deleted ones
            assertThat(inbox.expunge(null)).isEqualTo(UidSet.of(2));
            assertThat(inbox.snapshot().uids().toSet()).isEqualTo(UidSet.of(1, 4));
            Changes c = inbox.changesSince(seen);
            assertThat(c.expunged()).isEqualTo(UidSet.of(2, 3));
            assertThat(c.expungedComplete()).isTrue();
            assertThat(files(maildir.resolve("cur")).size() + files(maildir.resolve("new")).size()).isEqualTo(2);
            assertThatThrownBy(() -> inbox.content(2)).isInstanceOf(MessageGoneException.class);
            assertThat(Files.readString(maildir.resolve("cartero-uidvalidity")).trim()).endsWith(" 5");
            // new messages never reuse expunged UIDs
            assertThat(Appender.appendOne(inbox, message("m5", "x\r\n"), Flags.NONE, null).uids()).isEqualTo(UidSet.of(5));
        }
    }

    @Test
    void copyAndMoveReportUidMappingsAndKeepFlags() throws Exception {
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            account.create("Archive/2026");
            for (int i = 0; i < 3; i++) Appender.appendOne(inbox, message("m" + i, "x\r\n"), Flags.of(Flags.SEEN, "Work"), null);
            CopyResult copied = inbox.copy(UidSet.of(1, 3), "Archive/2026");
            assertThat(copied.sourceUids()).isEqualTo(UidSet.of(1, 3));
            assertThat(copied.targetUids()).isEqualTo(UidSet.of(1, 2));
            CopyResult moved = inbox.move(UidSet.of(2, 3), "archive/2026".replace("archive", "Archive"));
            assertThat(moved.targetUids()).isEqualTo(UidSet.of(3, 4));
            assertThat(inbox.snapshot().uids().toSet()).isEqualTo(UidSet.of(1));
            try (Folder archive = account.open("Archive/2026")) {
                assertThat(all(archive)).extracting(m -> m.envelope().subject()).containsExactly("m0", "m2", "m1", "m2");
                assertThat(all(archive)).allSatisfy(m -> assertThat(m.flags()).isEqualTo(Flags.of(Flags.SEEN, "Work")));
                assertThat(read(archive.content(3))).contains("Subject: m1");
                assertThat(copied.targetUidValidity()).isEqualTo(archive.status().uidValidity());
            }
            assertThat(account.quota().messages()).isEqualTo(5);
        }
    }

    @Test
    void foldersCreateListRenameDeleteAndSubscribe() throws Exception {
        try (AccountStore account = fx.store.open(alice)) {
            account.create("Work/Projects/Cartero");
            assertThat(Files.isDirectory(maildir.resolve(".Work.Projects.Cartero/cur"))).isTrue();
            assertThat(Files.exists(maildir.resolve(".Work.Projects.Cartero/maildirfolder"))).isTrue();
            assertThat(account.list()).extracting(f -> f.name())
                    .containsExactly("INBOX", "Work", "Work/Projects", "Work/Projects/Cartero");
            assertThatThrownBy(() -> account.create("work/../..")).isInstanceOf(org.cartero.store.InvalidFolderNameException.class);
            assertThatThrownBy(() -> account.create("Work")).isInstanceOf(org.cartero.store.FolderExistsException.class);

            account.subscribe("Work/Projects");
            account.rename("Work", "Jobs");
            assertThat(account.list()).extracting(f -> f.name()).containsExactly("INBOX", "Jobs", "Jobs/Projects", "Jobs/Projects/Cartero");
            assertThat(account.subscriptions()).containsExactly("Jobs/Projects");

            account.delete("Jobs/Projects");
            var list = account.list();
            assertThat(list).extracting(f -> f.name()).containsExactly("INBOX", "Jobs", "Jobs/Projects", "Jobs/Projects/Cartero");
            assertThat(list.get(2).selectable()).isFalse();
            assertThat(list.get(2).hasChildren()).isTrue();
            assertThat(Files.exists(maildir.resolve(".Jobs.Projects"))).isFalse();
            assertThatThrownBy(() -> account.delete("INBOX")).isInstanceOf(org.cartero.store.InvalidFolderNameException.class);
            assertThatThrownBy(() -> account.open("Nope")).isInstanceOf(org.cartero.store.FolderNotFoundException.class);
        }
    }

    @Test
    void foldersMadeOrRemovedByAnotherProgramAreSeen() throws Exception {
        for (String sub : new String[] {"cur", "new", "tmp"}) Files.createDirectories(maildir.resolve(".From mutt/" + sub));
        try (AccountStore account = fx.store.open(alice)) {
            assertThat(account.list()).extracting(f -> f.name()).containsExactly("INBOX", "From mutt");
            try (Folder f = account.open("From mutt")) {
                assertThat(f.status().uidValidity()).isPositive();
            }
            try (Stream<Path> s = Files.walk(maildir.resolve(".From mutt"))) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
            assertThat(account.list()).extracting(f -> f.name()).containsExactly("INBOX");
            assertThatThrownBy(() -> account.open("From mutt")).isInstanceOf(org.cartero.store.FolderNotFoundException.class);
        }
    }

    @Test
    void specialUseFoldersAreCreatedOnFirstUseAndFlagged() throws Exception {
        try (AccountStore account = fx.store.open(alice)) {
            account.create("Trash");
            assertThat(account.specialUse(org.cartero.store.SpecialUse.TRASH)).isEqualTo("Trash");
            assertThat(account.specialUse(org.cartero.store.SpecialUse.SENT)).isEqualTo("Sent");
            assertThat(Files.isDirectory(maildir.resolve(".Sent/cur"))).isTrue();
            account.create("Outbox/Sent mail", org.cartero.store.SpecialUse.SENT);
            assertThat(account.specialUse(org.cartero.store.SpecialUse.SENT)).isEqualTo("Outbox/Sent mail");
            assertThat(account.list()).filteredOn(f -> f.specialUse() != null)
                    .extracting(f -> f.name() + "=" + f.specialUse().attribute())
                    .containsExactlyInAnyOrder("Trash=\\Trash", "Outbox/Sent mail=\\Sent");
        }
    }

    @Test
    void overQuotaIsRefusedAndLeavesNothingBehind() throws Exception {
        VirtualAccount small = StoreFixture.virtual("small@example.test", 300);
        LocalDelivery delivery = new LocalDelivery(fx.store);
        delivery.deliver(message("fits", "x".repeat(50)), small, small.address(), "a@b");
        assertThatThrownBy(() -> delivery.deliver(message("too big", "x".repeat(300)), small, small.address(), "a@b"))
                .isInstanceOfSatisfying(org.cartero.store.delivery.DeliveryException.class, e -> {
                    assertThat(e.temporary()).isTrue();
                    assertThat(e.enhancedStatus()).isEqualTo("4.2.2");
                });
        Path dir = fx.maildir(small);
        assertThat(files(dir.resolve("tmp"))).isEmpty();
        assertThat(files(dir.resolve("new")).size() + files(dir.resolve("cur")).size()).isEqualTo(1);
        try (AccountStore account = fx.store.open(small)) {
            assertThat(account.quota().storageLimitBytes()).isEqualTo(300);
            assertThat(account.quota().messages()).isEqualTo(1);
            try (Folder inbox = account.open("INBOX")) {
                assertThatThrownBy(() -> Appender.appendOne(inbox, message("big", "y".repeat(400)), Flags.NONE, null))
                        .isInstanceOf(org.cartero.store.OverQuotaException.class);
            }
        }
    }

    @Test
    void multiappendIsAllOrNothing() throws Exception {
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            try (Appender a = inbox.append()) {
                a.add(message("one", "1"), Flags.NONE, null);
                a.add(message("two", "2"), Flags.NONE, null);
                assertThat(inbox.status().messages()).isZero();
                assertThat(files(maildir.resolve("tmp"))).hasSize(2);
            } // closed without commit
            assertThat(files(maildir.resolve("tmp"))).isEmpty();
            try (Appender a = inbox.append()) {
                a.add(message("one", "1"), Flags.NONE, null);
                a.add(message("two", "2"), Flags.NONE, null);
                assertThat(a.commit().uids()).isEqualTo(UidSet.range(1, 2));
            }
            assertThat(inbox.status().messages()).isEqualTo(2);
        }
    }

    @Test
    void mailDroppedIntoNewByAnotherProgramAppearsAndWakesWatchers() throws Exception {
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            Appender.appendOne(inbox, message("first", "x"), Flags.NONE, null);
            Snapshot snap = inbox.snapshot();
            Semaphore woken = new Semaphore(0);
            try (Folder.Watch w = inbox.watch(woken::release)) {
                // another program delivers the Maildir way: tmp, then rename into new/
                Path t = maildir.resolve("tmp/1700000000.P99.otherhost");
                Files.writeString(t, "From: x@y\nSubject: dropped\n\nhi\n");
                Files.move(t, maildir.resolve("new/1700000000.P99.otherhost"));
                assertThat(woken.tryAcquire(5, TimeUnit.SECONDS)).as("watcher woken").isTrue();
            }
            Changes c = inbox.changesSince(snap.status().highestModseq());
            assertThat(c.changed()).singleElement().satisfies(m -> assertThat(m.uid()).isEqualTo(2));
            assertThat(read(inbox.content(2))).contains("Subject: dropped");
            assertThat(files(maildir.resolve("cur"))).anySatisfy(p ->
                    assertThat(p.getFileName().toString()).startsWith("1700000000.P99.otherhost,U=2:2,"));
        }
    }

    @Test
    void flagsChangedByAnotherProgramAreSeen() throws Exception {
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            Appender.appendOne(inbox, message("m", "x"), Flags.of(Flags.FLAGGED), null);
            long seen = inbox.status().highestModseq();
            Path file = files(maildir.resolve("cur")).get(0);
            Thread.sleep(20); // a new tick of the directory's clock
            Files.move(file, file.resolveSibling(file.getFileName().toString().replace(":2,F", ":2,FRS")));
            Changes c = inbox.changesSince(seen);
            assertThat(c.changed()).singleElement().satisfies(m ->
                    assertThat(m.flags()).isEqualTo(Flags.of(Flags.FLAGGED | Flags.ANSWERED | Flags.SEEN)));
            // and a message removed by another program is expunged
            Path renamed = files(maildir.resolve("cur")).get(0);
            Files.delete(renamed);
            c = inbox.changesSince(c.highestModseq());
            assertThat(c.expunged()).isEqualTo(UidSet.of(1));
        }
    }

    @Test
    void aChangeInTheSameClockTickAsTheLastReadingIsSeenASecondLater() throws Exception {
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            Appender.appendOne(inbox, message("m", "x"), Flags.of(Flags.FLAGGED), null);
            long seen = inbox.status().highestModseq();
            Path cur = maildir.resolve("cur");
            Path file = files(cur).get(0);
            Thread.sleep(20);
            Path answered = Files.move(file, file.resolveSibling(file.getFileName().toString().replace(":2,F", ":2,FR")));
            FileTime tick = Files.getLastModifiedTime(cur);
            Changes c = inbox.changesSince(seen); // read at once: the directory's time is too recent to trust
            assertThat(c.changed()).singleElement().satisfies(m -> assertThat(m.flags()).isEqualTo(Flags.of(Flags.FLAGGED | Flags.ANSWERED)));
            // another program changes the folder within the same tick: the directory's time does not move
            Files.move(answered, answered.resolveSibling(answered.getFileName().toString().replace(":2,FR", ":2,FRS")));
            Files.setLastModifiedTime(cur, tick);
            Thread.sleep(1100);
            c = inbox.changesSince(c.highestModseq());
            assertThat(c.changed()).singleElement().satisfies(m ->
                    assertThat(m.flags()).isEqualTo(Flags.of(Flags.FLAGGED | Flags.ANSWERED | Flags.SEEN)));
        }
    }

    @Test
    void lostIndexIsRebuiltKeepingUidValidityUidsFlagsAndKeywords() throws Exception {
        long validity;
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            account.create("Lists");
            for (int i = 0; i < 5; i++) Appender.appendOne(inbox, message("m" + i, "x"), Flags.NONE, null);
            inbox.store(UidSet.of(2), FlagOperation.ADD, Flags.of(Flags.SEEN, "$Label1"), -1);
            inbox.store(UidSet.of(5), FlagOperation.ADD, Flags.of(Flags.DELETED), -1);
            inbox.expunge(null); // UID 5 gone: UIDNEXT must stay 6 after the rebuild
            validity = inbox.status().uidValidity();
        }
        fx.store.close();
        for (String f : new String[] {"cartero-index.sqlite", "cartero-index.sqlite-wal", "cartero-index.sqlite-shm"}) {
            Files.deleteIfExists(maildir.resolve(f));
        }
        try (EmbeddedMailStore again = new EmbeddedMailStore(StoreFixture.settings(tmp, java.time.Duration.ofSeconds(5)));
             AccountStore account = again.open(alice); Folder inbox = account.open("INBOX")) {
            FolderStatus s = inbox.status();
            assertThat(s.uidValidity()).isEqualTo(validity);
            assertThat(s.uidNext()).isEqualTo(6);
            assertThat(inbox.snapshot().uids().toSet()).isEqualTo(UidSet.range(1, 4));
            assertThat(all(inbox).get(1).flags()).isEqualTo(Flags.of(Flags.SEEN, "$Label1"));
            assertThat(all(inbox).get(3).envelope().subject()).isEqualTo("m3");
            assertThat(account.list()).extracting(f -> f.name()).contains("Lists");
            // a client that remembers an old MODSEQ learns that its expunge knowledge is incomplete
            assertThat(inbox.changesSince(3).expungedComplete()).isFalse();
        }
    }

    @Test
    void damagedIndexIsMovedAsideAndRebuilt() throws Exception {
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            Appender.appendOne(inbox, message("kept", "x"), Flags.NONE, null);
        }
        fx.store.close();
        Files.deleteIfExists(maildir.resolve("cartero-index.sqlite-wal"));
        Files.deleteIfExists(maildir.resolve("cartero-index.sqlite-shm"));
        Files.writeString(maildir.resolve("cartero-index.sqlite"), "this is not a database at all".repeat(200));
        try (EmbeddedMailStore again = new EmbeddedMailStore(StoreFixture.settings(tmp, java.time.Duration.ofSeconds(5)));
             AccountStore account = again.open(alice); Folder inbox = account.open("INBOX")) {
            assertThat(all(inbox)).singleElement().satisfies(m -> {
                assertThat(m.uid()).isEqualTo(1);
                assertThat(m.envelope().subject()).isEqualTo("kept");
            });
        }
        try (Stream<Path> s = Files.list(maildir)) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("cartero-index.sqlite.damaged-"));
        }
    }

    @Test
    void aVirtualUsersMaildirRemovedFromOutsideIsMadeAgainForTheNextDelivery() throws Exception {
        LocalDelivery delivery = new LocalDelivery(fx.store);
        delivery.deliver(message("one", "x"), alice, alice.address(), "a@b");
        long before;
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            before = inbox.status().uidValidity();
        }
        for (String sub : new String[] {"new", "cur", "tmp"}) {
            try (Stream<Path> s = Files.list(maildir.resolve(sub))) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(maildir.resolve(sub));
        }
        Thread.sleep(1100); // UIDVALIDITY counts seconds
        delivery.deliver(message("two", "x"), alice, alice.address(), "a@b");
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            assertThat(inbox.status().uidValidity()).isNotEqualTo(before);
            assertThat(all(inbox)).extracting(m -> m.envelope().subject()).containsExactly("two");
        }
    }

    @Test
    void pythonMailboxReadsWhatCarteroWrote() throws Exception {
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            Appender.appendOne(inbox, message("for python", "From the start\r\nbody\r\n"), Flags.of(Flags.SEEN | Flags.FLAGGED), null);
            new LocalDelivery(fx.store).deliver(message("unread", "x\r\n"), alice, alice.address(), "a@b");
            account.create("Sub.folder");
        }
        String script = """
                import mailbox, sys
                md = mailbox.Maildir(sys.argv[1], factory=None, create=False)
                for key in sorted(md.keys(), key=lambda k: md[k]['Subject']):
                    m = md[key]
                    print(m['Subject'], '|', m.get_subdir(), '|', ''.join(sorted(m.get_flags())), '|', m.get_payload().splitlines()[0])
                print('folders:', md.list_folders())
                """;
        Path py = tmp.resolve("read.py");
        Files.writeString(py, script);
        String out = StoreFixture.run(tmp, "python3", py.toString(), maildir.toString());
        assertThat(out).contains("for python | cur | FS | From the start")
                .contains("unread | new |  | x")
                .contains("folders: ['Sub\\\\2efolder']");
    }
}
