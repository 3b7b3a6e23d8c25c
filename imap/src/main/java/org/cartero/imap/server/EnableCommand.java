package org.cartero.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.StatusResponse;

/**
 * ENABLE (RFC 5161): IMAP4rev2 (RFC 9051), UTF8=ACCEPT (RFC 6855), CONDSTORE and QRESYNC
 * (RFC 7162). Others are ignored, as section 3.1 says; the ENABLED response names what this
 * command turned on.
 */
final class EnableCommand {

    private EnableCommand() {
    }

    /** An extension ENABLE can turn on: its name, whether it is on, and how to turn it on. */
    private record Extension(String name, Predicate<Session> on, Enabler enable) {
    }

    @FunctionalInterface
    private interface Enabler {
        void enable(Session session) throws IOException;
    }

    private static final List<Extension> EXTENSIONS = List.of(
            new Extension("IMAP4rev2", Session::imap4rev2, Session::enableImap4rev2),
            new Extension("UTF8=ACCEPT", Session::utf8, Session::enableUtf8),
            new Extension("CONDSTORE", Session::condStore, Session::enableCondStore),
            new Extension("QRESYNC", Session::qresync, Session::enableQresync));

    static StatusResponse enable(Session session, String tag, Command.Enable command) throws IOException {
        List<String> enabled = new ArrayList<>();
        for (String capability : command.capabilities()) {
            for (Extension extension : EXTENSIONS) {
                if (extension.name.equalsIgnoreCase(capability) && !extension.on.test(session)) {
                    extension.enable.enable(session);
                    enabled.add(extension.name);
                }
            }
            // RFC 5161 section 3.1: capabilities the server does not know are ignored
        }
        session.send(new Response.Enabled(enabled));
        return StatusResponse.ok(tag, "ENABLE completed");
    }
}
