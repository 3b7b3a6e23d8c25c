package org.cartero.imap.search;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.cartero.core.directory.VirtualAccount;
import org.cartero.core.mail.MailAddress;
import org.cartero.store.AccountStore;
import org.cartero.store.Appender;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;
import org.cartero.store.embedded.EmbeddedMailStore;

/** A real Maildir INBOX of a virtual user in a temporary directory, opened through the store's public API. */
final class TestMailbox implements AutoCloseable {
    final EmbeddedMailStore store;
    final AccountStore account;
    final Folder folder;

    TestMailbox(Path directory) throws IOException {
        Path data = Files.createDirectories(directory.resolve("data"));
        Path spool = Files.createDirectories(directory.resolve("spool"));
        store = new EmbeddedMailStore(new EmbeddedMailStore.Settings(data, spool, "Maildir", "test.example", Duration.ofSeconds(5)));
        account = store.open(new VirtualAccount(MailAddress.parse("user@example.test"), 0));
        folder = account.open("INBOX");
    }

    /** Appends a message (LF or CRLF line ends) and returns its UID. */
    long append(String message, Instant internalDate, Flags flags) throws IOException {
        return append(message.getBytes(StandardCharsets.UTF_8), internalDate, flags);
    }

    long append(byte[] message, Instant internalDate, Flags flags) throws IOException {
        return Appender.appendOne(folder, new ByteArrayInputStream(message), flags, internalDate).uids().first();
    }

    long append(String message) throws IOException {
        return append(message, Instant.parse("2024-01-01T12:00:00Z"), Flags.NONE);
    }

    /** Every message of the folder, no \Recent, no saved result. */
    MailboxView view() throws IOException {
        return new MailboxView(folder.snapshot().uids(), null, null);
    }

    MailboxView view(UidSet savedResult, UidSet recent) throws IOException {
        return new MailboxView(folder.snapshot().uids(), savedResult, recent);
    }

    static MailboxView view(UidList uids) {
        return new MailboxView(uids, null, null);
    }

    /** An engine showing internal dates in UTC, at the given time. */
    SearchEngine engine(Instant now) {
        return new SearchEngine(folder, ZoneId.of("UTC"), Clock.fixed(now, ZoneId.of("UTC")));
    }

    SearchEngine engine() {
        return engine(Instant.parse("2024-06-01T00:00:00Z"));
    }

    @Override
    public void close() {
        folder.close();
        account.close();
        store.close();
    }
}
