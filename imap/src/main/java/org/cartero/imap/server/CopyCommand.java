package org.cartero.imap.server;

import java.io.IOException;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.SequenceSet;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.CopyResult;
import org.cartero.store.FolderNotFoundException;
import org.cartero.store.UidSet;

/** COPY (RFC 9051 section 6.4.7) and MOVE (RFC 6851), with COPYUID (RFC 4315 section 3). */
final class CopyCommand {

    private CopyCommand() {
    }

    static StatusResponse copy(Session session, String tag, boolean uid, SequenceSet set, String target, boolean move)
            throws IOException, ImapException {
        SelectedMailbox mailbox = session.selected();
        String command = move ? "MOVE" : "COPY";
        if (move && mailbox.readOnly) throw ImapException.no(ResponseCode.READ_ONLY, "The mailbox is read-only");
        UidSet uids = mailbox.resolve(set, uid);
        if (uids.isEmpty()) return StatusResponse.ok(tag, command + " completed: no messages");
        CopyResult result;
        try {
            result = move ? mailbox.folder.move(uids, target) : mailbox.folder.copy(uids, target);
        } catch (FolderNotFoundException e) {
            // RFC 9051 section 6.4.7: a missing target gets TRYCREATE
            throw ImapException.no(ResponseCode.TRYCREATE, "No mailbox named " + target);
        }
        if (result.sourceUids().isEmpty()) return StatusResponse.ok(tag, command + " completed: the messages are gone");
        ResponseCode.CopyUid copyUid = new ResponseCode.CopyUid(result.targetUidValidity(),
                UidSets.toSequenceSet(result.sourceUids()), UidSets.toSequenceSet(result.targetUids()));
        mailbox.checkNow(); // copies into the selected mailbox itself are new messages of it
        if (!move) return StatusResponse.ok(tag, copyUid, "COPY completed");
        // RFC 6851 section 4.3: COPYUID in an untagged OK, then the EXPUNGEs of the moved messages
        session.send(StatusResponse.ok(null, copyUid, "Moved"));
        mailbox.expunged(result.sourceUids());
        return StatusResponse.ok(tag, "MOVE completed");
    }
}
