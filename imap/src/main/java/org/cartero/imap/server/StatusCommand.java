package org.cartero.imap.server;

import java.io.IOException;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.StatusItem;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.FolderStatus;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;

/**
 * STATUS (RFC 9051 section 6.3.11), with SIZE (RFC 8438), HIGHESTMODSEQ (RFC 7162),
 * APPENDLIMIT (RFC 7889) and DELETED-STORAGE (RFC 9208); also the STATUS responses of LIST-STATUS
 * (RFC 5819) and NOTIFY (RFC 5465).
 */
final class StatusCommand {

    private StatusCommand() {
    }

    static StatusResponse status(Session session, String tag, Command.Status command) throws IOException, ImapException {
        if (command.items().contains(StatusItem.HIGHESTMODSEQ)) session.enableCondStore();
        session.send(values(session, command.mailbox(), command.items()));
        return StatusResponse.ok(tag, "STATUS completed");
    }

    /** The STATUS response for a mailbox, its items in the order asked. */
    static Response.MailboxStatus values(Session session, String mailbox, List<StatusItem> items) throws IOException {
        try (Folder folder = session.store().open(mailbox)) {
            FolderStatus status = folder.status();
            long[] deleted = needsDeleted(items) ? deleted(folder) : null;
            List<Response.StatusValue> values = new ArrayList<>(items.size());
            for (StatusItem item : items) {
                Long value = switch (item) {
                    case MESSAGES -> status.messages();
                    case RECENT -> recent(session, folder, status);
                    case UIDNEXT -> status.uidNext();
                    case UIDVALIDITY -> status.uidValidity();
                    case UNSEEN -> status.unseen();
                    case DELETED -> deleted[0];
                    case SIZE -> status.size();
                    case HIGHESTMODSEQ -> status.highestModseq();
                    case APPENDLIMIT -> session.server.settings().appendLimit();
                    case DELETED_STORAGE -> deleted[1];
                };
                values.add(new Response.StatusValue(item, value));
            }
            return new Response.MailboxStatus(folder.name(), values);
        }
    }

    private static boolean needsDeleted(List<StatusItem> items) {
        return items.contains(StatusItem.DELETED) || items.contains(StatusItem.DELETED_STORAGE);
    }

    /** The number of messages flagged \Deleted and their size in octets. */
    private static long[] deleted(Folder folder) throws IOException {
        long[] deleted = new long[2];
        folder.messages(UidSet.all(), Set.of(), m -> {
            if (m.flags().has(Flags.DELETED)) {
                deleted[0]++;
                deleted[1] += m.size();
            }
        });
        return deleted;
    }

    /** The messages no session has seen as \Recent yet (RFC 3501 section 6.3.10). */
    private static long recent(Session session, Folder folder, FolderStatus status) throws IOException {
        String key = RecentMessages.key(session.account().name(), folder.name(), status.uidValidity());
        long first = session.server.recent().claim(key, status.uidNext(), false);
        UidList uids = folder.snapshot().uids();
        return uids.size() - uids.seqAtOrAfter(first) + 1;
    }
}
