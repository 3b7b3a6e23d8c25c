package org.cartero.imap.server;

import java.io.IOException;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.StatusResponse;

/** NOTIFY SET and NOTIFY NONE (RFC 5465); {@link Notifications} does the telling. */
final class NotifyCommand {

    private NotifyCommand() {
    }

    static StatusResponse notify(Session session, String tag, Command.Notify command) throws IOException, ImapException {
        if (command.groups().isEmpty()) {
            session.notifications(null);
            return StatusResponse.ok(tag, "NOTIFY NONE completed");
        }
        for (Command.NotifyGroup group : command.groups()) {
            for (Command.NotifyEvent event : group.events()) {
                if (!Notifications.SUPPORTED.contains(event.type())) {
                    // RFC 5465 section 3.1: NO [BADEVENT] with the events the server supports
                    throw ImapException.no(new ResponseCode.BadEvent(Notifications.SUPPORTED.stream()
                            .map(Command.NotifyEventType::atom).toList()), "Event not supported");
                }
            }
        }
        session.notifications(null);
        session.notifications(Notifications.start(session, command));
        return StatusResponse.ok(tag, "NOTIFY completed");
    }
}
