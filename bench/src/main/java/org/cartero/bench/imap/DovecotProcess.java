package org.cartero.bench.imap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.cartero.core.auth.Passwords;

/**
 * Debian's Dovecot with its own configuration, base and state directories and Maildirs under
 * the benchmark's directory and a passwd-file of users; its defaults kept except the limits on
 * connections and processes, raised for thousands of clients.
 */
final class DovecotProcess extends ServerProcess {

    private final Path binary;
    private final Path config;

    DovecotProcess(Path directory, Path binary) throws IOException {
        super(directory);
        this.binary = binary;
        Path mail = Files.createDirectories(directory.resolve("mail"));
        String users = "";
        // asked of the user the bench runs as, not of the Maildirs' owner: a second run finds them owned by nobody
        if ("root".equals(System.getProperty("user.name"))) {
            // as root the imap processes run as nobody: it must own the Maildirs
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setOwner(mail, mail.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
            Files.setAttribute(mail, "unix:gid", 65534);
        } else {
            users = """
                    default_login_user = %1$s
                    default_internal_user = %1$s
                    service imap-login {
                      chroot =
                    }
                    service anvil {
                      chroot =
                    }
                    """.formatted(System.getProperty("user.name"));
        }
        long uid = ((Number) Files.getAttribute(mail, "unix:uid")).longValue();
        long gid = ((Number) Files.getAttribute(mail, "unix:gid")).longValue();
        this.config = Files.writeString(directory.resolve("dovecot.conf"), """
                base_dir = %1$s/run
                state_dir = %1$s/state
                instance_name = cartero-bench-%2$d
                protocols = imap
                listen = 127.0.0.1
                ssl = no
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                log_path = %1$s/dovecot.log
                first_valid_uid = 1
                passdb {
                  driver = passwd-file
                  args = %1$s/users
                }
                userdb {
                  driver = static
                  args = uid=%3$d gid=%4$d home=%1$s/mail/%%u
                }
                mail_location = maildir:~/Maildir
                mail_max_userip_connections = 30000
                default_process_limit = 30000
                default_client_limit = 30000
                default_vsz_limit = 0
                service imap-login {
                  inet_listener imap {
                    address = 127.0.0.1
                    port = %2$d
                  }
                  inet_listener imaps {
                    port = 0
                  }
                }
                service anvil {
                  client_limit = 70000
                }
                %5$s
                """.formatted(directory, port, uid, gid, users));
    }

    @Override
    String name() {
        return "Dovecot";
    }

    @Override
    String login(String user) {
        return user;
    }

    /**
     * The users in a passwd-file, with the same kind of argon2id hash Cartero keeps, so a login
     * costs the same password check on both servers; a user's Maildir is made at the first login.
     */
    @Override
    void addUsers(List<String> users) throws IOException {
        String hash = Passwords.hash(PASSWORD);
        StringBuilder lines = new StringBuilder();
        for (String user : users) lines.append(user).append(":{ARGON2ID}").append(hash).append('\n');
        Files.writeString(directory.resolve("users"), lines);
    }

    @Override
    void start() throws Exception {
        Path out = directory.resolve("dovecot.out");
        process = new ProcessBuilder(binary.toString(), "-F", "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        awaitLogin("u0", Duration.ofSeconds(60), directory.resolve("dovecot.log"));
    }

    static Path binary() {
        for (Path candidate : List.of(Path.of("/usr/sbin/dovecot"), Path.of("/usr/local/sbin/dovecot"))) {
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }
}
