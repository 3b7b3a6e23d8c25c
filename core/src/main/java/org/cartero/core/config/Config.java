package org.cartero.core.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings every part of Cartero shares: the top-level keys and the {@code [listen]},
 * {@code [tls]}, {@code [local]}, {@code [limits]}, {@code [timeouts]} and {@code [auth]}
 * sections. Protocol modules read their own sections ({@code [smtp]}, {@code [imap]}, ...)
 * from the same {@link ConfigFile}. docs/configuration.md documents every key.
 */
public record Config(
        Path file,
        String hostname,
        Path dataDir,
        String recipientDelimiter,
        Map<Service, List<HostPort>> listen,
        Tls tls,
        Local local,
        Limits limits,
        Timeouts timeouts,
        Auth auth) {

    /** The certificate and key; both null means a self-signed certificate kept in data_dir. */
    public record Tls(Path certificate, Path privateKey) {
        public boolean selfSigned() { return certificate == null; }
    }

    /** The machine's own users and how their mail is kept. */
    public record Local(List<String> domains, Path passwdFile, Path spoolDir, Path aliasesFile, String maildir) {}

    public record Limits(int maxConnections, int maxConnectionsPerIp, int maxLineLength) {}

    /** Idle timeouts per protocol, and how long a stopping server waits for sessions to finish. */
    public record Timeouts(Duration smtp, Duration imap, Duration pop3, Duration shutdown) {
        public Duration of(Service.Protocol protocol) {
            return switch (protocol) {
                case SMTP -> smtp;
                case IMAP -> imap;
                case POP3 -> pop3;
            };
        }
    }

    /**
     * Password authentication policy: whether it is allowed without TLS on loopback, the PAM
     * service for local users, and the brute-force brake (per client IP and per user name).
     */
    public record Auth(boolean plaintextOnLoopback, String pamService, int failuresBeforeDelay,
                       int maxFailures, Duration failureWindow) {}

    /**
     * Loads a file that holds only the shared settings (module sections such as {@code [smtp]}
     * are refused as unknown). The server loads the whole file with every module's section
     * through {@code org.cartero.server.Settings}.
     */
    public static Config load(Path file) throws ConfigException {
        ConfigFile parsed = ConfigFile.load(file);
        Config config = from(parsed);
        parsed.rejectUnknownKeys();
        return config;
    }

    /** Reads the shared settings; other sections are left for their modules to read. */
    public static Config from(ConfigFile file) throws ConfigException {
        ConfigSection root = file.root();
        String hostname = root.string("hostname", defaultHostname()).toLowerCase(Locale.ROOT);
        if (!hostname.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
            throw root.error("hostname", "not a valid host name: \"" + hostname + "\"");
        }
        Path dataDir = root.path("data_dir", Path.of("/var/lib/cartero"));
        String delimiter = root.string("recipient_delimiter", "+");
        if (delimiter.length() > 1 || delimiter.equals("@")) {
            throw root.error("recipient_delimiter", "must be one character (or \"\" for none)");
        }

        ConfigSection listenSection = root.section("listen");
        Map<Service, List<HostPort>> listen = new EnumMap<>(Service.class);
        for (Service service : Service.values()) {
            List<HostPort> addresses = listenSection.addresses(service.key());
            if (addresses != null && !addresses.isEmpty()) listen.put(service, addresses);
        }

        ConfigSection tlsSection = root.section("tls");
        Path certificate = tlsSection.path("certificate", null);
        Path privateKey = tlsSection.path("private_key", null);
        if ((certificate == null) != (privateKey == null)) {
            throw tlsSection.error(certificate == null ? "certificate" : "private_key",
                    "certificate and private_key must be given together");
        }

        ConfigSection localSection = root.section("local");
        // The hostname comes first: it is the domain of local users' own addresses (Postfix's myorigin).
        List<String> domains = new ArrayList<>(List.of(hostname));
        for (String d : localSection.strings("domains", List.of("localhost"))) {
            String domain = d.toLowerCase(Locale.ROOT);
            if (!domains.contains(domain)) domains.add(domain);
        }
        Local local = new Local(List.copyOf(domains),
                localSection.path("passwd_file", Path.of("/etc/passwd")),
                localSection.path("spool_dir", Path.of("/var/mail")),
                localSection.path("aliases_file", Path.of("/etc/aliases")),
                localSection.string("maildir", "Maildir"));

        ConfigSection limitsSection = root.section("limits");
        Limits limits = new Limits(
                limitsSection.integer("max_connections", 2000, 1, 1_000_000),
                limitsSection.integer("max_connections_per_ip", 50, 1, 1_000_000),
                limitsSection.integer("max_line_length", 65536, 1024, 16 * 1024 * 1024));

        ConfigSection timeoutSection = root.section("timeouts");
        Timeouts timeouts = new Timeouts(
                timeoutSection.duration("smtp", Duration.ofMinutes(5)),
                timeoutSection.duration("imap", Duration.ofMinutes(30)),
                timeoutSection.duration("pop3", Duration.ofMinutes(10)),
                timeoutSection.duration("shutdown", Duration.ofSeconds(10)));

        ConfigSection authSection = root.section("auth");
        Auth auth = new Auth(
                authSection.bool("plaintext_on_loopback", false),
                authSection.string("pam_service", "cartero"),
                authSection.integer("failures_before_delay", 3, 0, 1000),
                authSection.integer("max_failures", 10, 1, 100_000),
                authSection.duration("failure_window", Duration.ofMinutes(15)));

        return new Config(file.file(), hostname, dataDir, delimiter, Map.copyOf(listen),
                new Tls(certificate, privateKey), local, limits, timeouts, auth);
    }

    private static String defaultHostname() {
        try {
            return InetAddress.getLocalHost().getCanonicalHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
