package org.cartero.imap.search;

/**
 * Looks for a search string in text that arrives in pieces (a body part decoded a buffer at a
 * time), in the {@link Casemap#fold folded} form, so memory stays bounded by the buffer and the
 * string whatever the size of the text. A match may span pieces but not {@link #endText texts}:
 * as in Dovecot, a string is looked for in each body part and each header on its own.
 */
final class TextScanner implements SearchableMessage.TextSink {
    /** Unfolded text held back when no safe cut is found sooner (a run of combining marks). */
    private static final int MAX_PENDING = 4096;

    private final String needle;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder window = new StringBuilder();
    private char[] ascii = new char[0];
    private boolean found;

    /** @param needle the search string, folded */
    TextScanner(String needle) {
        this.needle = needle;
        this.found = needle.isEmpty();
    }

    /** Adds text; returns whether the string has been found (nothing more need be fed then). */
    @Override
    public boolean text(CharSequence text) {
        if (found) return true;
        int i = 0;
        if (pending.isEmpty()) {
            // ASCII, the common case, folds a character at a time: a combining mark after an
            // ASCII letter does not change how the letter folds.
            int length = text.length();
            if (ascii.length < length) ascii = new char[length];
            for (char c; i < length && (c = text.charAt(i)) < 0x80; i++) {
                ascii[i] = c >= 'a' && c <= 'z' ? (char) (c - ('a' - 'A')) : c;
            }
            window.append(ascii, 0, i);
            if (searchWindow() || i == text.length()) return found;
        }
        pending.append(text, i, text.length());
        // Fold all but what the next piece could still change: from the last starter on, unless
        // the piece ends in ASCII.
        int cut = pending.length();
        if (pending.charAt(cut - 1) >= 0x80) {
            cut--;
            while (cut > 0 && !Casemap.isSafeCut(pending, cut)) cut--;
            if (cut == 0 && pending.length() > MAX_PENDING) cut = pending.length();
        }
        if (cut > 0) {
            window.append(Casemap.fold(pending.subSequence(0, cut)));
            pending.delete(0, cut);
            searchWindow();
        }
        return found;
    }

    /** Ends one text (a header field block, a body part): what follows does not continue it. */
    @Override
    public boolean endText() {
        if (!found && !pending.isEmpty()) {
            window.append(Casemap.fold(pending));
            searchWindow();
        }
        pending.setLength(0);
        window.setLength(0);
        return found;
    }

    boolean found() {
        return found;
    }

    /** Looks for the string in the folded text, then keeps only the end a match could still start in. */
    private boolean searchWindow() {
        if (window.indexOf(needle) >= 0) {
            found = true;
            return true;
        }
        int keep = needle.length() - 1;
        if (window.length() > keep) window.delete(0, window.length() - keep);
        return false;
    }
}
