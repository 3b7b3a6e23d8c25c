package org.cartero.imap.search;

/**
 * The base subject of RFC 5256 section 2.1, which SORT SUBJECT and both THREAD algorithms
 * compare, and whether extracting it showed the message to be a reply or forward (as
 * BASE.6.4.THREAD defines it for REFERENCES: a subj-refwd, a "(fwd)" subj-trailer, or a subj-fwd-hdr and subj-fwd-trl was removed).
 *
 * @param text the base subject, case kept (compare with {@link Casemap#compareAscii})
 */
record BaseSubject(String text, boolean isReplyOrForward) {

    /** Extracts the base subject of a Subject field value as written (encoded words not yet decoded); null is "". */
    static BaseSubject of(String subject) {
        if (subject == null) return new BaseSubject("", false);
        // (1) decode encoded words, tabs and continuations to spaces, runs of spaces to one
        String s = spacesCollapsed(HeaderText.decode(subject));
        boolean replyOrForward = false;
        int start = 0;
        int end = s.length();
        while (true) {
            // (2) trailing subj-trailer = "(fwd)" / WSP, as long as there is one
            while (end > start) {
                if (s.charAt(end - 1) == ' ') {
                    end--;
                } else if (startsWith(s, end - 5, end, "(fwd)") && end - 5 >= start) {
                    end -= 5;
                    replyOrForward = true;
                } else {
                    break;
                }
            }
            // (3) a subj-leader, (4) a subj-blob if something is left after it, (5) until neither
            boolean removed = true;
            while (removed) {
                removed = false;
                int leader = leader(s, start, end);
                if (leader > start) {
                    replyOrForward |= s.charAt(start) != ' ';
                    start = leader;
                    removed = true;
                }
                int blob = blob(s, start, end);
                if (blob > start && blob < end) {
                    start = blob;
                    removed = true;
                }
            }
            // (6) subj-fwd-hdr "[fwd:" and subj-fwd-trl "]" around the rest: remove them, back to (2)
            if (end - start >= 6 && startsWith(s, start, end, "[fwd:") && s.charAt(end - 1) == ']') {
                start += 5;
                end--;
                replyOrForward = true;
                continue;
            }
            // (7)
            return new BaseSubject(s.substring(start, end), replyOrForward);
        }
    }

    private static String spacesCollapsed(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (!space) out.append(' ');
                space = true;
            } else {
                out.append(c);
                space = false;
            }
        }
        return out.toString();
    }

    /**
     * Where a subj-leader starting at {@code i} ends: subj-leader = (*subj-blob subj-refwd) / WSP,
     * subj-refwd = ("re" / ("fw" ["d"])) *WSP [subj-blob] ":"; {@code i} when there is none.
     */
    private static int leader(String s, int i, int end) {
        if (i < end && s.charAt(i) == ' ') return i + 1;
        int p = i;
        while (p < end && s.charAt(p) == '[') {
            int blob = blob(s, p, end);
            if (blob == p) return i;
            p = blob;
        }
        if (startsWith(s, p, end, "re")) {
            p += 2;
        } else if (startsWith(s, p, end, "fwd")) {
            p += 3;
        } else if (startsWith(s, p, end, "fw")) {
            p += 2;
        } else {
            return i;
        }
        if (p < end && s.charAt(p) == ' ') p++;
        if (p < end && s.charAt(p) == '[') {
            int blob = blob(s, p, end);
            if (blob == p) return i;
            p = blob;
        }
        return p < end && s.charAt(p) == ':' ? p + 1 : i;
    }

    /** Where a subj-blob ("[" *BLOBCHAR "]" *WSP, BLOBCHAR any but "[" and "]") starting at {@code i} ends, or {@code i}. */
    private static int blob(String s, int i, int end) {
        if (i >= end || s.charAt(i) != '[') return i;
        int p = i + 1;
        while (p < end && s.charAt(p) != '[' && s.charAt(p) != ']') p++;
        if (p >= end || s.charAt(p) != ']') return i;
        p++;
        if (p < end && s.charAt(p) == ' ') p++;
        return p;
    }

    /** Whether {@code word} (ASCII, any case) is at {@code i}, before {@code end}. */
    private static boolean startsWith(String s, int i, int end, String word) {
        return i >= 0 && i + word.length() <= end && s.regionMatches(true, i, word, 0, word.length());
    }
}
