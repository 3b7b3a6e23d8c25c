package org.cartero.bench.pop3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private Dovecot from Debian beside Cartero: its own configuration, base_dir, state_dir and
 * log, POP3 only on a free loopback port, no TLS and plaintext logins allowed, a passwd-file
 * passdb with the same password hash as Cartero's users, and Maildirs owned by "nobody"
 * (Dovecot refuses to serve mail as root). Everything else is Debian's default, such as one
 * pop3 process per session.
 */
final class DovecotInstance implements BenchServer {
    static final Path DOVECOT = Path.of("/usr/sbin/dovecot");

    private final Path dir;
    private final InetSocketAddress address;
    private final long pid;

    private DovecotInstance(Path dir, InetSocketAddress address, long pid) {
        this.dir = dir;
        this.address = address;
        this.pid = pid;
    }

    static void prepare(Path dir, List<String> users, String passwordHash, int messages, int size) throws Exception {
        Files.createDirectories(dir);
        StringBuilder passwd = new StringBuilder();
        for (String user : users) {
            passwd.append(user).append(':').append(passwordHash).append('\n');
            Maildrops.write(dir.resolve("mail").resolve(user).resolve("Maildir"), user, messages, size);
        }
        Files.writeString(dir.resolve("passwd"), passwd);
        run("chown", "-R", "nobody:nogroup", dir.resolve("mail").toString());
    }

    static DovecotInstance start(Path dir) throws Exception {
        int port = BenchServer.freePort();
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("state"));
        Path config = dir.resolve("dovecot.conf");
        Files.writeString(config, """
                base_dir = %1$s/run
                state_dir = %1$s/state
                log_path = %1$s/dovecot.log
                protocols = pop3
                listen = 127.0.0.1
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                passdb {
                  driver = passwd-file
                  args = %1$s/passwd
                }
                userdb {
                  driver = static
                  args = uid=nobody gid=nogroup home=%1$s/mail/%%u
                }
                mail_location = maildir:~/Maildir
                mail_max_userip_connections = 1000
                service pop3-login {
                  inet_listener pop3 {
                    port = %2$d
                  }
                  inet_listener pop3s {
                    port = 0
                  }
                }
                """.formatted(dir, port));
        run(DOVECOT.toString(), "-c", config.toString());
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        Path pidFile = dir.resolve("run/master.pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(pidFile)) {
            if (System.nanoTime() > deadline) throw new IOException("Dovecot did not start; see " + dir.resolve("dovecot.log"));
            Thread.sleep(100);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        BenchServer.awaitListening(address, Duration.ofSeconds(30),
                ProcessHandle.of(pid).orElseThrow(() -> new IOException("Dovecot exited; see " + dir.resolve("dovecot.log"))));
        return new DovecotInstance(dir, address, pid);
    }

    @Override
    public String name() {
        return "Dovecot";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public void close() {
        try {
            run(DOVECOT.toString(), "-c", dir.resolve("dovecot.conf").toString(), "stop");
        } catch (IOException e) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        }
    }

    /** Runs a command to its end; its output goes to a file, since a daemon keeps a pipe open. */
    private static void run(String... command) throws IOException {
        Path output = Files.createTempFile("dovecot-command", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + Files.readString(output));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
