package org.cartero.core.directory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.cartero.core.mail.MailAddress;

/**
 * The aliases file of the local domains, in the sendmail format that Postfix and Exim read too
 * (aliases(5)): {@code name: target, target}. A logical line starts with a non-blank character
 * and goes on over the following lines that start with white space; lines whose first
 * non-blank character is {@code #} and blank lines are ignored. Targets are local names
 * ({@code alice}, or {@code \alice} to stop further alias expansion), addresses
 * ({@code bob@example.org}) and {@code :include:/path} (a file of further targets). Pipes to a
 * command ({@code |cmd}) and deliveries to a file ({@code /path}) are not supported: they are
 * left out with a warning, as are lines that cannot be understood.
 *
 * @param aliases   every alias name (lower case) and its targets, in file order
 * @param warnings  what was left out and why, each starting with "file:line: "
 * @param filesRead the file and every included file (also the missing ones), so that a change
 *                  to any of them can be noticed
 */
record AliasesFile(Map<String, List<AliasTarget>> aliases, List<String> warnings, Set<Path> filesRead) {

    /** One target of an alias. */
    sealed interface AliasTarget {
        /** A local name, looked up in the same local domain; {@code literal} for {@code \name}: no alias expansion. */
        record LocalName(String name, boolean literal) implements AliasTarget {}

        record Address(MailAddress address) implements AliasTarget {}
    }

    /** Included files may include others, up to this depth. */
    private static final int MAX_INCLUDE_DEPTH = 8;

    static AliasesFile empty(Path file) {
        return new AliasesFile(Map.of(), List.of(), Set.of(file));
    }

    /** Reads {@code file} and the files it includes; a missing file has no aliases. */
    static AliasesFile load(Path file) throws IOException {
        Parser parser = new Parser(file);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return empty(file);
        }
        parser.parseAliases(text);
        return new AliasesFile(parser.aliases, List.copyOf(parser.warnings), Set.copyOf(parser.filesRead));
    }

    private static final class Parser {
        private final Path file;
        private final Map<String, List<AliasTarget>> aliases = new LinkedHashMap<>();
        private final List<String> warnings = new ArrayList<>();
        private final Set<Path> filesRead = new LinkedHashSet<>();

        Parser(Path file) {
            this.file = file;
            filesRead.add(file);
        }

        void parseAliases(String text) {
            String[] lines = text.split("\r?\n", -1);
            StringBuilder logical = null;
            int logicalLine = 0;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                String stripped = line.strip();
                if (stripped.isEmpty() || stripped.startsWith("#")) continue;
                if (Character.isWhitespace(line.charAt(0))) {
                    if (logical == null) {
                        warn(file, i + 1, "continuation line without an alias before it");
                    } else {
                        logical.append(' ').append(stripped);
                    }
                    continue;
                }
                if (logical != null) parseEntry(logical.toString(), logicalLine);
                logical = new StringBuilder(line.stripTrailing());
                logicalLine = i + 1;
            }
            if (logical != null) parseEntry(logical.toString(), logicalLine);
        }

        private void parseEntry(String entry, int line) {
            String name;
            String rest;
            if (entry.startsWith("\"")) {
                int close = entry.indexOf('"', 1);
                int colon = close < 0 ? -1 : entry.indexOf(':', close);
                if (colon < 0 || !entry.substring(close + 1, colon).isBlank()) {
                    warn(file, line, "expected \"name\": targets");
                    return;
                }
                name = entry.substring(1, close);
                rest = entry.substring(colon + 1);
            } else {
                int colon = entry.indexOf(':');
                if (colon < 0) {
                    warn(file, line, "expected name: targets, found no colon");
                    return;
                }
                name = entry.substring(0, colon).strip();
                rest = entry.substring(colon + 1);
            }
            name = name.toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                warn(file, line, "empty alias name");
                return;
            }
            if (aliases.containsKey(name)) {
                warn(file, line, "duplicate alias \"" + name + "\" ignored (the first one counts)");
                return;
            }
            List<AliasTarget> targets = new ArrayList<>();
            addTargets(rest, file, line, targets, new HashSet<>(), 0);
            aliases.put(name, List.copyOf(targets));
        }

        private void addTargets(String list, Path source, int line, List<AliasTarget> targets,
                                Set<Path> including, int depth) {
            for (String item : splitList(list)) {
                String value = unquote(item.strip());
                if (value.isEmpty()) continue;
                if (value.regionMatches(true, 0, ":include:", 0, 9)) {
                    include(value.substring(9).strip(), source, line, targets, including, depth);
                } else if (value.startsWith("|")) {
                    warn(source, line, "pipe to a command is not supported, left out: " + value);
                } else if (value.startsWith("/")) {
                    warn(source, line, "delivery to a file is not supported, left out: " + value);
                } else if (value.startsWith("\\")) {
                    localName(value.substring(1), true, source, line, targets);
                } else if (value.contains("@")) {
                    try {
                        targets.add(new AliasTarget.Address(MailAddress.parse(value)));
                    } catch (IllegalArgumentException e) {
                        warn(source, line, "not an address, left out: " + value + " (" + e.getMessage() + ")");
                    }
                } else {
                    localName(value, false, source, line, targets);
                }
            }
        }

        private void localName(String name, boolean literal, Path source, int line, List<AliasTarget> targets) {
            try {
                MailAddress.parse(name + "@localhost");
                targets.add(new AliasTarget.LocalName(name.toLowerCase(Locale.ROOT), literal));
            } catch (IllegalArgumentException e) {
                warn(source, line, "not a local name, left out: " + name);
            }
        }

        private void include(String pathText, Path source, int line, List<AliasTarget> targets,
                             Set<Path> including, int depth) {
            Path path;
            try {
                path = Path.of(pathText);
            } catch (IllegalArgumentException e) {
                warn(source, line, "invalid :include: path " + pathText);
                return;
            }
            if (!path.isAbsolute()) {
                warn(source, line, ":include: needs an absolute path, left out: " + pathText);
                return;
            }
            path = path.normalize();
            if (depth >= MAX_INCLUDE_DEPTH || including.contains(path)) {
                warn(source, line, ":include: loop or nesting deeper than " + MAX_INCLUDE_DEPTH + ", left out: " + path);
                return;
            }
            filesRead.add(path);
            String[] lines;
            try {
                lines = Files.readString(path, StandardCharsets.UTF_8).split("\r?\n", -1);
            } catch (IOException e) {
                warn(source, line, "cannot read :include: file " + path + " (" + describe(e) + "), left out");
                return;
            }
            including.add(path);
            for (int i = 0; i < lines.length; i++) {
                String stripped = lines[i].strip();
                if (stripped.isEmpty() || stripped.startsWith("#")) continue;
                addTargets(stripped, path, i + 1, targets, including, depth + 1);
            }
            including.remove(path);
        }

        private void warn(Path source, int line, String problem) {
            warnings.add(source + ":" + line + ": " + problem);
        }
    }

    /** Splits at commas that are not inside double quotes. */
    private static List<String> splitList(String list) {
        List<String> items = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"') quoted = !quoted;
            if (c == ',' && !quoted) {
                items.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        items.add(current.toString());
        return items;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1).strip()
                : value;
    }

    private static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : e.getMessage();
    }
}
