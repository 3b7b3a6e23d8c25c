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
        pending.append(text);
        if (pending.isEmpty()) return false;
        // Fold all but what the next piece could still change: from the last starter on, unless
        // the piece ends in ASCII, which no combining mark that follows can reorder with.
        int cut = pending.length();
        if (pending.charAt(cut - 1) >= 0x80) {
            cut--;
            while (cut > 0 && !Casemap.isSafeCut(pending, cut)) cut--;
            if (cut == 0 && pending.length() > MAX_PENDING) cut = pending.length();
        }
        if (cut > 0) {
            search(Casemap.fold(pending.subSequence(0, cut)));
            pending.delete(0, cut);
        }
        return found;
    }

    /** Ends one text (a header field block, a body part): what follows does not continue it. */
    @Override
    public boolean endText() {
        if (!found && !pending.isEmpty()) search(Casemap.fold(pending));
        pending.setLength(0);
        window.setLength(0);
        return found;
    }

    boolean found() {
        return found;
    }

    private void search(String folded) {
        window.append(folded);
        if (window.indexOf(needle) >= 0) {
            found = true;
            return;
        }
        int keep = needle.length() - 1;
        if (window.length() > keep) window.delete(0, window.length() - keep);
    }
}
