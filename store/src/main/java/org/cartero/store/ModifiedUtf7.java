package org.cartero.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * IMAP's modified UTF-7 for mailbox names (RFC 3501 section 5.1.3): printable ASCII stands for
 * itself except "&", written "&-"; other characters are UTF-16 in modified base64 (',' for '/')
 * between "&" and "-". Maildir++ folders are named on disk this way, as Courier and Dovecot name
 * them, so a Maildir moved between them and Cartero keeps its folders.
 */
public final class ModifiedUtf7 {
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    private ModifiedUtf7() {}

    public static String encode(String name) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int start = i;
            while (i < name.length() && (name.charAt(i) < 0x20 || name.charAt(i) > 0x7e)) i++;
            byte[] utf16 = name.substring(start, i).getBytes(StandardCharsets.UTF_16BE);
            out.append('&').append(ENCODER.encodeToString(utf16).replace('/', ',')).append('-');
        }
        return out.toString();
    }

    /** Decodes a name; malformed input (RFC 3501's rules broken) is an IllegalArgumentException. */
    public static String decode(String encoded) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c < 0x20 || c > 0x7e) throw new IllegalArgumentException("8-bit character in modified UTF-7");
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = encoded.indexOf('-', i + 1);
            if (end < 0) throw new IllegalArgumentException("unterminated \"&\" in modified UTF-7");
            if (end == i + 1) {
                out.append('&');
            } else {
                String b64 = encoded.substring(i + 1, end);
                if (!b64.matches("[A-Za-z0-9+,]+")) throw new IllegalArgumentException("invalid modified base64");
                byte[] utf16;
                try {
                    utf16 = DECODER.decode(b64.replace(',', '/'));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("invalid modified base64");
                }
                if (utf16.length % 2 != 0) throw new IllegalArgumentException("odd UTF-16 length in modified UTF-7");
                String text;
                try {
                    text = StandardCharsets.UTF_16BE.newDecoder().decode(ByteBuffer.wrap(utf16)).toString();
                } catch (java.nio.charset.CharacterCodingException e) {
                    throw new IllegalArgumentException("invalid UTF-16 in modified UTF-7");
                }
                for (int k = 0; k < text.length(); k++) {
                    char t = text.charAt(k);
                    if (t >= 0x20 && t <= 0x7e) throw new IllegalArgumentException("printable ASCII encoded in modified UTF-7");
                }
                out.append(text);
            }
            i = end + 1;
        }
        return out.toString();
    }
}
