package org.cartero.core.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real user of this machine for tests of local users (PAM, spool files owned by the user):
 * made with useradd and chpasswd, with no login shell and a home only when asked for, and
 * removed with userdel (and its home) on {@link #close()}. Creating users needs root, as CI runs the tests; elsewhere
 * {@link #canCreate()} is false and such tests are skipped.
 */
public final class SystemUser implements AutoCloseable {
    private final String name;
    private final Path home;

    private SystemUser(String name, Path home) {
        this.name = name;
        this.home = home;
    }

    public static boolean canCreate() {
        return Files.isExecutable(Path.of("/usr/sbin/useradd")) && "root".equals(System.getProperty("user.name"));
    }

    /**
     * A new user named {@code prefix} and a random suffix, with {@code password}.
     *
     * @param useraddOptions further options for useradd, such as {@code --expiredate 1970-01-02}
     */
    public static SystemUser create(String prefix, String password, String... useraddOptions) throws IOException, InterruptedException {
        return create(prefix, password, null, useraddOptions);
    }

    /** A new user as {@link #create(String, String, String...)} makes, with its home made in {@code homesIn}. */
    public static SystemUser createWithHome(String prefix, String password, Path homesIn) throws IOException, InterruptedException {
        Files.createDirectories(homesIn);
        return create(prefix, password, homesIn);
    }

    private static SystemUser create(String prefix, String password, Path homesIn, String... useraddOptions)
            throws IOException, InterruptedException {
        String name = prefix + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 30), 36);
        Path home = homesIn == null ? null : homesIn.resolve(name);
        List<String> useradd = new ArrayList<>(List.of("useradd", "--shell", "/usr/sbin/nologin"));
        useradd.addAll(home == null ? List.of("--no-create-home") : List.of("--create-home", "--home-dir", home.toString()));
        useradd.addAll(List.of(useraddOptions));
        useradd.add(name);
        run(null, useradd.toArray(String[]::new));
        SystemUser user = new SystemUser(name, home);
        try {
            run(name + ":" + password + "\n", "chpasswd");
            return user;
        } catch (IOException | InterruptedException | RuntimeException e) {
            user.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    /** The home directory, or null for a user made without one. */
    public Path home() {
        return home;
    }

    @Override
    public void close() {
        try {
            if (home == null) run(null, "userdel", name);
            else run(null, "userdel", "--remove", name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void run(String input, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed: " + output);
    }
}
