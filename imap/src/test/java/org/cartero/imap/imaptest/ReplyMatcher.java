package org.cartero.imap.imaptest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what the server sent with what a script expects, with imaptest's rules:
 * <ul>
 * <li>strings compare ASCII case-insensitively, except inside {@code ${case:...}};</li>
 * <li>{@code $name} or {@code ${name}} takes its value from the reply the first time and must
 * equal it (exactly) afterwards; {@code $} alone matches anything, a list too;</li>
 * <li>{@code $n} is message n at the start of the current command, renumbered by the EXPUNGEs
 * seen since;</li>
 * <li>{@code $modseqN} values must grow at least as fast as their numbers;</li>
 * <li>{@code $$} is a literal dollar; {@code $]} skips arguments up to one containing ']';</li>
 * <li>lists match in order with no extras unless their {@code $!} directives say otherwise.</li>
 * </ul>
 * Variables bound by a reply that finally does not match are forgotten again
 * ({@link #revertMatch()}), except {@code $modseqN}.
 */
final class ReplyMatcher {
    /** A full match; anything else is how many arguments matched before the first difference. */
    static final int FULL = Integer.MAX_VALUE;
    private static final String TAG_VARIABLE = "tag";

    private final boolean modseqRules;
    private final Map<String, String> variables = new HashMap<>();
    private final List<String> bound = new ArrayList<>();
    private long highestModseqIndex;
    private long highestModseqValue;
    /** Message number at the start of the command (index + 1) to its number now; 0 = expunged. */
    private long[] sequenceMap = new long[0];

    /** @param modseqRules whether $modseqN variables follow the modseq rules ({@link Script#modseqRules()}) */
    ReplyMatcher(boolean modseqRules) {
        this.modseqRules = modseqRules;
    }

    void define(String name, String value) {
        variables.put(name, value);
    }

    String value(String name) {
        return variables.get(name);
    }

    /** Sets {@code $tag} to the tag of the command whose replies are being matched. */
    void setTag(String tag) {
        variables.put(TAG_VARIABLE, tag);
    }

    void clearTag() {
        variables.remove(TAG_VARIABLE);
    }

    /** A new command starts with {@code messages} messages: $1..$n are themselves again. */
    void resetSequences(int messages) {
        sequenceMap = new long[messages];
        for (int i = 0; i < messages; i++) {
            sequenceMap[i] = i + 1;
        }
    }

    /** An EXPUNGE of message {@code seq}: later messages move down by one. */
    void expunged(long seq) {
        if (seq > sequenceMap.length) {
            return;
        }
        for (int i = (int) seq - 1; i < sequenceMap.length; i++) {
            if (sequenceMap[i] == seq) {
                sequenceMap[i] = 0;
            } else if (sequenceMap[i] > seq) {
                sequenceMap[i]--;
            }
        }
    }

    /** Keeps the variables bound since the last commit or revert. */
    void commitMatch() {
        bound.clear();
    }

    /** Forgets the variables bound since the last commit or revert. */
    void revertMatch() {
        bound.forEach(variables::remove);
        bound.clear();
    }

    /**
     * Expands the variables of a command line or of a line shown in a report.
     *
     * @param keepUnbound write unbound variables as "$" instead of failing
     * @throws UnboundVariableException for an unbound variable when {@code keepUnbound} is false
     */
    String expand(String line, boolean keepUnbound) throws UnboundVariableException {
        int first = line.indexOf('$');
        if (first < 0) {
            return line;
        }
        StringBuilder out = new StringBuilder(line.length() + 32).append(line, 0, first);
        int i = first;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c != '$' || i == line.length() - 1) {
                out.append(c);
                i++;
                continue;
            }
            i++;
            char next = line.charAt(i);
            if (next == '$') {
                out.append('$');
                i++;
            } else if (next == '!') {
                // a $!directive is dropped, up to the following space
                while (i + 1 < line.length() && line.charAt(i + 1) != ' ') {
                    i++;
                }
                i++;
            } else {
                Reference reference = reference(line, i);
                if (reference == null) {
                    throw new UnboundVariableException("Missing '}'");
                }
                String name = reference.name();
                i = reference.end();
                String value = Text.parseUint32(name) >= 0 ? relativeSequence(name) : variables.get(name);
                if (value == null) {
                    if (!keepUnbound) {
                        throw new UnboundVariableException("Uninitialized variable: " + name);
                    }
                    value = "$";
                }
                out.append(value);
            }
        }
        return out.toString();
    }

    /** A variable reference after its '$': the name and where the reference ends. */
    private record Reference(String name, int end) {
    }

    /** {@code {name}} or a run of variable characters at {@code start}; null for an unclosed '{'. */
    private static Reference reference(String text, int start) {
        if (start < text.length() && text.charAt(start) == '{') {
            int close = text.indexOf('}', start + 1);
            return close < 0 ? null : new Reference(text.substring(start + 1, close), close + 1);
        }
        int end = start;
        while (end < text.length() && Text.isVariableChar(text.charAt(end))) {
            end++;
        }
        return new Reference(text.substring(start, end), end);
    }

    private String relativeSequence(String number) {
        long seq = Text.parseUint32(number);
        if (seq == 0) {
            return "<zero seq>";
        }
        if (seq > sequenceMap.length) {
            return "<out of range>";
        }
        long now = sequenceMap[(int) seq - 1];
        return now == 0 ? "<expunged>" : Long.toString(now);
    }

    /**
     * Matches expected arguments against received ones.
     *
     * @param prefix the last expected argument need only be a prefix and more arguments may
     *        follow (tagged replies and untagged OK/NO/BAD/BYE, whose text is free)
     * @return {@link #FULL}, or how many arguments matched
     */
    int match(List<ImapArg> expected, List<ImapArg> received, boolean prefix) {
        return matchArgs(expected, 0, received, 0, FULL, prefix);
    }

    private int matchArgs(List<ImapArg> expected, int from, List<ImapArg> received, int receivedFrom,
                          int max, boolean prefix) {
        int matched = 0;
        int e = from;
        int r = receivedFrom;
        for (; e < expected.size() && max > 0; e++, r++, max--) {
            ImapArg want = expected.get(e);
            ImapArg got = r < received.size() ? received.get(r) : null;
            switch (want) {
                case ImapArg.Nil nil -> {
                    if (!(got instanceof ImapArg.Nil)) {
                        return matched;
                    }
                }
                case ImapArg.ArgList list -> {
                    if (!(got instanceof ImapArg.ArgList gotList)) {
                        return matched;
                    }
                    int sub = matchList(list.items(), gotList.items());
                    if (sub != FULL) {
                        return matched + sub;
                    }
                }
                case ImapArg.Atom atom -> {
                    if (atom.text().equals("$]")) {
                        r = skipToBracket(received, r);
                    } else if (!matchText(atom.text(), got, prefix && e + 1 == expected.size())) {
                        return matched;
                    }
                }
                case ImapArg.Str str -> {
                    if (!matchText(str.text(), got, prefix && e + 1 == expected.size())) {
                        return matched;
                    }
                }
            }
            matched++;
        }
        return prefix || r >= received.size() || max == 0 ? FULL : matched;
    }

    /**
     * "$]" covers the received arguments up to the first atom containing ']', e.g. the list in
     * {@code * OK [CAPABILITY $] ...}.
     */
    private static int skipToBracket(List<ImapArg> received, int r) {
        while (r < received.size() && received.get(r).atom() != null && received.get(r).atom().indexOf(']') < 0) {
            r++;
        }
        return r;
    }

    private boolean matchText(String writtenPattern, ImapArg got, boolean asPrefix) {
        if (writtenPattern.equals("$") && got instanceof ImapArg.ArgList) {
            return true;
        }
        String received = got == null ? null : got.astring();
        if (received == null) {
            return false;
        }
        // imaptest compares C strings: both sides end at a NUL byte (append-binary relies on it)
        String pattern = upToNul(writtenPattern);
        String text = upToNul(received);
        Expansion expansion = expandAgainst(pattern, 0, text, 0);
        if (expansion == null) {
            return false;
        }
        String want = expansion.text();
        if (asPrefix) {
            return expansion.ignoreCase() ? Text.startsWithIgnoreCase(text, want) : text.startsWith(want);
        }
        return expansion.ignoreCase() ? Text.equalsIgnoreCase(text, want) : text.equals(want);
    }

    private static String upToNul(String text) {
        int nul = text.indexOf('\0');
        return nul < 0 ? text : text.substring(0, nul);
    }

    private int matchList(List<ImapArg> expected, List<ImapArg> received) {
        boolean unordered = false;
        int chain = 1;
        int noExtra = -1;
        List<String> ignores = new ArrayList<>();
        List<String> bans = new ArrayList<>();
        int start = 0;
        for (; start < expected.size(); start++) {
            String atom = expected.get(start).atom();
            if (atom == null || !atom.startsWith(ListDirectives.PREFIX)) {
                break;
            }
            String directive = atom.substring(ListDirectives.PREFIX.length());
            if (directive.startsWith("unordered")) {
                unordered = true;
                if (noExtra == -1) {
                    noExtra = 0;
                }
                if (directive.length() > "unordered".length()) {
                    chain = (int) Text.leadingNumber(directive.substring("unordered=".length()));
                }
            } else if (directive.equals("ordered")) {
                unordered = false;
            } else if (directive.equals("extra")) {
                noExtra = 0;
            } else if (directive.equals("noextra")) {
                noExtra = 1;
            } else if (directive.startsWith("ignore=")) {
                ignores.add(directive.substring("ignore=".length()));
            } else if (directive.startsWith("ban=")) {
                bans.add(directive.substring("ban=".length()));
            }
        }
        if (noExtra == -1) {
            noExtra = 1;
        }
        if (!unordered) {
            return matchArgs(expected, start, received, 0, FULL, false);
        }
        if ((expected.size() - start) % chain != 0) {
            throw new IllegalStateException("expected list does not divide into chains of " + chain
                    + ": " + ImapArg.render(expected));
        }
        int count = received.size();
        if (count % chain != 0) {
            return 0;
        }
        boolean[] used = new boolean[count];
        int matched = 0;
        for (int e = start; e < expected.size(); e += chain, matched++) {
            int r = 0;
            while (r < count && matchArgs(expected, e, received, r, chain, false) != FULL) {
                r += chain;
            }
            if (r >= count) {
                return matched;
            }
            used[r] = true;
        }
        for (int r = 0; r < count; r += chain) {
            String text = received.get(r).astring();
            if (used[r] || text == null) {
                continue;
            }
            boolean listed = (noExtra > 0 ? ignores : bans).stream().anyMatch(s -> Text.equalsIgnoreCase(s, text));
            if (noExtra > 0 && !listed || noExtra == 0 && listed) {
                return matched;
            }
        }
        return FULL;
    }

    private record Expansion(String text, boolean ignoreCase) {
    }

    /**
     * test_expand_input(): expands {@code pattern} while reading {@code input}, binding unbound
     * variables to the input they cover. Null when the input cannot match.
     */
    private Expansion expandAgainst(String pattern, int p, String input, int i) {
        boolean ignoreCase = true;
        StringBuilder out = new StringBuilder();
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c != '$' || p + 1 < pattern.length() && pattern.charAt(p + 1) == '$') {
                if (c == '$') {
                    p++;
                }
                char want = pattern.charAt(p);
                if (i >= input.length() || Text.asciiUpper(want) != Text.asciiUpper(input.charAt(i))) {
                    return null;
                }
                i++;
                out.append(want);
                p++;
                continue;
            }
            p++;
            Reference reference = reference(pattern, p);
            if (reference == null) {
                return new Expansion("", true);
            }
            String name = reference.name();
            p = reference.end();
            String value;
            if (Text.parseUint32(name) >= 0) {
                value = relativeSequence(name);
            } else if (name.startsWith("case:")) {
                ignoreCase = false;
                value = name.substring("case:".length());
            } else {
                value = name.isEmpty() ? null : variables.get(name);
                if (value == null) {
                    value = bind(name, pattern, p, input, i);
                    if (value == null) {
                        return null;
                    }
                }
            }
            out.append(value);
            for (int v = 0; v < value.length(); v++, i++) {
                if (i >= input.length() || input.charAt(i) != value.charAt(v)) {
                    return null;
                }
            }
        }
        return new Expansion(out.toString(), ignoreCase);
    }

    /**
     * The value an unbound variable takes: the input up to the first character that can start
     * what follows the variable in the pattern (only that first character is looked at).
     */
    private String bind(String name, String pattern, int rest, String input, int i) {
        String following;
        boolean followingIgnoresCase = true;
        if (rest >= pattern.length() || pattern.charAt(rest) != '$') {
            following = pattern.substring(rest);
        } else {
            Expansion expansion = expandAgainst(pattern, rest, input, i);
            if (expansion == null) {
                return null;
            }
            following = expansion.text();
            followingIgnoresCase = expansion.ignoreCase();
        }
        int end = i;
        if (following.isEmpty()) {
            end = input.length();
        } else {
            char stop = following.charAt(0);
            while (end < input.length() && (followingIgnoresCase
                    ? Text.asciiUpper(input.charAt(end)) != Text.asciiUpper(stop) : input.charAt(end) != stop)) {
                end++;
            }
        }
        String value = input.substring(i, end);
        if (name.isEmpty()) {
            return value;
        }
        long modseqIndex = modseqRules && name.startsWith("modseq") ? Text.parseUint32(name.substring("modseq".length())) : -1;
        if (modseqIndex >= 0) {
            // $modseqN stays bound even when the reply does not match, so that a report shows
            // which rule the value broke.
            value = checkedModseq(modseqIndex, value);
            variables.put(name, value);
            return value;
        }
        variables.put(name, value);
        bound.add(name);
        return value;
    }

    /**
     * $modseqN values must rise at least by the difference of their numbers: after $modseq2 = 10,
     * $modseq5 must be at least 13. A value breaking the rule becomes a text that matches nothing.
     */
    private String checkedModseq(long index, String value) {
        long modseq;
        try {
            modseq = Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            return "$modseq-not-number";
        }
        if (highestModseqIndex > index) {
            return "$modseq-order-mismatch";
        }
        long atLeast = highestModseqValue + (index - highestModseqIndex);
        String result = value;
        if (Long.compareUnsigned(modseq, atLeast) < 0) {
            result = "$modseq-at-least-" + Long.toUnsignedString(atLeast);
            modseq = atLeast;
        }
        highestModseqIndex = index;
        highestModseqValue = modseq;
        return result;
    }

    /** A variable a command needs has no value yet. */
    static final class UnboundVariableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnboundVariableException(String message) {
            super(message);
        }
    }
}
