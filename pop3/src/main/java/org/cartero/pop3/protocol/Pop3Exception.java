package org.cartero.pop3.protocol;

/**
 * A command that cannot be carried out, with the "-ERR" response that says why. Raised where the
 * problem is found (the parser, the session's state checks, the maildrop's message lookup) and
 * sent in one place, so handlers do not pass responses around by hand.
 */
public final class Pop3Exception extends Exception {

    private final Response response;

    public Pop3Exception(Response response) {
        // The response is the whole story; a stack trace would only cost time on every bad command.
        super(response.line(), null, false, false);
        if (response.ok()) throw new IllegalArgumentException("not an error: " + response);
        this.response = response;
    }

    public Pop3Exception(String text) {
        this(Response.error(text));
    }

    public Pop3Exception(ResponseCode code, String text) {
        this(Response.error(code, text));
    }

    public Response response() {
        return response;
    }
}
