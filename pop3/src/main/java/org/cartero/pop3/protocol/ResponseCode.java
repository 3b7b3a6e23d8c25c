package org.cartero.pop3.protocol;

/**
 * The extended response codes Cartero sends in brackets after "-ERR" (RFC 2449 section 8, with
 * the RESP-CODES capability; RFC 3206 with AUTH-RESP-CODE). A client may act on them: retry
 * later, ask the user for a new password, or wait before logging in again.
 */
public enum ResponseCode {
    /** Another session or program holds the maildrop (RFC 2449 section 8.1.2). */
    IN_USE("IN-USE"),
    /** The user logged in more recently than the LOGIN-DELAY allows (RFC 2449 section 8.1.1). */
    LOGIN_DELAY("LOGIN-DELAY"),
    /** A temporary problem on the server; trying later may work (RFC 3206 section 4). */
    SYS_TEMP("SYS/TEMP"),
    /** A permanent problem on the server; trying again will not help (RFC 3206 section 4). */
    SYS_PERM("SYS/PERM"),
    /** A problem with the credentials or the way they were sent (RFC 3206 section 5). */
    AUTH("AUTH");

    private final String text;

    ResponseCode(String text) {
        this.text = text;
    }

    /** The code as it appears between the brackets. */
    public String text() {
        return text;
    }
}
