package org.cartero.imap.server;

import java.io.EOFException;
import java.io.IOException;
import org.cartero.imap.protocol.StatusResponse;

/**
 * IDLE (RFC 2177, RFC 9051 section 6.3.13): while the client waits, the changes of the selected
 * mailbox (and of NOTIFY) are sent as they happen, until it says DONE.
 */
final class IdleCommand {

    private IdleCommand() {
    }

    static StatusResponse idle(Session session, String tag) throws IOException, ImapException {
        session.writer.continuation("Idling");
        boolean done = session.idle(() -> {
            try {
                return session.reader.readIdleDone();
            } catch (EOFException e) {
                throw new ClientGoneException(e);
            }
        });
        if (!done) throw ImapException.bad("Expected DONE to end IDLE");
        return StatusResponse.ok(tag, "IDLE terminated");
    }
}
