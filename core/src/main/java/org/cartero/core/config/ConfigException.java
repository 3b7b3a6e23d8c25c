package org.cartero.core.config;

import java.nio.file.Path;

/**
 * A configuration file that cannot be used. The message names the file, the line and the key
 * (when known) and says what is wrong, e.g. {@code cartero.toml:12: [listen] smtp: expected
 * "host:port", got "25"}.
 */
public final class ConfigException extends Exception {
    private final Path file;
    private final int line;
    private final String key;
    private final String problem;

    public ConfigException(Path file, int line, String key, String problem) {
        super(format(file, line, key, problem));
        this.file = file;
        this.line = line;
        this.key = key;
        this.problem = problem;
    }

    private static String format(Path file, int line, String key, String problem) {
        StringBuilder s = new StringBuilder();
        s.append(file == null ? "<config>" : file.toString());
        if (line > 0) s.append(':').append(line);
        s.append(": ");
        if (key != null && !key.isEmpty()) s.append(key).append(": ");
        return s.append(problem).toString();
    }

    public Path file() { return file; }

    /** The 1-based line, or 0 when the problem has no line (a missing key, an unreadable file). */
    public int line() { return line; }

    /** The dotted key, e.g. {@code listen.smtp}, or null when the problem is not about one key. */
    public String key() { return key; }

    public String problem() { return problem; }
}
