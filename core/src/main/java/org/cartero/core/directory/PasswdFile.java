package org.cartero.core.directory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cartero.core.mail.MailAddress;

/**
 * The local users: the entries of a passwd(5) file ({@code name:password:uid:gid:gecos:home:shell}).
 * NIS compatibility entries ({@code +}/{@code -}) and lines that cannot be understood are left out
 * with a warning. Names are matched without case; when two entries differ only in case, the first
 * one counts.
 *
 * @param users    by lower-case name
 * @param warnings what was left out and why, each starting with "file:line: "
 */
record PasswdFile(Map<String, LocalAccount> users, List<String> warnings) {

    /**
     * Reads {@code file}; each account's address is its name at {@code domain}.
     *
     * @throws java.nio.file.NoSuchFileException when the file is missing: without it no local
     *         user can be told from an unknown one
     */
    static PasswdFile load(Path file, String domain) throws IOException {
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\r?\n", -1);
        Map<String, LocalAccount> users = new HashMap<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) continue;
            String[] fields = line.split(":", -1);
            if (fields.length != 7) {
                warnings.add(file + ":" + (i + 1) + ": expected 7 fields separated by colons, left out");
                continue;
            }
            String name = fields[0];
            try {
                int uid = Integer.parseUnsignedInt(fields[2]);
                int gid = Integer.parseUnsignedInt(fields[3]);
                MailAddress address = new MailAddress(name, domain);
                MailAddress.parse(address.toString()); // a name no address can carry cannot receive mail
                users.putIfAbsent(name.toLowerCase(Locale.ROOT),
                        new LocalAccount(name, uid, gid, Path.of(fields[5]), address, 0));
            } catch (IllegalArgumentException e) {
                warnings.add(file + ":" + (i + 1) + ": invalid entry for \"" + name + "\" (" + e.getMessage() + "), left out");
            }
        }
        return new PasswdFile(Map.copyOf(users), List.copyOf(warnings));
    }
}
