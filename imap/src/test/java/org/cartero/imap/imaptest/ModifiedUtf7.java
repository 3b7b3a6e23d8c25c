package org.cartero.imap.imaptest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Decoding of mailbox names in modified UTF-7 (RFC 3501 section 5.1.3), for $mailbox_url. */
final class ModifiedUtf7 {
    private ModifiedUtf7() {
    }

    /** The name as Unicode; a malformed shifted sequence is kept as written. */
    static String decode(String name) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            int end = c == '&' ? name.indexOf('-', i + 1) : -1;
            if (end < 0) {
                out.append(c);
                i++;
            } else if (end == i + 1) {
                out.append('&');
                i = end + 1;
            } else {
                try {
                    byte[] utf16 = Base64.getDecoder().decode(padded(name.substring(i + 1, end).replace(',', '/')));
                    out.append(new String(utf16, StandardCharsets.UTF_16BE));
                } catch (IllegalArgumentException e) {
                    out.append(name, i, end + 1);
                }
                i = end + 1;
            }
        }
        return out.toString();
    }

    private static String padded(String base64) {
        return base64 + "=".repeat((4 - base64.length() % 4) % 4);
    }
}
