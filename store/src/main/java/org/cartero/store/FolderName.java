package org.cartero.store;

import java.util.List;
import java.util.Locale;

/**
 * The rules for folder names that every backend shares. Names are Unicode with "/" separating
 * hierarchy levels (RFC 9051 section 5.1); "INBOX" is matched without case (section 5.1) and
 * always written "INBOX". A name from a client is checked before any use, so that no name can
 * reach outside the account's storage: no empty level (so no leading, trailing or doubled "/"),
 * no "." or ".." level, no control characters (NUL included), no unpaired surrogates, and
 * bounded lengths.
 */
public final class FolderName {
    public static final String INBOX = "INBOX";
    public static final char SEPARATOR = '/';
    private static final int MAX_LENGTH = 512;
    private static final int MAX_LEVEL_LENGTH = 200;
    private static final int MAX_DEPTH = 32;

    private FolderName() {}

    /** Checks a name and returns its canonical form ("inbox/x" becomes "INBOX/x"). */
    public static String normalize(String name) throws InvalidFolderNameException {
        if (name == null || name.isEmpty()) throw new InvalidFolderNameException("", "empty name");
        if (name.length() > MAX_LENGTH) throw new InvalidFolderNameException(name, "longer than " + MAX_LENGTH + " characters");
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                throw new InvalidFolderNameException(name, "control character");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= name.length() || !Character.isLowSurrogate(name.charAt(i + 1))) {
                    throw new InvalidFolderNameException(name, "invalid Unicode");
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                throw new InvalidFolderNameException(name, "invalid Unicode");
            }
        }
        List<String> levels = List.of(name.split("/", -1));
        if (levels.size() > MAX_DEPTH) throw new InvalidFolderNameException(name, "more than " + MAX_DEPTH + " levels");
        for (String level : levels) {
            if (level.isEmpty()) throw new InvalidFolderNameException(name, "empty hierarchy level");
            if (level.equals(".") || level.equals("..")) throw new InvalidFolderNameException(name, "\"" + level + "\" is not a folder name");
            if (level.length() > MAX_LEVEL_LENGTH) throw new InvalidFolderNameException(name, "level longer than " + MAX_LEVEL_LENGTH);
            if (!level.strip().equals(level)) throw new InvalidFolderNameException(name, "level begins or ends with white space");
        }
        if (levels.get(0).toUpperCase(Locale.ROOT).equals(INBOX)) {
            return levels.size() == 1 ? INBOX : INBOX + name.substring(levels.get(0).length());
        }
        return name;
    }

    public static boolean isInbox(String normalized) {
        return normalized.equals(INBOX);
    }

    /** The parent's name, or null for a top-level folder. */
    public static String parent(String normalized) {
        int slash = normalized.lastIndexOf(SEPARATOR);
        return slash < 0 ? null : normalized.substring(0, slash);
    }

    /** True when {@code name} is {@code ancestor} or lies below it. */
    public static boolean isSelfOrDescendant(String name, String ancestor) {
        return name.equals(ancestor) || name.startsWith(ancestor + SEPARATOR);
    }
}
