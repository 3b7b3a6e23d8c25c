package org.cartero.smtp.protocol;

/**
 * The SMTP service extensions Cartero knows, each with the EHLO keyword that announces it. The
 * set a server offered decides which MAIL and RCPT parameters its {@link CommandParser} accepts.
 */
public enum Extension {
    /** RFC 2920: commands may be sent in groups without waiting for each reply. */
    PIPELINING("PIPELINING"),
    /** RFC 1870: the SIZE= parameter of MAIL, and the server's limit after the keyword. */
    SIZE("SIZE"),
    /** RFC 6152: BODY=7BIT / BODY=8BITMIME on MAIL. */
    EIGHT_BIT_MIME("8BITMIME"),
    /** RFC 6531: UTF-8 addresses and headers, announced per transaction by the SMTPUTF8 parameter. */
    SMTPUTF8("SMTPUTF8"),
    /** RFC 2034: enhanced status codes (RFC 3463) in every reply. */
    ENHANCED_STATUS_CODES("ENHANCEDSTATUSCODES"),
    /** RFC 3461: delivery status notifications: RET= and ENVID= on MAIL, NOTIFY= and ORCPT= on RCPT. */
    DSN("DSN"),
    /** RFC 4954: the AUTH command and the AUTH= parameter of MAIL. */
    AUTH("AUTH"),
    /** RFC 3030: BDAT chunks. */
    CHUNKING("CHUNKING"),
    /** RFC 3030: BODY=BINARYMIME, sent only with BDAT. */
    BINARY_MIME("BINARYMIME"),
    /** RFC 3207: the STARTTLS command. */
    STARTTLS("STARTTLS");

    private final String keyword;

    Extension(String keyword) {
        this.keyword = keyword;
    }

    /** The EHLO keyword, e.g. "8BITMIME". */
    public String keyword() {
        return keyword;
    }
}
