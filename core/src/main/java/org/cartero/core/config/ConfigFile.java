package org.cartero.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.tomlj.Toml;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;

/**
 * The parsed TOML configuration file. Each part of Cartero reads its own section through
 * {@link #root()}; once every part has read what it knows, {@link #rejectUnknownKeys()} turns
 * every key nobody read (a typo, a key from another version) into an error with its line.
 */
public final class ConfigFile {
    private final Path file;
    private final ConfigSection root;

    private ConfigFile(Path file, ConfigSection root) {
        this.file = file;
        this.root = root;
    }

    public static ConfigFile load(Path file) throws ConfigException {
        Path absolute = file.toAbsolutePath().normalize();
        String text;
        try {
            text = Files.readString(absolute);
        } catch (NoSuchFileException e) {
            throw new ConfigException(absolute, 0, null, "no such file");
        } catch (IOException e) {
            throw new ConfigException(absolute, 0, null, "cannot read: " + e.getMessage());
        }
        return parse(absolute, text);
    }

    /** Parses configuration text as if it had been read from {@code file} (used for relative paths and messages). */
    public static ConfigFile parse(Path file, String text) throws ConfigException {
        TomlParseResult result = Toml.parse(text);
        if (result.hasErrors()) {
            TomlParseError error = result.errors().get(0);
            throw new ConfigException(file, error.position().line(), null,
                    "not valid TOML: " + stripPosition(error.getMessage()));
        }
        Path base = file.getParent() == null ? Path.of(".").toAbsolutePath() : file.getParent();
        return new ConfigFile(file, new ConfigSection(file, base, "", result));
    }

    private static String stripPosition(String message) {
        // tomlj appends " (line L, column C)"; the line is already in front of the message.
        int at = message.lastIndexOf(" (line ");
        return at > 0 ? message.substring(0, at) : message;
    }

    public Path file() { return file; }

    public ConfigSection root() { return root; }

    /** Fails on the first key (in file order) that no part of Cartero read. */
    public void rejectUnknownKeys() throws ConfigException {
        root.rejectUnknownKeys();
    }
}
