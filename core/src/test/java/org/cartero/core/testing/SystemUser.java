package org.cartero.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A throw-away system user for tests of local users (PAM, spool, home Maildir): made with
 * useradd and chpasswd, removed with userdel. Creating one needs root, as CI has; without root
 * or useradd the calling test is skipped.
 */
public record SystemUser(String name, Path home) {

    /**
     * Makes a user named {@code prefix} plus a random suffix, with that password and no login
     * shell; with its home directory in {@code homesIn} when that is not null, and any further
     * useradd options (an expiry date, say).
     */
    public static SystemUser create(String prefix, String password, Path homesIn, String... useraddOptions)
            throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/useradd")), "useradd is needed");
        assumeTrue("root".equals(System.getProperty("user.name")), "creating a system user needs root");
        String name = prefix + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        List<String> useradd = new ArrayList<>(List.of("useradd", "--shell", "/usr/sbin/nologin"));
        Path home = null;
        if (homesIn == null) {
            useradd.add("--no-create-home");
        } else {
            home = homesIn.resolve(name);
            Files.createDirectories(homesIn);
            useradd.addAll(List.of("--create-home", "--home-dir", home.toString()));
        }
        useradd.addAll(List.of(useraddOptions));
        useradd.add(name);
        run(null, useradd);
        SystemUser user = new SystemUser(name, home);
        try {
            run(name + ":" + password + "\n", List.of("chpasswd"));
        } catch (IOException | RuntimeException e) {
            user.remove();
            throw e;
        }
        return user;
    }

    /** Removes the user, and its home directory if it has one. */
    public void remove() throws IOException, InterruptedException {
        run(null, home == null ? List.of("userdel", name) : List.of("userdel", "--remove", name));
    }

    private static void run(String input, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + output);
    }
}
