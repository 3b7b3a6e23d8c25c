package org.cartero.store.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cartero.store.Flags;
import org.cartero.store.files.Ownership;

/**
 * Keywords in Maildir file names, as Dovecot keeps them: the folder's {@code dovecot-keywords}
 * file numbers keywords ("0 $Forwarded"), and keyword n is the letter 'a' + n after ":2,".
 * Only 26 fit; further keywords live in the index alone (as in Dovecot). Sharing Dovecot's file
 * means a Maildir moved between Dovecot and Cartero keeps its keywords both ways.
 *
 * <p>Letters of the name that Cartero does not manage (an upper-case flag such as P "passed",
 * a lower-case letter with no keyword) are kept when flags change, so nothing another program
 * set is lost.
 */
public final class KeywordLetters {
    public static final String FILE = "dovecot-keywords";
    private static final String SYSTEM_LETTERS = "DFRST";

    private final String[] byIndex = new String[26];

    private KeywordLetters() {}

    public static KeywordLetters load(Path folderDir) throws IOException {
        KeywordLetters k = new KeywordLetters();
        List<String> lines;
        try {
            lines = Files.readAllLines(folderDir.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return k;
        }
        for (String line : lines) {
            int space = line.indexOf(' ');
            if (space <= 0) continue;
            try {
                int n = Integer.parseInt(line.substring(0, space));
                String keyword = line.substring(space + 1);
                if (n >= 0 && n < 26 && !keyword.isEmpty()) {
                    Flags.checkKeyword(keyword);
                    k.byIndex[n] = keyword;
                }
            } catch (IllegalArgumentException e) {
                // a line we cannot use is skipped, as Dovecot does
            }
        }
        return k;
    }

    /** Flags as a name's info letters say. */
    public Flags flags(String info) {
        if (info == null) return Flags.NONE;
        int bits = 0;
        List<String> keywords = new ArrayList<>();
        for (int i = 0; i < info.length(); i++) {
            char c = info.charAt(i);
            switch (c) {
                case 'D' -> bits |= Flags.DRAFT;
                case 'F' -> bits |= Flags.FLAGGED;
                case 'R' -> bits |= Flags.ANSWERED;
                case 'S' -> bits |= Flags.SEEN;
                case 'T' -> bits |= Flags.DELETED;
                default -> {
                    if (c >= 'a' && c <= 'z' && byIndex[c - 'a'] != null) keywords.add(byIndex[c - 'a']);
                }
            }
        }
        return new Flags(bits, keywords);
    }

    /**
     * The info letters for {@code flags}, keeping the letters of {@code oldInfo} that are not
     * Cartero's to manage. Keywords without a letter get one if any is free, which rewrites the
     * keywords file (atomically); the caller holds the index write lock, so writers do not race.
     */
    public String info(Flags flags, String oldInfo, Path folderDir, Ownership owner) throws IOException {
        StringBuilder letters = new StringBuilder();
        if (flags.has(Flags.DRAFT)) letters.append('D');
        if (flags.has(Flags.FLAGGED)) letters.append('F');
        if (flags.has(Flags.ANSWERED)) letters.append('R');
        if (flags.has(Flags.SEEN)) letters.append('S');
        if (flags.has(Flags.DELETED)) letters.append('T');
        for (String keyword : flags.keywords()) {
            int n = indexOf(keyword);
            if (n < 0) n = assign(keyword, folderDir, owner);
            if (n >= 0) letters.append((char) ('a' + n));
        }
        if (oldInfo != null) {
            for (int i = 0; i < oldInfo.length(); i++) {
                char c = oldInfo.charAt(i);
                boolean managed = SYSTEM_LETTERS.indexOf(c) >= 0 || (c >= 'a' && c <= 'z' && byIndex[c - 'a'] != null);
                if (!managed && c > ' ' && c < 0x7f && letters.indexOf(String.valueOf(c)) < 0) letters.append(c);
            }
        }
        char[] sorted = letters.toString().toCharArray();
        Arrays.sort(sorted);
        return new String(sorted);
    }

    private int indexOf(String keyword) {
        for (int i = 0; i < 26; i++) if (byIndex[i] != null && byIndex[i].equalsIgnoreCase(keyword)) return i;
        return -1;
    }

    private int assign(String keyword, Path folderDir, Ownership owner) throws IOException {
        for (int i = 0; i < 26; i++) {
            if (byIndex[i] == null) {
                byIndex[i] = keyword;
                save(folderDir, owner);
                return i;
            }
        }
        return -1;
    }

    private void save(Path folderDir, Ownership owner) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 26; i++) if (byIndex[i] != null) sb.append(i).append(' ').append(byIndex[i]).append('\n');
        Path tmp = folderDir.resolve(FILE + ".tmp" + ProcessHandle.current().pid());
        Files.writeString(tmp, sb, StandardCharsets.UTF_8);
        owner.applyToFile(tmp);
        Files.move(tmp, folderDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
