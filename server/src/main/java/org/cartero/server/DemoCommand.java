package org.cartero.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import org.cartero.core.auth.Passwords;
import org.cartero.core.config.Service;
import org.cartero.core.directory.Directory;
import org.cartero.core.mail.MailAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cartero demo}: a ready-to-try server in ./cartero-demo/ — a configuration with every
 * listener on unprivileged loopback ports, a self-signed certificate, the virtual domain
 * example.test and the user demo@example.test with a random password. Run again, it reuses the
 * folder (and the password).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Set up ./cartero-demo/ (configuration, data, a self-signed certificate, the user",
                "demo@example.test) and serve every protocol on loopback ports until Ctrl-C."})
final class DemoCommand implements Callable<Integer> {
    static final String DOMAIN = "example.test";
    static final MailAddress USER = new MailAddress("demo", DOMAIN);

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "cartero-demo",
            description = "Where the demo lives (default: ./cartero-demo).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        Path config = dir.resolve("cartero.toml");
        if (!Files.exists(config)) {
            Files.createDirectories(dir);
            Files.writeString(config, CONFIG);
        }
        Settings settings = Settings.load(config);
        String password = demoPassword();
        try (Directory directory = Directory.open(settings.config())) {
            if (!directory.isVirtualDomain(DOMAIN)) directory.addDomain(DOMAIN);
            if (directory.account(USER.toString()).isEmpty()) directory.addUser(USER, Passwords.hash(password), 0);
            else directory.setPasswordHash(USER, Passwords.hash(password));
        }
        StopSignal stop = StopSignal.install();
        try (CarteroServer server = CarteroServer.start(settings)) {
            System.out.println(instructions(server, password));
            stop.await();
        }
        return 0;
    }

    /** The demo user's password: made once, kept (mode 0600) beside the configuration. */
    private String demoPassword() throws IOException {
        Path file = dir.resolve("demo-password");
        if (Files.exists(file)) return Files.readString(file).strip();
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 16; i++) password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password + "\n");
        return password.toString();
    }

    private String instructions(CarteroServer server, String password) {
        Path certificate = server.settings().config().dataDir().resolve("tls/self-signed.crt");
        StringBuilder s = new StringBuilder();
        s.append("\nCartero demo is running (Ctrl-C stops it). Folder: ").append(dir.toAbsolutePath()).append("\n\n");
        s.append("  user      ").append(USER).append("\n");
        s.append("  password  ").append(password).append("   (also in ").append(dir.resolve("demo-password")).append(")\n");
        s.append("  host      127.0.0.1 (or localhost, the name in the self-signed certificate ")
                .append(certificate).append(")\n");
        for (Service service : Service.values()) {
            s.append(String.format("  %-12s", service.key()));
            var addresses = server.net().addresses(service);
            if (addresses.isEmpty()) {
                s.append("not served yet\n");
                continue;
            }
            s.append(addresses.stream().map(InetSocketAddress::getPort).map(String::valueOf)
                    .reduce((a, b) -> a + ", " + b).orElseThrow());
            s.append(switch (service) {
                case SMTP -> "  (mail for the demo's domains, as from other servers)";
                case SUBMISSION -> "  (STARTTLS, then AUTH)";
                case IMAP -> "  (STARTTLS)";
                case POP3 -> "  (STLS)";
                default -> "  (implicit TLS)";
            }).append('\n');
        }
        s.append("\nTry it:\n");
        s.append("  swaks --server 127.0.0.1:1587 --tls --auth PLAIN --auth-user ").append(USER)
                .append(" --auth-password '").append(password).append("' --from ").append(USER)
                .append(" --to ").append(USER).append('\n');
        s.append("  s-nail -S v15-compat -S tls-ca-file=").append(certificate)
                .append(" -f 'imaps://demo%40example.test@localhost:1993'\n");
        s.append("  neomutt -e 'set certificate_file=").append(certificate)
                .append("' -f 'imaps://demo%40example.test@localhost:1993/'\n");
        s.append("  fetchmail --check --ssl --sslcertck --sslcertfile ").append(certificate)
                .append(" -p POP3 -P 1995 -u ").append(USER).append(" localhost\n");
        return s.toString();
    }

    private static final String CONFIG = """
            # Cartero demo: every listener on loopback, on unprivileged ports. See docs/configuration.md.
            hostname = "localhost"
            data_dir = "data"

            [listen]
            smtp = ["127.0.0.1:2525"]
            submission = ["127.0.0.1:1587"]
            submissions = ["127.0.0.1:1465"]
            imap = ["127.0.0.1:1143"]
            imaps = ["127.0.0.1:1993"]
            pop3 = ["127.0.0.1:1110"]
            pop3s = ["127.0.0.1:1995"]

            [local]
            # The demo keeps local users' mail in its own folder, away from /var/mail.
            spool_dir = "spool"
            aliases_file = "aliases"
            """;
}
