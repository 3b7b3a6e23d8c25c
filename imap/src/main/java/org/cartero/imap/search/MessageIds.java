package org.cartero.imap.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The Message-IDs of Message-ID, In-Reply-To and References fields (RFC 5322 section 3.6.4,
 * msg-id = "&lt;" id-left "@" id-right "&gt;"), normalized as RFC 5256 BASE.6.4.THREAD requires so
 * that quoting makes no difference: white space and comments dropped, a quoted id-left unquoted,
 * so {@code <"a.b"@c>} and {@code <a.b@c>} are the same ID. Anything between IDs, and an ID
 * without "@", is ignored, as threading needs: In-Reply-To often holds "a good deal of garbage".
 * IDs compare with case.
 */
final class MessageIds {
    private static final String SPECIALS = " \t\r\n()<>@\"[]";
    private static final int MAX_IDS = 1000;

    private final String s;
    private int pos;

    private MessageIds(String s) {
        this.s = s;
    }

    /** Every valid Message-ID of a field value in order (at most a thousand); empty for null. */
    static List<String> all(String value) {
        List<String> ids = new ArrayList<>();
        if (value == null) return ids;
        MessageIds parser = new MessageIds(value);
        String id;
        while (ids.size() < MAX_IDS && (id = parser.next()) != null) ids.add(id);
        return ids;
    }

    /** The first valid Message-ID of a field value, or null. */
    static String first(String value) {
        return value == null ? null : new MessageIds(value).next();
    }

    /** The next valid ID, or null when there is none. */
    private String next() {
        while (true) {
            int open = s.indexOf('<', pos);
            if (open < 0) return null;
            pos = open + 1;
            String id = idAfterAngle();
            if (id != null) return id;
            pos = open + 1;
        }
    }

    /** Reads id-left "@" id-right "&gt;" from {@link #pos}; null (position undefined) when it is not one. */
    private String idAfterAngle() {
        skipWhitespaceAndComments();
        StringBuilder left = new StringBuilder();
        if (peek() == '"') {
            pos++;
            while (pos < s.length() && s.charAt(pos) != '"') {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) c = s.charAt(pos++);
                if (c != '\r' && c != '\n') left.append(c);
            }
            if (pos >= s.length()) return null;
            pos++;
        } else {
            word(left);
        }
        skipWhitespaceAndComments();
        if (left.isEmpty() || peek() != '@') return null;
        pos++;
        skipWhitespaceAndComments();
        StringBuilder right = new StringBuilder();
        if (peek() == '[') {
            int close = s.indexOf(']', pos);
            if (close < 0) return null;
            for (int i = pos; i <= close; i++) {
                char c = s.charAt(i);
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n') right.append(c);
            }
            pos = close + 1;
        } else {
            word(right);
        }
        skipWhitespaceAndComments();
        if (right.isEmpty() || peek() != '>') return null;
        pos++;
        return left + "@" + right;
    }

    /** A dot-atom as found: the characters up to a special one; runs split by white space or comments are joined. */
    private void word(StringBuilder out) {
        while (true) {
            while (pos < s.length() && SPECIALS.indexOf(s.charAt(pos)) < 0) out.append(s.charAt(pos++));
            int before = pos;
            skipWhitespaceAndComments();
            if (pos == before || pos >= s.length() || SPECIALS.indexOf(s.charAt(pos)) >= 0) {
                pos = before;
                return;
            }
        }
    }

    private void skipWhitespaceAndComments() {
        int depth = 0;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return;
            } else if (c == '\\' && depth > 0) {
                pos++;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }
}
