package org.cartero.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * A message's flags: the IMAP system flags (RFC 9051 section 2.3.2) as bits, and keywords.
 * Keywords compare without case, as IMAP flags do; the spelling first stored is kept.
 * \Recent is not stored: it is a per-session notion that IMAP4rev2 dropped.
 */
public record Flags(int system, List<String> keywords) {
    public static final int SEEN = 1;
    public static final int ANSWERED = 2;
    public static final int FLAGGED = 4;
    public static final int DELETED = 8;
    public static final int DRAFT = 16;
    public static final int ALL_SYSTEM = SEEN | ANSWERED | FLAGGED | DELETED | DRAFT;

    public static final Flags NONE = new Flags(0, List.of());

    private static final String[] SYSTEM_NAMES = {"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"};
    private static final int MAX_KEYWORD_LENGTH = 250;

    public Flags {
        if ((system & ~ALL_SYSTEM) != 0) throw new IllegalArgumentException("unknown system flag bits " + system);
        keywords = normalize(keywords);
    }

    public static Flags of(int system, String... keywords) {
        return new Flags(system, List.of(keywords));
    }

    /** Parses IMAP flag names ("\Seen", "$Forwarded"); system flags match without case. */
    public static Flags parse(Collection<String> names) {
        int bits = 0;
        List<String> keywords = new ArrayList<>();
        for (String name : names) {
            int bit = systemBit(name);
            if (bit != 0) bits |= bit;
            else keywords.add(name);
        }
        return new Flags(bits, keywords);
    }

    /** The bit of a system flag name, 0 for a keyword. A "\Other" name is rejected. */
    public static int systemBit(String name) {
        if (name.startsWith("\\")) {
            for (int i = 0; i < SYSTEM_NAMES.length; i++) {
                if (SYSTEM_NAMES[i].equalsIgnoreCase(name)) return 1 << i;
            }
            throw new IllegalArgumentException("not a storable system flag: " + name);
        }
        return 0;
    }

    public boolean has(int bit) {
        return (system & bit) == bit;
    }

    public boolean hasKeyword(String keyword) {
        for (String k : keywords) if (k.equalsIgnoreCase(keyword)) return true;
        return false;
    }

    public boolean isEmpty() {
        return system == 0 && keywords.isEmpty();
    }

    public Flags with(Flags more) {
        List<String> all = new ArrayList<>(keywords);
        all.addAll(more.keywords);
        return new Flags(system | more.system, all);
    }

    public Flags without(Flags less) {
        List<String> kept = new ArrayList<>();
        for (String k : keywords) if (!less.hasKeyword(k)) kept.add(k);
        return new Flags(system & ~less.system, kept);
    }

    /** All flag names, system flags first, as IMAP lists them. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < SYSTEM_NAMES.length; i++) if ((system & (1 << i)) != 0) names.add(SYSTEM_NAMES[i]);
        names.addAll(keywords);
        return names;
    }

    /** Keywords joined by spaces (null when there are none): their form in the index. */
    public String keywordText() {
        return keywords.isEmpty() ? null : String.join(" ", keywords);
    }

    public static Flags fromIndex(int system, String keywordText) {
        return new Flags(system, keywordText == null || keywordText.isEmpty() ? List.of() : List.of(keywordText.split(" ")));
    }

    /**
     * Checks a keyword: an IMAP atom (RFC 9051 "flag-keyword") without the characters that the
     * grammar excludes, so that every stored keyword can be written back on the wire.
     */
    public static void checkKeyword(String keyword) {
        if (keyword.isEmpty() || keyword.length() > MAX_KEYWORD_LENGTH) {
            throw new IllegalArgumentException("keyword must have 1 to " + MAX_KEYWORD_LENGTH + " characters");
        }
        for (int i = 0; i < keyword.length(); i++) {
            char c = keyword.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                throw new IllegalArgumentException("invalid character in keyword \"" + keyword + "\"");
            }
        }
    }

    /** Sorted without case, duplicates (in any case) dropped, each checked. */
    private static List<String> normalize(List<String> keywords) {
        if (keywords.isEmpty()) return List.of();
        TreeMap<String, String> byLower = new TreeMap<>();
        for (String k : keywords) {
            checkKeyword(k);
            byLower.putIfAbsent(k.toLowerCase(Locale.ROOT), k);
        }
        return List.copyOf(byLower.values());
    }

    @Override
    public String toString() {
        return "(" + String.join(" ", names()) + ")";
    }
}
