package org.cartero.imap.protocol;

import java.io.IOException;

/**
 * Sends a command continuation request ("+ ...") and flushes it, when the reader has accepted a
 * synchronising literal and needs the client to send it (RFC 9051 section 7.5).
 */
@FunctionalInterface
public interface Continuation {

    void requestLiteral() throws IOException;
}
