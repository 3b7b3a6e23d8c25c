package org.cartero.imap.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The capabilities Cartero announces (RFC 9051 section 7.2.2). Before login they say how to log
 * in; after it, every extension of the session.
 */
final class Capabilities {

    /** Announced in every state. */
    private static final List<String> BASE = List.of("IMAP4rev1", "IMAP4rev2", "LITERAL+", "SASL-IR", "ID", "ENABLE");

    /** The extensions this package implements, announced once authenticated. */
    private static final List<String> SESSION = List.of(
            "IDLE", "NAMESPACE", "UNSELECT", "UIDPLUS", "MOVE", "CHILDREN", "LIST-EXTENDED", "LIST-STATUS",
            "SPECIAL-USE", "CREATE-SPECIAL-USE", "STATUS=SIZE", "MULTIAPPEND", "CATENATE", "BINARY", "CONDSTORE",
            "QRESYNC", "ESEARCH", "SEARCHRES", "CONTEXT=SEARCH", "PARTIAL", "WITHIN", "QUOTA", "QUOTA=RES-STORAGE",
            "UTF8=ACCEPT", "URLAUTH", "URLAUTH=BINARY", "NOTIFY");

    private Capabilities() {
    }

    static List<String> of(Session session) {
        List<String> capabilities = new ArrayList<>(BASE);
        if (session.state() == Session.State.NOT_AUTHENTICATED) {
            if (!session.connection.isTls()) capabilities.add("STARTTLS");
            if (AuthenticationCommands.passwordAllowed(session)) {
                capabilities.add("AUTH=PLAIN");
                capabilities.add("AUTH=LOGIN");
            } else {
                // RFC 9051 section 6.2.3: LOGIN is refused until TLS is active
                capabilities.add("LOGINDISABLED");
            }
            return capabilities;
        }
        capabilities.addAll(SESSION);
        capabilities.add("APPENDLIMIT=" + session.server.settings().appendLimit());
        if (!session.compressed()) capabilities.add("COMPRESS=DEFLATE");
        capabilities.addAll(session.server.search().capabilities());
        return capabilities;
    }
}
