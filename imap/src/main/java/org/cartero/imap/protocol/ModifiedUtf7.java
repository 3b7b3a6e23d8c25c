package org.cartero.imap.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The modified UTF-7 of IMAP4rev1 mailbox names (RFC 3501 section 5.1.3): printable US-ASCII
 * stands for itself except "&amp;", which is written "&amp;-"; every other run of characters is
 * written as "&amp;", the modified BASE64 of its UTF-16 form ("," instead of "/", no padding) and
 * "-".
 */
public final class ModifiedUtf7 {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET[i]] = i;
    }

    private ModifiedUtf7() {
    }

    /** Encodes a mailbox name; the result is printable US-ASCII. */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (isPrintable(c)) {
                out.append(c);
                if (c == '&') out.append('-');
                i++;
                continue;
            }
            int end = i;
            while (end < name.length() && !isPrintable(name.charAt(end))) end++;
            out.append('&');
            appendBase64(out, name.substring(i, end).getBytes(StandardCharsets.UTF_16BE));
            out.append('-');
            i = end;
        }
        return out.toString();
    }

    /**
     * Decodes a mailbox name.
     *
     * @throws IllegalArgumentException when the name is not valid modified UTF-7, with the reason
     */
    public static String decode(String encoded) {
        StringBuilder out = new StringBuilder(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (!isPrintable(c)) {
                throw new IllegalArgumentException("character 0x" + Integer.toHexString(c)
                        + " is not allowed in modified UTF-7");
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = encoded.indexOf('-', i + 1);
            if (end < 0) throw new IllegalArgumentException("\"&\" shift is not closed by \"-\"");
            if (end == i + 1) {
                out.append('&');
            } else {
                decodeShifted(encoded.substring(i + 1, end), out);
            }
            i = end + 1;
        }
        return out.toString();
    }

    private static void decodeShifted(String base64, StringBuilder out) {
        byte[] bytes = new byte[base64.length() * 6 / 8];
        int bits = 0;
        int bitCount = 0;
        int length = 0;
        for (int k = 0; k < base64.length(); k++) {
            char c = base64.charAt(k);
            int value = c < 128 ? VALUES[c] : -1;
            if (value < 0) throw new IllegalArgumentException("\"" + c + "\" is not a modified BASE64 character");
            bits = bits << 6 | value;
            bitCount += 6;
            if (bitCount >= 8) {
                bitCount -= 8;
                bytes[length++] = (byte) (bits >> bitCount);
                bits &= (1 << bitCount) - 1;
            }
        }
        // RFC 3501 5.1.3: the shifted sequence encodes whole UTF-16 code units; leftover bits are zero
        if (bits != 0 || length % 2 != 0) throw new IllegalArgumentException("modified BASE64 ends mid-character");
        String decoded;
        try {
            decoded = StandardCharsets.UTF_16BE.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("modified BASE64 holds an unpaired UTF-16 surrogate");
        }
        for (int k = 0; k < decoded.length(); k++) {
            // RFC 3501 5.1.3: printable US-ASCII MUST NOT be encoded in modified BASE64
            if (isPrintable(decoded.charAt(k))) {
                throw new IllegalArgumentException("printable \"" + decoded.charAt(k) + "\" is encoded in BASE64");
            }
        }
        out.append(decoded);
    }

    private static void appendBase64(StringBuilder out, byte[] bytes) {
        int bits = 0;
        int bitCount = 0;
        for (byte b : bytes) {
            bits = bits << 8 | (b & 0xff);
            bitCount += 8;
            while (bitCount >= 6) {
                bitCount -= 6;
                out.append(ALPHABET[(bits >> bitCount) & 0x3f]);
            }
            bits &= (1 << bitCount) - 1;
        }
        if (bitCount > 0) out.append(ALPHABET[(bits << (6 - bitCount)) & 0x3f]);
    }

    private static boolean isPrintable(char c) {
        return c >= 0x20 && c <= 0x7e;
    }
}
