package org.cartero.imap.imaptest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
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
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Assumptions;
import org.slf4j.LoggerFactory;

/**
 * Debian's Dovecot started privately for one test class: its own configuration, base_dir,
 * state_dir and Maildirs under a temporary directory, listening on a free loopback port (plain
 * IMAP, or IMAPS with a self-signed certificate made by openssl), any user name accepted with
 * the password "pass". It runs in the foreground as a child process and is stopped, with all its
 * processes, by {@link #close()}.
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
    /** Trusts the server's own certificate; null when the port speaks plain IMAP. */
    private final SSLSocketFactory tls;
    private final AtomicInteger accounts = new AtomicInteger();

    private DovecotServer(Process process, int port, Path log, SSLSocketFactory tls) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.tls = tls;
    }

    /** The dovecot binary, if installed (on the PATH or in the usual sbin directories). */
    static Optional<Path> binary() {
        return onPath("dovecot", LOCATIONS);
    }

    private static Optional<Path> onPath(String program, List<Path> elsewhere) {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(entry -> !entry.isEmpty()).map(entry -> Path.of(entry, program));
        return Stream.concat(onPath, elsewhere.stream()).filter(Files::isExecutable).findFirst();
    }

    /**
     * Starts Dovecot for a test class, or skips the class (a JUnit assumption) where no dovecot
     * (or, for IMAPS, no openssl) is installed.
     */
    static DovecotServer startForTests(Path directory, boolean implicitTls) throws IOException, InterruptedException {
        Optional<Path> binary = binary();
        Assumptions.assumeTrue(binary.isPresent(), "no dovecot binary installed");
        Assumptions.assumeTrue(!implicitTls || onPath("openssl", List.of()).isPresent(),
                "no openssl to make a certificate for Dovecot");
        LoggerFactory.getLogger(DovecotServer.class).info("starting Dovecot {}", version(binary.get()));
        return start(binary.get(), directory, implicitTls);
    }

    /** {@code dovecot --version}, e.g. "2.3.19.1 (9b53102964)". */
    static String version(Path binary) throws IOException, InterruptedException {
        return run(List.of(binary.toString(), "--version")).strip();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!run.waitFor(30, TimeUnit.SECONDS) || run.exitValue() != 0) {
            run.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    /**
     * Starts Dovecot with its files under {@code directory} (a directory of the caller's own, such
     * as a JUnit temporary directory); retries if the port chosen was taken meanwhile.
     */
    static DovecotServer start(Path binary, Path directory, boolean implicitTls) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            Path instance = Files.createDirectories(directory.resolve("dovecot-" + attempt));
            try {
                return startOnce(binary, instance, freePort(), implicitTls);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static DovecotServer startOnce(Path binary, Path directory, int port, boolean implicitTls)
            throws IOException, InterruptedException {
        MailOwner owner = prepareMailDirectory(directory);
        Path log = directory.resolve("dovecot.log");
        String ssl = "no";
        SSLSocketFactory tls = null;
        if (implicitTls) {
            Path certificate = directory.resolve("cert.pem");
            Path key = directory.resolve("key.pem");
            run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key.toString(), "-out", certificate.toString()));
            ssl = "required\nssl_cert = <" + certificate + "\nssl_key = <" + key;
            tls = trusting(certificate);
        }
        Path config = directory.resolve("dovecot.conf");
        Files.writeString(config, configuration(directory, port, owner, log, ssl, implicitTls));
        Process process = new ProcessBuilder(binary.toString(), "-F", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("dovecot.out").toFile())
                .start();
        DovecotServer server = new DovecotServer(process, port, log, tls);
        try {
            server.awaitReady();
            return server;
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static SSLSocketFactory trusting(Path certificate) throws IOException {
        try (InputStream in = Files.newInputStream(certificate)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("dovecot", CertificateFactory.getInstance("X.509").generateCertificate(in));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + certificate, e);
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

    private static String configuration(Path directory, int port, MailOwner owner, Path log, String ssl,
                                        boolean implicitTls) {
        StringBuilder config = new StringBuilder();
        config.append("""
                base_dir = %1$s/run
                state_dir = %1$s/state
                instance_name = cartero-imaptest-%2$d
                protocols = imap
                listen = 127.0.0.1
                ssl = %9$s
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
                    port = %7$d
                  }
                  inet_listener imaps {
                    address = 127.0.0.1
                    port = %8$d
                  }
                }
                """.formatted(directory, port, log, PASSWORD, owner.uid(), owner.gid(),
                implicitTls ? 0 : port, implicitTls ? port : 0, ssl));
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
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host(), port), 2000);
            plain.setSoTimeout(5000);
            Socket socket = tls == null ? plain : tls.createSocket(plain, host(), port, true);
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
        return tls != null;
    }

    @Override
    public SSLSocketFactory tlsSocketFactory() {
        return tls != null ? tls : ImapTestServer.super.tlsSocketFactory();
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
