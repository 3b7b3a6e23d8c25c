package org.cartero.imap.protocol;

/**
 * A status response (RFC 9051 section 7.1): OK, NO, BAD, PREAUTH or BYE, tagged or untagged,
 * with an optional response code and a human-readable text.
 *
 * @param tag the command's tag, or null for an untagged ("*") response
 * @param code the response code in brackets, or null
 * @param text the human-readable text; CR and LF in it are written as spaces
 */
public record StatusResponse(String tag, Kind kind, ResponseCode code, String text) implements Response {

    /** The condition of a status response. */
    public enum Kind { OK, NO, BAD, PREAUTH, BYE }

    public StatusResponse {
        if (kind == null || text == null) throw new NullPointerException("kind and text are required");
    }

    public static StatusResponse ok(String tag, String text) {
        return new StatusResponse(tag, Kind.OK, null, text);
    }

    public static StatusResponse ok(String tag, ResponseCode code, String text) {
        return new StatusResponse(tag, Kind.OK, code, text);
    }

    public static StatusResponse no(String tag, String text) {
        return new StatusResponse(tag, Kind.NO, null, text);
    }

    public static StatusResponse no(String tag, ResponseCode code, String text) {
        return new StatusResponse(tag, Kind.NO, code, text);
    }

    public static StatusResponse bad(String tag, String text) {
        return new StatusResponse(tag, Kind.BAD, null, text);
    }

    public static StatusResponse bye(String text) {
        return new StatusResponse(null, Kind.BYE, null, text);
    }
}
