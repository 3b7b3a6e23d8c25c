package org.cartero.imap.imaptest;

/** A line imaptest's IMAP parser cannot split into arguments. */
final class ImapSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    ImapSyntaxException(String message) {
        super(message);
    }
}
