package org.cartero.imap.protocol;

/**
 * A command the server refuses as it reads it: a syntax error (BAD, with the reason), a mailbox
 * name that is not valid (NO), an unsupported charset (NO [BADCHARSET]) or a literal that is too
 * big (NO or BAD [TOOBIG]). {@link #response(String)} is what the client is told.
 */
public final class ProtocolException extends Exception {

    private final StatusResponse.Kind kind;
    private final ResponseCode code;
    private final boolean closeConnection;

    private ProtocolException(StatusResponse.Kind kind, ResponseCode code, String reason, boolean closeConnection) {
        super(reason, null, false, false);
        this.kind = kind;
        this.code = code;
        this.closeConnection = closeConnection;
    }

    /** A syntax error: the command gets BAD with this reason. */
    public static ProtocolException bad(String reason) {
        return new ProtocolException(StatusResponse.Kind.BAD, null, reason, false);
    }

    /** A well-formed command the server refuses while reading it. */
    public static ProtocolException no(ResponseCode code, String reason) {
        return new ProtocolException(StatusResponse.Kind.NO, code, reason, false);
    }

    /**
     * A literal the server will not take: refused with [TOOBIG]. When the client sends the
     * literal without waiting (a non-synchronising literal), the connection cannot be kept in
     * step and must be closed after the response (RFC 7888).
     */
    static ProtocolException tooBig(StatusResponse.Kind kind, String reason, boolean closeConnection) {
        return new ProtocolException(kind, ResponseCode.TOOBIG, reason, closeConnection);
    }

    /** The response that refuses the command with this tag (null: untagged). */
    public StatusResponse response(String tag) {
        return new StatusResponse(tag, kind, code, getMessage());
    }

    /** True when the session must close the connection after sending the response. */
    public boolean closeConnection() {
        return closeConnection;
    }
}
