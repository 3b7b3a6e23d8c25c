package org.cartero.imap.server;

import java.io.IOException;
import java.util.List;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.FolderInfo;
import org.cartero.store.FolderName;
import org.cartero.store.SpecialUse;

/**
 * CREATE (with CREATE-SPECIAL-USE, RFC 6154), DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE
 * (RFC 9051 sections 6.3.4 to 6.3.8) and NAMESPACE (section 6.3.10).
 */
final class MailboxCommands {

    private MailboxCommands() {
    }

    static StatusResponse create(Session session, String tag, Command.Create command) throws IOException, ImapException {
        // RFC 9051 section 6.3.4: a trailing delimiter only says that names will be created below
        String name = command.mailbox();
        while (name.endsWith("/") && name.length() > 1) name = name.substring(0, name.length() - 1);
        if (FolderName.isInbox(name)) throw ImapException.no(ResponseCode.ALREADYEXISTS, "INBOX always exists");
        SpecialUse use = null;
        if (!command.specialUse().isEmpty()) {
            if (command.specialUse().size() > 1) {
                throw ImapException.no(ResponseCode.USEATTR, "A mailbox can have one special use here");
            }
            use = SpecialUse.ofAttribute(command.specialUse().getFirst());
            if (use == null) {
                throw ImapException.no(ResponseCode.USEATTR, "Special use " + command.specialUse().getFirst() + " is not supported");
            }
        }
        session.store().create(name, use);
        return StatusResponse.ok(tag, "CREATE completed");
    }

    /**
     * DELETE (RFC 9051 section 6.3.5): the mailbox goes, its children stay. A name that exists
     * only as a parent cannot be deleted; the selected mailbox can (the session leaves it).
     */
    static StatusResponse delete(Session session, String tag, Command.Delete command) throws IOException, ImapException {
        if (FolderName.isInbox(command.mailbox())) throw ImapException.no(ResponseCode.CANNOT, "INBOX cannot be deleted");
        for (FolderInfo folder : session.store().list()) {
            if (folder.name().equals(command.mailbox()) && !folder.selectable()) {
                throw ImapException.no(ResponseCode.HASCHILDREN, "Only the mailboxes below " + command.mailbox() + " exist");
            }
        }
        SelectedMailbox selected = session.selected();
        if (selected != null && selected.folder.name().equals(command.mailbox())) {
            session.deselect();
            session.send(StatusResponse.ok(null, ResponseCode.CLOSED, "The selected mailbox is deleted"));
        }
        session.store().delete(command.mailbox());
        return StatusResponse.ok(tag, "DELETE completed");
    }

    static StatusResponse rename(Session session, String tag, Command.Rename command) throws IOException {
        session.store().rename(command.from(), command.to());
        return StatusResponse.ok(tag, "RENAME completed");
    }

    /** SUBSCRIBE: the name is kept whether or not the mailbox exists (RFC 9051 section 6.3.7). */
    static StatusResponse subscribe(Session session, String tag, Command.Subscribe command) throws IOException {
        session.store().subscribe(command.mailbox());
        return StatusResponse.ok(tag, "SUBSCRIBE completed");
    }

    static StatusResponse unsubscribe(Session session, String tag, Command.Unsubscribe command) throws IOException, ImapException {
        if (!session.store().subscriptions().contains(command.mailbox())) {
            throw ImapException.no(ResponseCode.NONEXISTENT, "Not subscribed to " + command.mailbox());
        }
        session.store().unsubscribe(command.mailbox());
        return StatusResponse.ok(tag, "UNSUBSCRIBE completed");
    }

    /** NAMESPACE: the personal namespace only, with no prefix (RFC 2342, RFC 9051 section 6.3.10). */
    static StatusResponse namespace(Session session, String tag) throws IOException {
        session.send(new Response.Namespace(List.of(new Response.NamespaceEntry("", FolderName.SEPARATOR)), List.of(), List.of()));
        return StatusResponse.ok(tag, "NAMESPACE completed");
    }
}
