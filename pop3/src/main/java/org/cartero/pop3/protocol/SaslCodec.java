package org.cartero.pop3.protocol;

import java.util.Base64;

/**
 * The base64 lines of a POP3 SASL exchange (RFC 5034 section 4): the server's challenges
 * ("+ " and base64) and the client's responses (base64, or "*" to cancel).
 */
public final class SaslCodec {
    private static final String CANCEL = "*";

    private SaslCodec() {}

    /** The continuation line that carries a challenge, without its CRLF ("+ " alone for an empty one). */
    public static String challenge(byte[] data) {
        return "+ " + Base64.getEncoder().encodeToString(data);
    }

    /** True for the client's "*": it gives up, and the server must answer -ERR (RFC 5034 section 4). */
    public static boolean isCancel(String line) {
        return line.equals(CANCEL);
    }

    /** A response line decoded; an empty line is an empty response. */
    public static byte[] decodeResponse(String line) throws Pop3Exception {
        return decode(line, "response");
    }

    /** The initial response of an AUTH command: base64, or "=" for an empty one (RFC 5034 section 4). */
    static byte[] decodeInitialResponse(String argument) throws Pop3Exception {
        return argument.equals("=") ? new byte[0] : decode(argument, "initial response");
    }

    private static byte[] decode(String text, String what) throws Pop3Exception {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            // RFC 5034 section 4: a response that is not base64 is rejected with -ERR.
            throw new Pop3Exception("the SASL " + what + " is not valid base64");
        }
    }
}
