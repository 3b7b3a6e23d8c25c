package org.cartero.imap.server;

import java.io.IOException;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.UidSet;

/**
 * CHECK (RFC 3501), CLOSE and EXPUNGE (RFC 9051 sections 6.4.1 and 6.4.3), UID EXPUNGE
 * (RFC 4315) and UNSELECT (RFC 3691).
 */
final class SelectedCommands {

    private SelectedCommands() {
    }

    /** CHECK: every change is durable already; like NOOP, the mailbox's news come with the answer. */
    static StatusResponse check(Session session, String tag) {
        session.selected().checkNow();
        return StatusResponse.ok(tag, "CHECK completed");
    }

    /** CLOSE: expunges the \Deleted messages without EXPUNGE responses (unless read-only) and leaves the mailbox. */
    static StatusResponse close(Session session, String tag) throws IOException {
        SelectedMailbox mailbox = session.selected();
        if (!mailbox.readOnly) mailbox.folder.expunge(null);
        session.deselect();
        return StatusResponse.ok(tag, "CLOSE completed");
    }

    static StatusResponse unselect(Session session, String tag) {
        session.deselect();
        return StatusResponse.ok(tag, "UNSELECT completed");
    }

    /**
     * EXPUNGE, or UID EXPUNGE of the given UIDs only (RFC 4315 section 2.1): the \Deleted
     * messages go, and the client hears EXPUNGE (or VANISHED) for each with the answer.
     */
    static StatusResponse expunge(Session session, String tag, Command.Expunge command) throws IOException, ImapException {
        SelectedMailbox mailbox = session.selected();
        if (mailbox.readOnly) throw ImapException.no(ResponseCode.READ_ONLY, "The mailbox is read-only");
        UidSet uids = command.uids() == null ? null : mailbox.resolve(command.uids(), true);
        if (uids == null || !uids.isEmpty()) mailbox.expunged(mailbox.folder.expunge(uids));
        mailbox.checkNow();
        if (session.condStore()) {
            // RFC 7162 section 3.1.9: the MODSEQ the expunge left the mailbox at
            mailbox.sendUpdates(session, true);
            return StatusResponse.ok(tag, ResponseCode.highestModSeq(mailbox.highestModSeq()), "EXPUNGE completed");
        }
        return StatusResponse.ok(tag, "EXPUNGE completed");
    }
}
