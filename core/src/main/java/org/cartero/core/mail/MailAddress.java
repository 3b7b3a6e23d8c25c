package org.cartero.core.mail;

import java.util.Locale;

/**
 * An email address as SMTP carries it (RFC 5321 section 4.1.2 "Mailbox"): a local part, which
 * may be a quoted string, and a domain or address literal. UTF-8 is allowed in both parts
 * (RFC 6531). The domain is kept in lower case; the local part as written, but compared without
 * case by {@link #canonical()}, as mail servers match their own users.
 */
public record MailAddress(String localPart, String domain) {

    public MailAddress {
        if (localPart == null || localPart.isEmpty()) throw new IllegalArgumentException("empty local part");
        if (domain == null || domain.isEmpty()) throw new IllegalArgumentException("empty domain");
        domain = domain.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses "local@domain" (without angle brackets).
     *
     * @throws IllegalArgumentException with a reason a client can be shown
     */
    public static MailAddress parse(String text) {
        if (text == null || text.isEmpty()) throw new IllegalArgumentException("empty address");
        int at;
        String local;
        if (text.charAt(0) == '"') {
            int end = endOfQuoted(text);
            local = text.substring(0, end + 1);
            at = end + 1;
            if (at >= text.length() || text.charAt(at) != '@') throw new IllegalArgumentException("missing @domain");
        } else {
            at = text.lastIndexOf('@');
            if (at < 0) throw new IllegalArgumentException("missing @domain");
            local = text.substring(0, at);
            if (!isDotString(local)) throw new IllegalArgumentException("invalid local part \"" + local + "\"");
        }
        String domain = text.substring(at + 1);
        if (!isDomain(domain) && !isAddressLiteral(domain)) {
            throw new IllegalArgumentException("invalid domain \"" + domain + "\"");
        }
        if (local.length() > 64 * 4 || domain.length() > 255) throw new IllegalArgumentException("address too long");
        return new MailAddress(local, domain);
    }

    /** Lower-cased form, for looking the address up in the directory. */
    public MailAddress canonical() {
        String lower = localPart.toLowerCase(Locale.ROOT);
        return lower.equals(localPart) ? this : new MailAddress(lower, domain);
    }

    /** True when some character is outside ASCII: such an address needs SMTPUTF8 (RFC 6531). */
    public boolean needsUtf8() {
        return !isAscii(localPart) || !isAscii(domain);
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }

    /** RFC 5321 Domain: dot-separated labels of letters, digits and hyphens (or UTF-8, RFC 6531). */
    public static boolean isDomain(String s) {
        if (s.isEmpty() || s.length() > 255) return false;
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63) return false;
            if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') return false;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c >= 0x80)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isAddressLiteral(String s) {
        return s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']'
                && s.substring(1, s.length() - 1).chars().allMatch(c -> c > 32 && c < 127 && c != '[' && c != ']' && c != '\\');
    }

    /** RFC 5321 Dot-string: atoms of atext separated by single dots. */
    private static boolean isDotString(String s) {
        if (s.isEmpty() || s.charAt(0) == '.' || s.charAt(s.length() - 1) == '.' || s.contains("..")) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '.' && !isAtext(c)) return false;
        }
        return true;
    }

    /** RFC 5322 atext, widened to UTF-8 by RFC 6531. */
    public static boolean isAtext(char c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80) return true;
        return "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    private static int endOfQuoted(String s) {
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
                if (i >= s.length() || s.charAt(i) < 32 || s.charAt(i) == 127) {
                    throw new IllegalArgumentException("invalid quoted local part");
                }
            } else if (c == '"') {
                if (i == 1) throw new IllegalArgumentException("empty quoted local part");
                return i;
            } else if (c < 32 || c == 127) {
                throw new IllegalArgumentException("control character in quoted local part");
            }
        }
        throw new IllegalArgumentException("unterminated quoted local part");
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return false;
        return true;
    }
}
