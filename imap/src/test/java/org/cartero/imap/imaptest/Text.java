package org.cartero.imap.imaptest;

import java.nio.charset.StandardCharsets;

/**
 * Byte-preserving text helpers. The runner keeps protocol text as ISO-8859-1 strings (one char
 * per byte) and compares case-insensitively the way imaptest does: ASCII letters only.
 */
final class Text {
    /** Longest string shown in a failure report before it is shortened. */
    private static final int REPORT_LIMIT = 400;

    private Text() {
    }

    static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static char asciiUpper(char c) {
        return c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c;
    }

    static boolean equalsIgnoreCase(String a, String b) {
        return a.length() == b.length() && startsWithIgnoreCase(a, b);
    }

    /** strncasecmp(text, prefix, strlen(prefix)) == 0, ASCII only. */
    static boolean startsWithIgnoreCase(String text, String prefix) {
        if (text.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (asciiUpper(text.charAt(i)) != asciiUpper(prefix.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String upper(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            out.append(asciiUpper(text.charAt(i)));
        }
        return out.toString();
    }

    static String lower(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c);
        }
        return out.toString();
    }

    /** IS_VAR_CHAR in imaptest: an ASCII letter or digit, or '_'. */
    static boolean isVariableChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }

    /** str_to_uint32(): decimal digits only, no sign, at most 2^32-1; -1 when it is not one. */
    static long parseUint32(String text) {
        if (text.isEmpty() || text.length() > 10) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 0xFFFF_FFFFL ? value : -1;
    }

    /** strtoul() as imaptest uses it: the leading decimal digits, 0 when there are none. */
    static long leadingNumber(String text) {
        long value = 0;
        for (int i = 0; i < text.length() && value < Integer.MAX_VALUE; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** The text before the first space (t_strcut(text, ' ')). */
    static String firstWord(String text) {
        int space = text.indexOf(' ');
        return space < 0 ? text : text.substring(0, space);
    }

    /** A string as a report shows it: quoted, control characters escaped, long ones shortened. */
    static String quoteForReport(String text) {
        StringBuilder out = new StringBuilder("\"");
        int limit = Math.min(text.length(), REPORT_LIMIT);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (limit < text.length()) {
            out.append("...(").append(text.length()).append(" bytes)");
        }
        return out.append('"').toString();
    }

    /** A raw protocol line as a report shows it: one line, CR LF dropped, shortened. */
    static String forReport(String line) {
        String trimmed = line.endsWith("\r\n") ? line.substring(0, line.length() - 2) : line;
        String escaped = trimmed.replace("\r", "\\r").replace("\n", "\\n");
        return escaped.length() <= REPORT_LIMIT ? escaped
                : escaped.substring(0, REPORT_LIMIT) + "...(" + escaped.length() + " chars)";
    }
}
