package org.cartero.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.StatusResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The commands of any state (RFC 9051 section 6.1) and ID (RFC 2971). */
final class AnyStateCommands {

    private static final Logger log = LoggerFactory.getLogger(AnyStateCommands.class);
    /** RFC 2971 section 3.3: at most 30 field-value pairs; longer values are cut in the log. */
    private static final int MAX_LOGGED_VALUE = 100;

    private AnyStateCommands() {
    }

    static StatusResponse capability(Session session, String tag) throws IOException {
        session.send(new Response.Capability(session.capabilities()));
        return StatusResponse.ok(tag, "CAPABILITY completed");
    }

    /** NOOP: nothing, but the session sends the mailbox's changes with the answer (section 6.1.2). */
    static StatusResponse noop(Session session, String tag) {
        return StatusResponse.ok(tag, "NOOP completed");
    }

    static StatusResponse logout(Session session, String tag) throws IOException {
        session.send(StatusResponse.bye("Logging out"));
        session.loggingOut();
        return StatusResponse.ok(tag, "LOGOUT completed");
    }

    /** ID (RFC 2971): logs what the client says of itself and names the server. */
    static StatusResponse id(Session session, String tag, Command.Id command) throws IOException, ImapException {
        if (command.fields().size() > 30) throw ImapException.bad("ID takes at most 30 fields (RFC 2971 section 3.3)");
        if (!command.fields().isEmpty()) {
            List<String> fields = new ArrayList<>();
            for (Command.IdField field : command.fields()) {
                String value = field.value() == null ? "NIL" : field.value();
                if (value.length() > MAX_LOGGED_VALUE) value = value.substring(0, MAX_LOGGED_VALUE) + "...";
                fields.add(field.name() + "=" + value.replaceAll("[\\p{Cntrl}]", "?"));
            }
            log.info("{}: client ID {}", session.connection, String.join(", ", fields));
        }
        List<Command.IdField> server = new ArrayList<>(List.of(new Command.IdField("name", "Cartero")));
        String version = AnyStateCommands.class.getPackage().getImplementationVersion();
        if (version != null) server.add(new Command.IdField("version", version));
        session.send(new Response.Id(server));
        return StatusResponse.ok(tag, "ID completed");
    }
}
