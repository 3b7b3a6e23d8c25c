package org.cartero.imap.search;

import java.text.Normalizer;

/**
 * The two collations SEARCH and SORT compare text with. SEARCH matches substrings without case
 * (RFC 9051 section 6.4.4) in the i;unicode-casemap collation (RFC 5051 section 2: the titlecase
 * of each character, and NFKD; here the titlecase is taken after decomposing, so that the
 * letters of a ligature fold too): "ÉTÉ" finds "été", and "FILE" finds "ﬁle". SORT and THREAD
 * compare with i;ascii-casemap (RFC 5256 section 7, RFC 4790 section 9.2): only a-z fold, and
 * strings order by octet, which for UTF-8 is the order of code points.
 */
final class Casemap {

    private Casemap() {
    }

    /** The i;unicode-casemap canonical form of {@code text}: compare two such forms for equality or substrings. */
    static String fold(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) return foldUnicode(text);
        }
        return asciiUpper(text.toString());
    }

    /** NFKD, then titlecase: also after decomposing, so that a ligature's letters fold as letters do. */
    private static String foldUnicode(CharSequence text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        StringBuilder folded = new StringBuilder(decomposed.length());
        decomposed.codePoints().forEach(cp -> folded.appendCodePoint(Character.toTitleCase(cp)));
        return folded.toString();
    }

    /**
     * Whether a folded text may be cut before index {@code i} without changing what folding the
     * whole gives: not inside a surrogate pair, and not before a combining mark, which NFKD may
     * reorder with the marks before it.
     */
    static boolean isSafeCut(CharSequence text, int i) {
        char c = text.charAt(i);
        if (c < 0x300) return true;
        if (Character.isLowSurrogate(c)) return false;
        int type = Character.getType(Character.codePointAt(text, i));
        return type != Character.NON_SPACING_MARK && type != Character.ENCLOSING_MARK
                && type != Character.COMBINING_SPACING_MARK;
    }

    /** The i;ascii-casemap form of {@code text}: a-z as A-Z, nothing else changed; equal forms compare equal. */
    static String asciiUpper(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'a' && c <= 'z') {
                if (out == null) out = new StringBuilder(text);
                out.setCharAt(i, (char) (c - ('a' - 'A')));
            }
        }
        return out == null ? text : out.toString();
    }

    /** i;ascii-casemap: a-z as A-Z, then by code point; negative, zero or positive as for compareTo. */
    static int compareAscii(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                int fx = x >= 'a' && x <= 'z' ? x - ('a' - 'A') : x;
                int fy = y >= 'a' && y <= 'z' ? y - ('a' - 'A') : y;
                if (fx != fy) return Integer.compare(fx, fy);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
