package org.cartero.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.TomlArray;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;

/**
 * One table of the configuration file, read with typed getters that take a default. Every
 * getter remembers the key it read, so that {@link ConfigFile#rejectUnknownKeys()} can report
 * the keys nobody asked for. Errors carry the file, line and dotted key.
 */
public final class ConfigSection {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([kKmMgGtT]?)(i?[bB])?");

    private final Path file;
    private final Path baseDir;
    private final String name;
    private final TomlTable table; // null when the section is absent from the file
    private final Set<String> read = new TreeSet<>();
    private final Map<String, ConfigSection> children = new LinkedHashMap<>();

    ConfigSection(Path file, Path baseDir, String name, TomlTable table) {
        this.file = file;
        this.baseDir = baseDir;
        this.name = name;
        this.table = table;
    }

    /** The dotted name of this section ("" for the top level, "smtp.routes" for a nested one). */
    public String name() { return name; }

    /** The directory that relative paths are resolved against: the configuration file's. */
    public Path baseDir() { return baseDir; }

    public boolean isPresent() { return table != null; }

    public boolean has(String key) {
        return table != null && table.get(List.of(key)) != null;
    }

    /** The keys of this table in file order, all marked as read (for tables that are maps, like routes). */
    public List<String> keys() {
        if (table == null) return List.of();
        List<String> keys = new ArrayList<>(table.keySet());
        keys.sort((a, b) -> Integer.compare(line(a), line(b)));
        read.addAll(keys);
        return keys;
    }

    /** A nested table; an absent one reads as empty, so every getter returns its default. */
    public ConfigSection section(String key) throws ConfigException {
        ConfigSection child = children.get(key);
        if (child != null) return child;
        Object value = raw(key);
        if (value != null && !(value instanceof TomlTable)) {
            throw error(key, "expected a table [" + qualified(key) + "]");
        }
        child = new ConfigSection(file, baseDir, qualified(key), (TomlTable) value);
        children.put(key, child);
        return child;
    }

    public String string(String key, String defaultValue) throws ConfigException {
        Object value = raw(key);
        if (value == null) return defaultValue;
        if (!(value instanceof String s)) throw error(key, "expected a string, got " + describe(value));
        return s;
    }

    public String requiredString(String key) throws ConfigException {
        String value = string(key, null);
        if (value == null) throw error(key, "is required");
        return value;
    }

    /** A list of strings; a single string is accepted as a list of one. */
    public List<String> strings(String key, List<String> defaultValue) throws ConfigException {
        Object value = raw(key);
        if (value == null) return defaultValue;
        if (value instanceof String s) return List.of(s);
        if (!(value instanceof TomlArray array)) throw error(key, "expected a list of strings, got " + describe(value));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof String s)) {
                throw error(key, "expected a list of strings, item " + (i + 1) + " is " + describe(array.get(i)));
            }
            out.add(s);
        }
        return List.copyOf(out);
    }

    public long integer(String key, long defaultValue, long min, long max) throws ConfigException {
        Object value = raw(key);
        if (value == null) return defaultValue;
        if (!(value instanceof Long n)) throw error(key, "expected an integer, got " + describe(value));
        if (n < min || n > max) throw error(key, "must be between " + min + " and " + max + ", got " + n);
        return n;
    }

    public int integer(String key, int defaultValue, int min, int max) throws ConfigException {
        return (int) integer(key, (long) defaultValue, min, max);
    }

    public boolean bool(String key, boolean defaultValue) throws ConfigException {
        Object value = raw(key);
        if (value == null) return defaultValue;
        if (!(value instanceof Boolean b)) throw error(key, "expected true or false, got " + describe(value));
        return b;
    }

    /** A duration: "90s", "5m", "2h", "5d", "500ms", or an integer number of seconds. */
    public Duration duration(String key, Duration defaultValue) throws ConfigException {
        Object value = raw(key);
        if (value == null) return defaultValue;
        if (value instanceof Long seconds && seconds >= 0) return Duration.ofSeconds(seconds);
        if (value instanceof String s) {
            Matcher m = DURATION.matcher(s.trim());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        }
        throw error(key, "expected a duration such as \"30s\", \"5m\", \"2h\" or \"5d\", got " + describe(value));
    }

    /** A size in bytes: an integer, or "512K", "50M", "2G" (powers of 1024; "MB" and "MiB" mean the same). */
    public long size(String key, long defaultValue) throws ConfigException {
        Object value = raw(key);
        if (value == null) return defaultValue;
        if (value instanceof Long n && n >= 0) return n;
        if (value instanceof String s) {
            try {
                return parseSize(s);
            } catch (IllegalArgumentException e) {
                // fall through to the error that names the key
            }
        }
        throw error(key, "expected a size such as 1048576, \"512K\", \"50M\" or \"2G\", got " + describe(value));
    }

    /** Parses "512K", "50M", "2G", "1048576" (powers of 1024), as the configuration and the commands write sizes. */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) throw new IllegalArgumentException("expected a size such as 500M or 2G, got \"" + text + "\"");
        int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    /** A path; a relative one is resolved against the configuration file's directory. */
    public Path path(String key, Path defaultValue) throws ConfigException {
        String value = string(key, null);
        if (value == null) return defaultValue == null ? null : baseDir.resolve(defaultValue).normalize();
        if (value.isBlank()) throw error(key, "must not be empty");
        return baseDir.resolve(value).normalize();
    }

    /** A list of "host:port" listen or connect addresses; null when the key is absent. */
    public List<HostPort> addresses(String key) throws ConfigException {
        List<String> values = strings(key, null);
        if (values == null) return null;
        List<HostPort> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(HostPort.parse(v));
            } catch (IllegalArgumentException e) {
                throw error(key, e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    /** One "host:port" address; null when the key is absent. */
    public HostPort address(String key) throws ConfigException {
        String value = string(key, null);
        if (value == null) return null;
        try {
            return HostPort.parse(value);
        } catch (IllegalArgumentException e) {
            throw error(key, e.getMessage());
        }
    }

    /** An error about one key of this section, with that key's line when the file has it. */
    public ConfigException error(String key, String problem) {
        return new ConfigException(file, line(key), qualified(key), problem);
    }

    void rejectUnknownKeys() throws ConfigException {
        if (table == null) return;
        List<String> keys = new ArrayList<>(table.keySet());
        keys.sort((a, b) -> Integer.compare(line(a), line(b)));
        for (String key : keys) {
            if (!read.contains(key)) {
                boolean isTable = table.get(List.of(key)) instanceof TomlTable;
                throw error(key, isTable ? "unknown section" : "unknown key");
            }
            ConfigSection child = children.get(key);
            if (child != null) child.rejectUnknownKeys();
        }
    }

    private Object raw(String key) {
        read.add(key);
        return table == null ? null : table.get(List.of(key));
    }

    private int line(String key) {
        if (table == null) return 0;
        TomlPosition p = table.inputPositionOf(List.of(key));
        return p == null ? 0 : p.line();
    }

    private String qualified(String key) {
        return name.isEmpty() ? key : name + "." + key;
    }

    private static String describe(Object value) {
        if (value instanceof String s) return "\"" + s + "\"";
        if (value instanceof TomlArray) return "a list";
        if (value instanceof TomlTable) return "a table";
        return String.valueOf(value);
    }
}
