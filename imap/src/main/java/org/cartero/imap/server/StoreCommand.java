package org.cartero.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.FetchItem;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.SequenceSet;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.FlagOperation;
import org.cartero.store.FlagResult;
import org.cartero.store.Flags;
import org.cartero.store.UidSet;

/** STORE and UID STORE (RFC 9051 section 6.4.6), with UNCHANGEDSINCE and MODIFIED (RFC 7162 section 3.1.3). */
final class StoreCommand {

    private StoreCommand() {
    }

    static StatusResponse store(Session session, String tag, Command.Store command) throws IOException, ImapException {
        SelectedMailbox mailbox = session.selected();
        if (mailbox.readOnly) throw ImapException.no(ResponseCode.READ_ONLY, "The mailbox is read-only");
        if (command.unchangedSince().isPresent()) session.enableCondStore();
        Flags flags = storable(command.flags());
        UidSet uids = mailbox.resolve(command.set(), command.uid());
        FlagOperation operation = switch (command.mode()) {
            case REPLACE -> FlagOperation.REPLACE;
            case ADD -> FlagOperation.ADD;
            case REMOVE -> FlagOperation.REMOVE;
        };
        FlagResult result = uids.isEmpty() ? new FlagResult(List.of(), UidSet.EMPTY)
                : mailbox.folder.store(uids, operation, flags, command.unchangedSince().orElse(-1));
        mailbox.checkNow();
        mailbox.learnKeywords(session, flags);
        for (FlagResult.Update update : result.updated()) {
            int sequenceNumber = mailbox.sequenceNumber(update.uid());
            if (sequenceNumber == 0 || mailbox.isExpunged(update.uid())) continue;
            if (!command.silent()) {
                session.send(mailbox.flagsFetch(session, sequenceNumber, update.uid(), update.flags(), update.modseq(), command.uid()));
            } else if (update.changed() && session.condStore()) {
                // RFC 7162 section 3.1.3: .SILENT still tells the new MODSEQ of each changed message
                List<FetchItem> items = new ArrayList<>(2);
                if (command.uid()) items.add(new FetchItem.Uid(update.uid()));
                items.add(new FetchItem.ModSeq(update.modseq()));
                session.send(new Response.Fetch(sequenceNumber, items));
            }
            if (update.changed()) mailbox.reportedFlags(update.uid(), update.modseq());
        }
        if (!result.failed().isEmpty()) {
            long[] failed = result.failed().toArray();
            SequenceSet modified = SequenceSet.of(command.uid() ? failed : SearchCommand.sequenceNumbers(mailbox, failed));
            return StatusResponse.ok(tag, new ResponseCode.Modified(modified), "Conditional STORE failed for some messages");
        }
        return StatusResponse.ok(tag, "STORE completed");
    }

    /**
     * Flags a client gives (STORE, APPEND) as the store keeps them; \Recent is left out, as no
     * command can set it (RFC 3501 section 2.3.2).
     */
    static Flags storable(List<String> names) throws ImapException {
        List<String> storable = new ArrayList<>(names.size());
        for (String name : names) {
            if (!name.equalsIgnoreCase("\\Recent")) storable.add(name);
        }
        try {
            return Flags.parse(storable);
        } catch (IllegalArgumentException e) {
            throw ImapException.bad("Cannot set that flag: " + e.getMessage());
        }
    }
}
