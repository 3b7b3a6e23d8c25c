package org.cartero.imap.server;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.cartero.imap.protocol.AppendReader;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.ProtocolException;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.AppendResult;
import org.cartero.store.Appender;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.FolderNotFoundException;
import org.cartero.store.QuotaUsage;

/**
 * APPEND (RFC 9051 section 6.3.12) with MULTIAPPEND (RFC 3502), APPENDLIMIT (RFC 7889),
 * CATENATE (RFC 4469), UTF8 (RFC 6855) and APPENDUID (RFC 4315). Each message is streamed into
 * the store as it arrives; MULTIAPPEND commits them all or none. A message literal is accepted
 * only once the mailbox is known to exist and the message to fit the quota, so a refused APPEND
 * does not make the client send it.
 */
final class AppendCommand {

    private AppendCommand() {
    }

    static StatusResponse append(Session session, String tag, Command.Append command) throws IOException, ImapException {
        AppendReader messages = command.messages();
        Folder folder;
        try {
            folder = session.store().open(command.mailbox());
        } catch (FolderNotFoundException e) {
            // RFC 9051 section 6.3.12: TRYCREATE, before the client sends the message
            throw ImapException.no(ResponseCode.TRYCREATE, "No mailbox named " + command.mailbox());
        }
        try (folder; Appender appender = folder.append()) {
            int count = 0;
            for (AppendReader.Message message = next(messages); message != null; message = next(messages)) {
                Flags flags = StoreCommand.storable(message.flags());
                Instant date = message.internalDate() == null ? null : message.internalDate().toInstant();
                switch (message.data()) {
                    case AppendReader.Literal literal -> {
                        checkQuota(session, literal.size());
                        InputStream content = literal.open();
                        // closing also stops the conversion of a literal8 if the store gives up early
                        try (InputStream stored = literal.binary() ? BinaryUpload.storable(content) : content) {
                            appender.add(stored, flags, date);
                        }
                    }
                    case AppendReader.Catenation parts -> {
                        try (CatenatedMessage catenated = new CatenatedMessage(session, parts)) {
                            appender.add(catenated, flags, date);
                        } catch (CatenatedMessage.PartFailed e) {
                            throw e.failure();
                        }
                    }
                }
                count++;
            }
            AppendResult result = appender.commit();
            SelectedMailbox selected = session.selected();
            if (selected != null && selected.folder.name().equals(folder.name())) selected.checkNow();
            return StatusResponse.ok(tag, new ResponseCode.AppendUid(result.uidValidity(), UidSets.toSequenceSet(result.uids())),
                    count > 1 ? "MULTIAPPEND completed" : "APPEND completed");
        }
    }

    /** The next message of the command; a malformed rest or a literal that is too big refuses it all. */
    private static AppendReader.Message next(AppendReader messages) throws IOException, ImapException {
        try {
            return messages.next();
        } catch (ProtocolException e) {
            throw ImapException.of(e);
        }
    }

    /**
     * Refuses a message that would exceed the account's quota before it is sent (RFC 9208
     * section 4.3: NO [OVERQUOTA]); the store checks again when it commits.
     */
    private static void checkQuota(Session session, long size) throws IOException, ImapException {
        QuotaUsage usage = session.store().quota();
        if (usage.limited() && usage.storageBytes() + size > usage.storageLimitBytes()) {
            throw ImapException.no(ResponseCode.OVERQUOTA, "The message does not fit in the mailbox's quota");
        }
    }

    /**
     * The message a CATENATE makes (RFC 4469 section 5): its parts read one after another as the
     * store reads on, text literals from the client and URLs from the store.
     */
    private static final class CatenatedMessage extends InputStream {

        /** A part that cannot be used: the APPEND fails with this (NO [BADURL], or BAD). */
        static final class PartFailed extends IOException {
            private final transient ImapException failure;

            PartFailed(ImapException failure) {
                super(failure.getMessage());
                this.failure = failure;
            }

            ImapException failure() {
                return failure;
            }
        }

        private final Session session;
        private final AppendReader.Catenation parts;
        private InputStream current;
        private UrlContent url;
        private boolean finished;

        CatenatedMessage(Session session, AppendReader.Catenation parts) {
            this.session = session;
            this.parts = parts;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) return 0;
            while (!finished) {
                if (current == null) {
                    advance();
                    continue;
                }
                int n = current.read(buffer, offset, length);
                if (n > 0) return n;
                closeCurrent();
            }
            return -1;
        }

        private void advance() throws IOException {
            AppendReader.Part part;
            try {
                part = parts.next();
            } catch (ProtocolException e) {
                throw new PartFailed(ImapException.of(e));
            }
            switch (part) {
                case null -> finished = true;
                case AppendReader.Literal literal -> current = literal.open();
                case AppendReader.Url link -> {
                    try {
                        url = UrlContent.forCatenate(session, link.url());
                        current = url.open();
                    } catch (ImapException e) {
                        throw new PartFailed(e);
                    }
                }
            }
        }

        private void closeCurrent() throws IOException {
            current.close();
            current = null;
            if (url != null) url.close();
            url = null;
        }

        @Override
        public void close() throws IOException {
            if (current != null) closeCurrent();
        }
    }
}
