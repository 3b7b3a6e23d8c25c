package org.cartero.store.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cartero.core.directory.VirtualAccount;
import org.cartero.core.mail.MailAddress;
import org.cartero.store.AccountStore;
import org.cartero.store.Folder;
import org.cartero.store.FolderName;
import org.cartero.store.UidList;
import org.cartero.store.embedded.EmbeddedMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several messages delivered to one mailbox together: each with its own trace fields, all or none. */
class LocalDeliveryTest {
    @TempDir
    Path dir;

    private EmbeddedMailStore store;

    @BeforeEach
    void open() throws Exception {
        store = new EmbeddedMailStore(new EmbeddedMailStore.Settings(dir.resolve("data"), dir.resolve("spool"), "Maildir",
                "mail.example.test", Duration.ofSeconds(5)));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static InputStream message(String subject, String body) {
        return new ByteArrayInputStream(("Subject: " + subject + "\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The INBOX's messages in UID order, as the store gives them out (CRLF line ends). */
    private List<String> inbox(VirtualAccount account) throws Exception {
        List<String> messages = new ArrayList<>();
        try (AccountStore mailbox = store.open(account); Folder inbox = mailbox.open(FolderName.INBOX)) {
            UidList uids = inbox.snapshot().uids();
            for (int seq = 1; seq <= uids.size(); seq++) {
                try (InputStream in = inbox.content(uids.uidAt(seq)).open()) {
                    messages.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return messages;
    }

    @Test
    void severalMessagesLandTogetherEachWithItsOwnReturnPathAndDeliveredTo() throws Exception {
        VirtualAccount alice = new VirtualAccount(MailAddress.parse("alice@example.test"), 0);
        List<LocalDelivery.Delivered> delivered = new LocalDelivery(store).deliverAll(alice, List.of(
                new LocalDelivery.Incoming(message("one", "1"), MailAddress.parse("alice@example.test"), "carol@elsewhere.test"),
                new LocalDelivery.Incoming(message("two", "2"), MailAddress.parse("alice+news@example.test"), ""),
                new LocalDelivery.Incoming(message("three", "3"), MailAddress.parse("alice@example.test"), "dave@elsewhere.test\r\nX: y")));

        assertThat(delivered).extracting(LocalDelivery.Delivered::uid).containsExactly(1L, 2L, 3L);
        assertThat(delivered).extracting(LocalDelivery.Delivered::folder).containsOnly("INBOX");
        assertThat(inbox(alice)).containsExactly(
                "Return-Path: <carol@elsewhere.test>\r\nDelivered-To: alice@example.test\r\nSubject: one\r\n\r\n1\r\n",
                "Return-Path: <>\r\nDelivered-To: alice+news@example.test\r\nSubject: two\r\n\r\n2\r\n",
                // a line break in the sender cannot forge a field
                "Return-Path: <dave@elsewhere.testX: y>\r\nDelivered-To: alice@example.test\r\nSubject: three\r\n\r\n3\r\n");
    }

    @Test
    void whenOneMessageDoesNotFitNoneIsDelivered() throws Exception {
        VirtualAccount small = new VirtualAccount(MailAddress.parse("small@example.test"), 300);
        LocalDelivery delivery = new LocalDelivery(store);
        assertThatThrownBy(() -> delivery.deliverAll(small, List.of(
                new LocalDelivery.Incoming(message("fits", "x".repeat(50)), small.address(), "a@b.test"),
                new LocalDelivery.Incoming(message("too big", "x".repeat(300)), small.address(), "a@b.test"))))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.temporary()).isTrue();
                    assertThat(e.enhancedStatus()).isEqualTo("4.2.2");
                });
        assertThat(inbox(small)).isEmpty();
    }
}
