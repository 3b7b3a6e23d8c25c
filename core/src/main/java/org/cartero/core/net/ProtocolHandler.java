package org.cartero.core.net;

import java.io.IOException;

/**
 * A protocol (SMTP, IMAP, POP3) as the listener core sees it. {@link NetServer} calls it on the
 * connection's own virtual thread, after implicit TLS when the service has it, with the idle
 * timeout already set; it flushes and closes the connection afterwards. Exceptions end only
 * the one session.
 */
public interface ProtocolHandler {

    /** Runs one session, from the greeting until it ends. */
    void serve(Connection connection) throws IOException;

    /**
     * Says no in the protocol's own words, because a limit is reached: SMTP "421 4.7.0 ...",
     * IMAP "* BYE ...", POP3 "-ERR [SYS/TEMP] ...". {@code reason} is a short English phrase,
     * such as "too many connections from your address".
     */
    void refuse(Connection connection, String reason) throws IOException;
}
