package org.cartero.imap.imaptest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.LoggerFactory;

/**
 * Debian's Dovecot started privately for one test class: its own configuration, base_dir,
 * state_dir and Maildirs under a temporary directory, listening on a free loopback port, any
 * user name accepted with the password "pass". It runs in the foreground as a child process and
 * is stopped, with all its processes, by {@link #close()}.
 * <p>
 * Besides the defaults the imaptest groups need: {@code mailbox_list_index} (NOTIFY),
 * {@code mail_attribute_dict} and {@code imap_urlauth_host} (URLAUTH, URLAUTH=BINARY), and
 * {@code imap_capability = +CONTEXT=SORT}: Dovecot 2.3 implements SORT RETURN (PARTIAL) but
 * does not announce it.
 */
final class DovecotServer implements ImapTestServer, AutoCloseable {
    static final String PASSWORD = "pass";
    private static final List<Path> LOCATIONS = List.of(Path.of("/usr/sbin/dovecot"), Path.of("/usr/local/sbin/dovecot"));
    private static final Duration STARTUP = Duration.ofSeconds(20);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path log;
    private final AtomicInteger accounts = new AtomicInteger();

    private DovecotServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The dovecot binary, if installed (on the PATH or in the usual sbin directories). */
    static Optional<Path> binary() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(entry -> !entry.isEmpty()).map(entry -> Path.of(entry, "dovecot"));
        return Stream.concat(onPath, LOCATIONS.stream()).filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts Dovecot for a test class, or skips the class (a JUnit assumption) where no dovecot
     * is installed.
     */
    static DovecotServer startForTests(Path directory) throws IOException, InterruptedException {
        Optional<Path> binary = binary();
        Assumptions.assumeTrue(binary.isPresent(), "no dovecot binary installed");
        LoggerFactory.getLogger(DovecotServer.class).info("starting Dovecot {}", version(binary.get()));
        return start(binary.get(), directory);
    }

    /** {@code dovecot --version}, e.g. "2.3.19.1 (9b53102964)". */
    static String version(Path binary) throws IOException, InterruptedException {
        Process run = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        run.waitFor(10, TimeUnit.SECONDS);
        return output;
    }

    /**
     * Starts Dovecot with its files under {@code directory} (a directory of the caller's own, such
     * as a JUnit temporary directory); retries if the port chosen was taken meanwhile.
     */
    static DovecotServer start(Path binary, Path directory) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path instance = Files.createDirectories(directory.resolve("dovecot-" + attempt));
            try {
                return startOnce(binary, instance, freePort());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static DovecotServer startOnce(Path binary, Path directory, int port) throws IOException, InterruptedException {
        MailOwner owner = prepareMailDirectory(directory);
        Path config = directory.resolve("dovecot.conf");
        Path log = directory.resolve("dovecot.log");
        Files.writeString(config, configuration(directory, port, owner, log));
        Process process = new ProcessBuilder(binary.toString(), "-F", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("dovecot.out").toFile())
                .start();
        DovecotServer server = new DovecotServer(process, port, log);
        try {
            server.awaitReady();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Who owns the Maildirs: this user, or nobody when running as root (Dovecot refuses uid 0). */
    private record MailOwner(long uid, long gid, String user, String group, boolean root) {
    }

    private static MailOwner prepareMailDirectory(Path directory) throws IOException {
        Path mail = Files.createDirectories(directory.resolve("mail"));
        PosixFileAttributes attributes = Files.readAttributes(mail, PosixFileAttributes.class);
        long uid = ((Number) Files.getAttribute(mail, "unix:uid")).longValue();
        long gid = ((Number) Files.getAttribute(mail, "unix:gid")).longValue();
        if (uid != 0) {
            return new MailOwner(uid, gid, attributes.owner().getName(), attributes.group().getName(), false);
        }
        // As root the imap processes run as nobody: they must reach and own the Maildirs.
        Files.setPosixFilePermissions(directory.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setOwner(mail, mail.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        long nobody = ((Number) Files.getAttribute(mail, "unix:uid")).longValue();
        int nobodyGroup = Files.readAllLines(Path.of("/etc/passwd")).stream()
                .map(line -> line.split(":")).filter(fields -> fields.length > 3 && fields[0].equals("nobody"))
                .map(fields -> Integer.parseInt(fields[3])).findFirst().orElse(65534);
        Files.setAttribute(mail, "unix:gid", nobodyGroup);
        return new MailOwner(nobody, nobodyGroup, "nobody", Integer.toString(nobodyGroup), true);
    }

    private static String configuration(Path directory, int port, MailOwner owner, Path log) {
        StringBuilder config = new StringBuilder();
        config.append("""
                base_dir = %1$s/run
                state_dir = %1$s/state
                instance_name = cartero-imaptest-%2$d
                protocols = imap
                listen = 127.0.0.1
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                log_path = %3$s
                first_valid_uid = 1
                passdb {
                  driver = static
                  args = password=%4$s
                }
                userdb {
                  driver = static
                  args = uid=%5$d gid=%6$d home=%1$s/mail/%%u
                }
                mail_location = maildir:~/Maildir
                mailbox_list_index = yes
                mail_attribute_dict = file:%%h/dovecot-attributes
                imap_urlauth_host = *
                imap_capability = +CONTEXT=SORT
                service imap-login {
                  inet_listener imap {
                    address = 127.0.0.1
                    port = %2$d
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                """.formatted(directory, port, log, PASSWORD, owner.uid(), owner.gid()));
        if (!owner.root()) {
            // Without root everything runs as this user, and nothing can chroot.
            config.append("""
                    default_login_user = %1$s
                    default_internal_user = %1$s
                    default_internal_group = %2$s
                    service imap-login {
                      chroot =
                    }
                    service imap-urlauth-login {
                      chroot =
                    }
                    service anvil {
                      chroot =
                    }
                    service ipc {
                      chroot =
                    }
                    service old-stats {
                      chroot =
                    }
                    service aggregator {
                      chroot =
                    }
                    """.formatted(owner.user(), owner.group()));
        }
        return config.toString();
    }

    /** Ready once a login works (the greeting alone may come before the auth process is up). */
    private void awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(STARTUP);
        IOException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException("dovecot exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                if (loginWorks()) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IOException("dovecot did not accept a login on port " + port + " within " + STARTUP
                + (last == null ? "" : " (" + last + ")") + ": " + logTail());
    }

    private boolean loginWorks() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host(), port), 2000);
            socket.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            out.write(("a LOGIN probe " + PASSWORD + "\r\nb LOGOUT\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("a ")) {
                    return line.startsWith("a OK");
                }
            }
            return false;
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.ISO_8859_1) : List.of();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public boolean implicitTls() {
        return false;
    }

    /** A user name not used before; the static passdb accepts it, its Maildir is created on login. */
    @Override
    public Account freshAccount() {
        return new Account("imaptest" + accounts.incrementAndGet(), PASSWORD);
    }

    /** Stops the master and every process it started. */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
        }
    }
}
