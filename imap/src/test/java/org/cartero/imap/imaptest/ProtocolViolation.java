package org.cartero.imap.imaptest;

/**
 * A server reply imaptest refuses (unparseable, inconsistent with what the session knows, an
 * unexpected BAD...): imaptest drops the connection then, which fails the test.
 */
final class ProtocolViolation extends Exception {
    private static final long serialVersionUID = 1L;

    ProtocolViolation(String message) {
        super(message);
    }
}
