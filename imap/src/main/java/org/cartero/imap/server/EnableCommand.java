package org.cartero.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    static StatusResponse enable(Session session, String tag, Command.Enable command) throws IOException {
        List<String> enabled = new ArrayList<>();
        for (String capability : command.capabilities()) {
            switch (capability.toUpperCase(Locale.ROOT)) {
                case "IMAP4REV2" -> {
                    if (!session.imap4rev2()) {
                        session.enableImap4rev2();
                        enabled.add("IMAP4rev2");
                    }
                }
                case "UTF8=ACCEPT" -> {
                    if (!session.utf8()) {
                        session.enableUtf8();
                        enabled.add("UTF8=ACCEPT");
                    }
                }
                case "CONDSTORE" -> {
                    if (!session.condStore()) {
                        session.enableCondStore();
                        enabled.add("CONDSTORE");
                    }
                }
                case "QRESYNC" -> {
                    if (!session.qresync()) {
                        session.enableQresync();
                        enabled.add("QRESYNC");
                    }
                }
                default -> {
                    // RFC 5161 section 3.1: capabilities the server does not know are ignored
                }
            }
        }
        session.send(new Response.Enabled(enabled));
        return StatusResponse.ok(tag, "ENABLE completed");
    }
}
