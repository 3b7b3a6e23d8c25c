package org.cartero.smtp.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * The xtext encoding of RFC 3461 section 4, used by ENVID=, ORCPT= (RFC 3461) and AUTH= (RFC 4954
 * section 5):
 *
 * <pre>
 * xtext   = *( xchar / hexchar )
 * xchar   = any ASCII CHAR between "!" (33) and "~" (126) inclusive, except for "+" and "="
 * hexchar = ASCII "+" immediately followed by two upper case hexadecimal digits
 * </pre>
 */
public final class Xtext {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Xtext() {
    }

    /** Encodes text (as its UTF-8 octets): every octet that is not an xchar becomes "+HH". */
    public static String encode(String text) {
        byte[] octets = text.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(octets.length + 8);
        for (byte octet : octets) {
            int b = octet & 0xff;
            if (isXchar(b)) {
                out.append((char) b);
            } else {
                out.append('+').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    /**
     * Decodes xtext. The decoded octets must form UTF-8 without control characters: every value
     * carried this way ends up in a header field (Original-Envelope-Id, Original-Recipient) or a
     * log line, where a CR or LF would do harm.
     *
     * @throws IllegalArgumentException with a reason a client can be shown
     */
    public static String decode(String xtext) {
        ByteArrayOutputStream octets = new ByteArrayOutputStream(xtext.length());
        for (int i = 0; i < xtext.length(); i++) {
            char c = xtext.charAt(i);
            if (c == '+') {
                if (i + 2 >= xtext.length()) {
                    throw new IllegalArgumentException("\"+\" must be followed by two hexadecimal digits");
                }
                int high = upperHexValue(xtext.charAt(i + 1));
                int low = upperHexValue(xtext.charAt(i + 2));
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("\"+\" must be followed by two upper case hexadecimal digits");
                }
                octets.write(high << 4 | low);
                i += 2;
            } else if (isXchar(c)) {
                octets.write(c);
            } else {
                throw new IllegalArgumentException("character not allowed in xtext: " + describe(c));
            }
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(octets.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("xtext does not decode to UTF-8");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) throw new IllegalArgumentException("xtext decodes to a control character");
        }
        return text;
    }

    /** True for the characters xtext carries as themselves. */
    static boolean isXchar(int c) {
        return c >= '!' && c <= '~' && c != '+' && c != '=';
    }

    private static int upperHexValue(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    static String describe(int c) {
        return c > 0x20 && c < 0x7f ? "\"" + (char) c + "\"" : String.format("U+%04X", c);
    }
}
