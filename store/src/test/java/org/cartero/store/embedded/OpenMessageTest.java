package org.cartero.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.cartero.store.embedded.StoreFixture.message;
import static org.cartero.store.embedded.StoreFixture.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.LocalAccount;
import org.cartero.core.directory.VirtualAccount;
import org.cartero.store.AccountStore;
import org.cartero.store.FlagOperation;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.MaildropLock;
import org.cartero.store.MessageGoneException;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;
import org.cartero.store.delivery.LocalDelivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Folder#openMessage}: a whole message in wire form, by UID or by the location a listing
 * gave, from a Maildir and from the spool mbox, and what happens when the location went stale.
 */
@SuppressWarnings("try") // locks held for a block
class OpenMessageTest {
    @TempDir Path tmp;
    StoreFixture fx;
    VirtualAccount alice;
    LocalAccount bob;
    LocalDelivery delivery;

    @BeforeEach
    void setUp() throws Exception {
        fx = new StoreFixture(tmp, Duration.ofSeconds(5));
        alice = fx.alice();
        bob = fx.bob();
        delivery = new LocalDelivery(fx.store);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private void deliver(Account to, String subject, String body) throws IOException {
        delivery.deliver(message(subject, body), to, to.address(), "sender@example.org");
    }

    private static List<MessageInfo> located(Folder folder) throws IOException {
        List<MessageInfo> out = new ArrayList<>();
        folder.messages(UidSet.all(), Set.of(Folder.Include.LOCATION), out::add);
        return out;
    }

    private static InputStream byLocation(Folder folder, MessageInfo listed) throws IOException {
        return folder.openMessage(listed.uid(), listed.location());
    }

    private static String text(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Reads one octet at a time: the conversion to CRLF must not depend on how the reader asks. */
    private static String textByOctets(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (in) {
            for (int c; (c = in.read()) >= 0; ) sb.append((char) c);
        }
        return sb.toString();
    }

    @Test
    void aMaildirMessageIsReadWholeInWireFormByUidAndByLocation() throws Exception {
        deliver(alice, "one", "line 1\r\n.dot line\r\nlast line without end");
        deliver(alice, "two", "second\r\n");
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            List<MessageInfo> listed = located(inbox);
            assertThat(listed).hasSize(2).allSatisfy(m -> assertThat(m.location()).isNotNull());
            MessageInfo one = listed.get(0);
            String expected = read(inbox.content(1));
            assertThat(expected).contains("Subject: one\r\n", "\r\nline 1\r\n.dot line\r\nlast line without end").doesNotContain("\n\n");
            assertThat(text(inbox.openMessage(1))).isEqualTo(expected);
            assertThat(text(byLocation(inbox, one))).isEqualTo(expected).hasSize((int) one.size());
            assertThat(textByOctets(byLocation(inbox, one))).isEqualTo(expected);
            assertThat(text(byLocation(inbox, listed.get(1)))).contains("Subject: two\r\n").endsWith("\r\nsecond\r\n");
        }
    }

    @Test
    void aLocationMadeStaleByAFlagChangeElsewhereIsLookedUpAgain() throws Exception {
        deliver(alice, "renamed", "body\r\n");
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            MessageInfo listed = located(inbox).get(0);
            try (AccountStore other = fx.store.open(alice); Folder same = other.open("INBOX")) {
                // \Flagged goes into the file name: the file the listing named is gone.
                same.store(UidSet.of(1), FlagOperation.ADD, Flags.of(Flags.FLAGGED), -1);
            }
            assertThat(Files.list(fx.maildir(alice).resolve("cur")).map(p -> p.getFileName().toString())).singleElement()
                    .satisfies(name -> assertThat(name).endsWith(":2,F"));
            assertThat(text(byLocation(inbox, listed))).contains("Subject: renamed\r\n").endsWith("\r\nbody\r\n");
        }
    }

    @Test
    void anExpungedMessageIsGoneByUidAndByLocation() throws Exception {
        deliver(alice, "doomed", "x\r\n");
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            MessageInfo listed = located(inbox).get(0);
            inbox.store(UidSet.of(1), FlagOperation.ADD, Flags.of(Flags.DELETED), -1);
            inbox.expunge(null);
            assertThatThrownBy(() -> inbox.openMessage(1)).isInstanceOf(MessageGoneException.class);
            assertThatThrownBy(() -> byLocation(inbox, listed)).isInstanceOf(MessageGoneException.class);
            assertThatThrownBy(() -> inbox.openMessage(7)).isInstanceOf(MessageGoneException.class);
        }
    }

    @Test
    void aLocationFromAnotherFolderIsNotUsed() throws Exception {
        deliver(alice, "first", "a\r\n");
        deliver(alice, "second", "b\r\n");
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            account.create("Saved");
            inbox.copy(UidSet.of(2), "Saved"); // UID 1 in Saved
            MessageInfo firstInInbox = located(inbox).get(0);
            try (Folder saved = account.open("Saved")) {
                // UID 1 of Saved is "second", whatever file INBOX's listing named for its UID 1.
                assertThat(text(byLocation(saved, firstInInbox))).contains("Subject: second").doesNotContain("Subject: first");
            }
        }
    }

    @Test
    void aListingWithoutLocationsStillOpens() throws Exception {
        deliver(alice, "plain", "x\r\n");
        try (AccountStore account = fx.store.open(alice); Folder inbox = account.open("INBOX")) {
            List<MessageInfo> listed = new ArrayList<>();
            inbox.messages(UidSet.all(), Set.of(), listed::add);
            assertThat(listed.get(0).location()).isNull();
            assertThat(text(byLocation(inbox, listed.get(0)))).contains("Subject: plain\r\n");
        }
    }

    @Test
    void aSpoolMessageIsUnquotedAndConvertedAndFollowedWhenAnotherProgramRewritesTheFile() throws Exception {
        deliver(bob, "first", "From here\r\n>From quoted\r\n");
        deliver(bob, "second", "From the second\r\nend\r\n");
        try (AccountStore account = fx.store.open(bob); Folder inbox = account.open("INBOX")) {
            List<MessageInfo> listed = located(inbox);
            String second = read(inbox.content(2));
            assertThat(text(byLocation(inbox, listed.get(0)))).contains("\r\nFrom here\r\n>From quoted\r\n");
            assertThat(text(byLocation(inbox, listed.get(1)))).isEqualTo(second).hasSize((int) listed.get(1).size());
            assertThat(textByOctets(inbox.openMessage(2))).isEqualTo(second);
            // Another program removes the first message: the second one moves up in the file.
            Path spool = fx.spoolDir.resolve("bob");
            String mbox = Files.readString(spool, StandardCharsets.ISO_8859_1);
            Files.writeString(spool, mbox.substring(mbox.indexOf("\nFrom sender@example.org ") + 1), StandardCharsets.ISO_8859_1);
            assertThat(text(byLocation(inbox, listed.get(1)))).isEqualTo(second);
            assertThatThrownBy(() -> byLocation(inbox, listed.get(0))).isInstanceOf(MessageGoneException.class);
        }
    }

    @Test
    void underTheMaildropLockSpoolMessagesAreReadByTheirListedOffsets() throws Exception {
        deliver(bob, "locked", "text\r\n");
        try (AccountStore account = fx.store.open(bob); MaildropLock lock = account.lockMaildrop();
             Folder inbox = account.open("INBOX")) {
            MessageInfo listed = located(inbox).get(0);
            assertThat(text(byLocation(inbox, listed))).isEqualTo(read(inbox.content(1)));
        }
    }
}
