package org.cartero.imap.server;

import org.cartero.imap.protocol.ProtocolException;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.StatusResponse;

/**
 * A command that fails: a handler throws it where it finds the problem, and the session turns
 * it into the command's tagged NO or BAD (with its response code) in one place.
 */
final class ImapException extends Exception {

    private final StatusResponse.Kind kind;
    private final ResponseCode code;
    private final boolean closeConnection;

    private ImapException(StatusResponse.Kind kind, ResponseCode code, String text, boolean closeConnection) {
        super(text, null, false, false);
        this.kind = kind;
        this.code = code;
        this.closeConnection = closeConnection;
    }

    /** The command was understood but cannot be carried out. */
    static ImapException no(ResponseCode code, String text) {
        return new ImapException(StatusResponse.Kind.NO, code, text, false);
    }

    static ImapException no(String text) {
        return no(null, text);
    }

    /** The command is not valid here: wrong state, arguments that make no sense. */
    static ImapException bad(String text) {
        return new ImapException(StatusResponse.Kind.BAD, null, text, false);
    }

    /**
     * A refusal of the grammar found while the command was read on (APPEND's later messages); a
     * literal the client sends anyway means the connection must close after the answer.
     */
    static ImapException of(ProtocolException e) {
        StatusResponse refusal = e.response(null);
        return new ImapException(refusal.kind(), refusal.code(), refusal.text(), e.closeConnection());
    }

    /** True when the session must close after answering (RFC 7888: a literal it cannot skip). */
    boolean closeConnection() {
        return closeConnection;
    }

    StatusResponse response(String tag) {
        return new StatusResponse(tag, kind, code, getMessage());
    }
}
