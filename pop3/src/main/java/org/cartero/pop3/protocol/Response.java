package org.cartero.pop3.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A status line (RFC 1939 section 3): "+OK" or "-ERR", an optional response code in brackets
 * (RFC 2449 section 8) and a short text for humans. Clients look only at the status indicator and
 * the code; the text is Cartero's own and never echoes what the client sent.
 */
public record Response(boolean ok, ResponseCode code, String text) {

    public Response {
        if (code != null && ok) throw new IllegalArgumentException("response codes go with -ERR only");
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a status line cannot hold a line break: " + text);
        }
    }

    public static Response ok(String text) {
        return new Response(true, null, text);
    }

    public static Response error(String text) {
        return new Response(false, null, text);
    }

    public static Response error(ResponseCode code, String text) {
        return new Response(false, code, text);
    }

    /** The line without its CRLF, such as "-ERR [IN-USE] maildrop in use by another session". */
    public String line() {
        StringBuilder line = new StringBuilder(ok ? "+OK" : "-ERR");
        if (code != null) line.append(" [").append(code.text()).append(']');
        if (!text.isEmpty()) line.append(' ').append(text);
        return line.toString();
    }

    /** Writes the line and its CRLF. */
    public void writeTo(OutputStream out) throws IOException {
        out.write((line() + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return line();
    }
}
