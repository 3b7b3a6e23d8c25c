package org.cartero.imap.server;

import java.io.IOException;
import java.util.Set;
import java.util.List;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.FetchItem;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.Changes;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.FolderName;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;

/**
 * SELECT and EXAMINE (RFC 9051 sections 6.3.2 and 6.3.3), with CONDSTORE and QRESYNC
 * (RFC 7162 sections 3.1.8 and 3.2.5).
 */
final class SelectCommand {

    /** How many messages to read at a time while looking for the first unseen one. */
    private static final int UNSEEN_CHUNK = 1000;

    private SelectCommand() {
    }

    static StatusResponse select(Session session, String tag, Command.Select command) throws IOException, ImapException {
        if (command.qresync() != null && !session.qresync()) {
            // RFC 7162 section 3.2.5: the QRESYNC parameter needs ENABLE QRESYNC first
            throw ImapException.bad("QRESYNC must be enabled first");
        }
        boolean wasSelected = session.selected() != null;
        SelectedMailbox mailbox;
        try {
            Folder folder = session.store().open(command.mailbox());
            try {
                // opened before the old one is let go, so that re-selecting a mailbox keeps its file watches
                mailbox = SelectedMailbox.open(session, folder, command.readOnly());
            } catch (IOException | RuntimeException e) {
                folder.close();
                throw e;
            }
        } finally {
            // RFC 9051 section 6.3.2: a SELECT, even one that fails, leaves the old mailbox, and
            // section 7.1 (RFC 7162 section 3.2.11): the client hears that it is closed
            session.deselect();
            if (wasSelected) session.send(StatusResponse.ok(null, ResponseCode.CLOSED, "Previous mailbox closed"));
        }
        if (command.condStore()) session.enableCondStore();
        try {
            describe(session, mailbox, command.mailbox());
            if (command.qresync() != null && command.qresync().uidValidity() == mailbox.uidValidity()) {
                resynchronize(session, mailbox, command.qresync());
            }
        } catch (IOException | RuntimeException e) {
            mailbox.close();
            throw e;
        }
        session.selected(mailbox);
        return StatusResponse.ok(tag, command.readOnly() ? ResponseCode.READ_ONLY : ResponseCode.READ_WRITE,
                (command.readOnly() ? "EXAMINE" : "SELECT") + " completed");
    }

    /** The untagged responses RFC 9051 section 6.3.2 requires (RFC 3501's for IMAP4rev1 clients). */
    private static void describe(Session session, SelectedMailbox mailbox, String name) throws IOException {
        mailbox.sendFlags(session);
        session.send(new Response.Exists(mailbox.size()));
        if (session.recentFlags()) {
            session.send(new Response.Recent(mailbox.recentCount()));
            long unseen = firstUnseen(mailbox);
            if (unseen > 0) session.send(StatusResponse.ok(null, ResponseCode.unseen(unseen), "First unseen"));
        }
        session.send(StatusResponse.ok(null, ResponseCode.uidValidity(mailbox.uidValidity()), "UIDs valid"));
        session.send(StatusResponse.ok(null, ResponseCode.uidNext(mailbox.uidNext()), "Predicted next UID"));
        if (session.condStore()) {
            session.send(StatusResponse.ok(null, ResponseCode.highestModSeq(mailbox.highestModSeq()), "Highest"));
        }
        if (session.imap4rev2()) {
            // RFC 9051 section 6.3.2: the mailbox's name as the server has it (INBOX in any case is INBOX)
            session.send(new Response.ListMailbox(false, List.of(), FolderName.SEPARATOR,
                    mailbox.folder.name(), List.of(), null));
        }
    }

    /** The sequence number of the first message without \Seen, 0 when there is none (RFC 3501 UNSEEN). */
    private static long firstUnseen(SelectedMailbox mailbox) throws IOException {
        if (mailbox.selectedStatus().unseen() == 0) return 0;
        int number = mailbox.sequenceNumber(mailbox.folder.firstUnseen());
        if (number > 0) return number;
        // the store's first unseen message is not in this session's view (it changed since the
        // selection): look through the view's messages
        for (int from = 1; from <= mailbox.size(); from += UNSEEN_CHUNK) {
            int to = Math.min(mailbox.size(), from + UNSEEN_CHUNK - 1);
            long[] first = {0};
            mailbox.folder.messages(UidSet.range(mailbox.uidAt(from), mailbox.uidAt(to)), Set.of(), m -> {
                if (first[0] == 0 && !m.flags().has(Flags.SEEN)) first[0] = m.uid();
            });
            if (first[0] != 0) return mailbox.sequenceNumber(first[0]);
        }
        return 0;
    }

    /**
     * QRESYNC (RFC 7162 section 3.2.5): what changed since the client's MODSEQ, as VANISHED
     * (EARLIER) for the messages gone and FETCH for those whose flags changed or that are new.
     */
    private static void resynchronize(Session session, SelectedMailbox mailbox, Command.QResync qresync) throws IOException {
        UidSet known = qresync.knownUids() == null ? UidSet.range(1, Math.max(1, mailbox.uidNext() - 1))
                : UidSets.toUidSet(qresync.knownUids(), mailbox.uidNext() - 1);
        sendChanges(session, mailbox, qresync.modSeq(), known, true);
    }

    /**
     * The messages of {@code known} that changed after {@code modSeq}: VANISHED (EARLIER) for
     * those expunged (every known UID the store lacks, when its record of expunges is
     * incomplete), then a FETCH (UID FLAGS MODSEQ) for each one that changed (RFC 7162 sections
     * 3.2.5 and 3.2.6). Also answers FETCH ... (CHANGEDSINCE ... VANISHED).
     */
    static void sendChanges(Session session, SelectedMailbox mailbox, long modSeq, UidSet known, boolean fetchChanged)
            throws IOException {
        Changes changes = mailbox.folder.changesSince(modSeq);
        UidSet vanished;
        if (changes.expungedComplete()) {
            vanished = UidSets.intersection(changes.expunged(), known);
        } else {
            UidSet present = mailbox.folder.snapshot().uids().toSet();
            vanished = UidSets.difference(UidSets.intersection(known, UidSet.range(1, Math.max(1, mailbox.uidNext() - 1))), present);
        }
        if (!vanished.isEmpty()) session.send(new Response.Vanished(true, UidSets.toSequenceSet(vanished)));
        if (!fetchChanged) return;
        for (MessageInfo m : changes.changed()) {
            int sequenceNumber = mailbox.sequenceNumber(m.uid());
            if (sequenceNumber == 0 || !known.contains(m.uid())) continue;
            session.send(new Response.Fetch(sequenceNumber, List.of(new FetchItem.Uid(m.uid()),
                    new FetchItem.Flags(mailbox.flagNames(session, m.uid(), m.flags())), new FetchItem.ModSeq(m.modseq()))));
        }
    }
}
