package org.cartero.store.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses an address-list header value (RFC 5322 section 3.4, with the obsolete forms of section
 * 4.4 accepted) into IMAP address structures. Display names keep their encoded words undecoded,
 * as IMAP ENVELOPE sends them (mime4j's address parser decodes them, which is why the store has
 * its own). Lenient as mail readers must be: a broken entry yields what could be understood and
 * never an exception; a comment after a bare address serves as its name ("a@b (Ann)").
 */
public final class AddressParser {
    private static final int MAX_ADDRESSES = 1000;

    private final String s;
    private int pos;
    private final List<Address> out = new ArrayList<>();

    private AddressParser(String s) {
        this.s = s;
    }

    public static List<Address> parse(String value) {
        if (value == null) return List.of();
        AddressParser p = new AddressParser(value);
        p.list();
        return List.copyOf(p.out);
    }

    private void list() {
        while (pos < s.length() && out.size() < MAX_ADDRESSES) {
            skipSeparators();
            if (pos >= s.length()) break;
            int before = pos;
            address(false);
            if (pos == before) pos++; // never loop on a character no rule consumes
        }
    }

    private void skipSeparators() {
        while (pos < s.length()) {
            skipCfws();
            if (pos < s.length() && (s.charAt(pos) == ',' || s.charAt(pos) == ';')) pos++;
            else break;
        }
    }

    /** One mailbox or group; inside a group, ';' ends it and no nested group is allowed. */
    private void address(boolean inGroup) {
        StringBuilder phrase = new StringBuilder();
        StringBuilder rawLocal = new StringBuilder();
        String comment = null;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '<') {
                String text = phrase.toString().strip();
                angleAddress(text.isEmpty() ? null : text);
                return;
            }
            if (c == ':' && !inGroup) {
                pos++;
                out.add(Address.groupStart(phrase.toString().strip()));
                while (pos < s.length()) {
                    skipCfws();
                    if (pos >= s.length()) break;
                    char g = s.charAt(pos);
                    if (g == ';') { pos++; break; }
                    if (g == ',') { pos++; continue; }
                    int before = pos;
                    address(true);
                    if (pos == before) pos++;
                }
                out.add(Address.GROUP_END);
                return;
            }
            if (c == '@') {
                pos++;
                String domain = domain();
                String name = trailingComment();
                out.add(new Address(name, null, unquote(rawLocal.toString().trim()), domain));
                return;
            }
            if (c == ',' || (c == ';' && inGroup)) break;
            if (c == '(') {
                comment = comment();
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
                if (!phrase.isEmpty() && phrase.charAt(phrase.length() - 1) != ' ') phrase.append(' ');
                continue;
            }
            if (c == '"') {
                int start = pos;
                String q = quoted();
                phrase.append(q);
                rawLocal.append(s, start, pos);
                continue;
            }
            int start = pos;
            while (pos < s.length() && "<>:@,;()\" \t\r\n".indexOf(s.charAt(pos)) < 0) pos++;
            if (pos == start) { pos++; continue; } // a stray '>' or ';'
            phrase.append(s, start, pos);
            rawLocal.append(s, start, pos);
        }
        // A word without "@": an address whose domain is missing.
        String text = phrase.toString().trim();
        if (!text.isEmpty()) out.add(new Address(comment, null, text, null));
    }

    private void angleAddress(String name) {
        pos++; // '<'
        String route = null;
        skipCfws();
        if (pos < s.length() && s.charAt(pos) == '@') { // obs-route "@a,@b:"
            int colon = s.indexOf(':', pos);
            int close = s.indexOf('>', pos);
            if (colon > 0 && (close < 0 || colon < close)) {
                route = s.substring(pos, colon).replaceAll("\\s+", "");
                pos = colon + 1;
            }
        }
        StringBuilder local = new StringBuilder();
        String domain = null;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '>') { pos++; break; }
            if (c == '"') { local.append(quoted()); continue; }
            if (c == '(') { comment(); continue; }
            if (c == '@') { pos++; domain = domainUntil('>'); continue; }
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') local.append(c);
            pos++;
        }
        if (local.isEmpty() && domain == null) {
            out.add(new Address(name, route, "", null)); // "<>", the null sender
        } else {
            out.add(new Address(name, route, local.toString(), domain));
        }
    }

    private String domain() {
        return domainUntil('\0');
    }

    private String domainUntil(char end) {
        StringBuilder d = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == end || c == ',' || c == ';' || c == '>' || c == '<') break;
            if (c == '(') {
                if (end == '\0') break; // a trailing comment: the name
                comment();
                continue;
            }
            if (c == '[') { // domain literal
                int close = s.indexOf(']', pos);
                int stop = close < 0 ? s.length() : close + 1;
                d.append(s, pos, stop);
                pos = stop;
                continue;
            }
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') d.append(c);
            pos++;
        }
        return d.isEmpty() ? null : d.toString();
    }

    private String trailingComment() {
        String name = null;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == '(') name = comment();
            else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') pos++;
            else break;
        }
        return name;
    }

    /** Reads a quoted string starting at '"', returns its content with quoted pairs resolved. */
    private String quoted() {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') break;
            if (c == '\\' && pos < s.length()) c = s.charAt(pos++);
            if (c != '\r' && c != '\n') sb.append(c);
        }
        return sb.toString();
    }

    /** Reads a (possibly nested) comment starting at '(', returns its text. */
    private String comment() {
        StringBuilder sb = new StringBuilder();
        int depth = 0;
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '(') {
                if (depth++ > 0) sb.append(c);
            } else if (c == ')') {
                if (--depth == 0) break;
                sb.append(c);
            } else if (c == '\\' && pos < s.length()) {
                sb.append(s.charAt(pos++));
            } else if (c != '\r' && c != '\n') {
                sb.append(c);
            }
        }
        String text = sb.toString().trim();
        return text.isEmpty() ? null : text;
    }

    private void skipCfws() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') pos++;
            else if (c == '(') comment();
            else break;
        }
    }

    private static String unquote(String local) {
        if (local.length() >= 2 && local.startsWith("\"") && local.endsWith("\"")) {
            return local.substring(1, local.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        return local.replaceAll("\\s+", "");
    }
}
