package org.cartero.imap.server;

import org.cartero.imap.protocol.ResponseCode;

/** A search the engine cannot carry out: answered NO with the code, e.g. [CANNOT] or [BADCHARSET]. */
public final class SearchException extends Exception {

    private final ResponseCode code;

    public SearchException(ResponseCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ResponseCode code() {
        return code;
    }
}
