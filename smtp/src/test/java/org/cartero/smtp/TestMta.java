package org.cartero.smtp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.cartero.core.auth.Authenticator;
import org.cartero.core.auth.Passwords;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.config.Service;
import org.cartero.core.directory.AliasSource;
import org.cartero.core.directory.Directory;
import org.cartero.core.mail.MailAddress;
import org.cartero.core.net.NetServer;
import org.cartero.core.net.ProtocolHandler;
import org.cartero.core.testing.TestConfigs;
import org.cartero.core.testing.TestTls;
import org.cartero.core.tls.TlsContext;
import org.cartero.smtp.client.ClientTransport;
import org.cartero.smtp.client.RemoteDelivery;
import org.cartero.smtp.client.SmtpClientSettings;
import org.cartero.smtp.queue.RemoteTransport;
import org.cartero.store.embedded.EmbeddedMailStore;

/**
 * A whole MTA for tests, on loopback ports: hostname mail.example.test, the virtual domain
 * example.test with the users alice and bob (password {@value #PASSWORD}), the local domain's
 * postmaster and root aliased to alice, a real store and queue under the test's folder, real TLS
 * (self-signed), and a {@link TestTransport} for other servers — or, for tests across servers,
 * another {@link Site} and the real SMTP client ({@link #withClient}).
 */
public final class TestMta implements AutoCloseable {
    public static final String DOMAIN = "example.test";
    public static final String PASSWORD = "Open sesame 42";
    public static final MailAddress ALICE = new MailAddress("alice", DOMAIN);
    public static final MailAddress BOB = new MailAddress("bob", DOMAIN);

    /** Who an MTA is: the host name it greets with, and the virtual domain it hosts with the users alice and bob. */
    public record Site(String hostname, String domain) {
        /** mail.example.test for example.test: the MTA of most tests. */
        public static final Site EXAMPLE = new Site(TestConfigs.HOSTNAME, DOMAIN);

        public MailAddress user(String localPart) {
            return new MailAddress(localPart, domain);
        }
    }

    private final Path dir;
    private final Config config;
    private final Directory directory;
    private final EmbeddedMailStore store;
    private final MailTransferAgent mta;
    private final NetServer net;
    private final TlsContext tls;
    private final RemoteTransport transport;

    private TestMta(Path dir, Config config, Directory directory, EmbeddedMailStore store, MailTransferAgent mta,
                    NetServer net, TlsContext tls, RemoteTransport transport) {
        this.dir = dir;
        this.config = config;
        this.directory = directory;
        this.store = store;
        this.mta = mta;
        this.net = net;
        this.tls = tls;
        this.transport = transport;
    }

    public static TestMta start(Path dir) throws Exception {
        return start(dir, "", new TestTransport());
    }

    /** @param smtpToml keys for the [smtp] section (further sections may follow them) */
    public static TestMta start(Path dir, String smtpToml, TestTransport transport) throws Exception {
        return start(dir, Site.EXAMPLE, smtpToml, transport);
    }

    /** @param transport how mail leaves for other servers */
    public static TestMta start(Path dir, Site site, String smtpToml, RemoteTransport transport) throws Exception {
        return start(dir, site, smtpToml, (parts, tls) -> transport);
    }

    /**
     * An MTA wired as the server wires it: mail for other servers leaves through the SMTP client,
     * which reads its keys ([smtp.routes], dns_resolver, mx_port...) from {@code smtpToml} too.
     */
    public static TestMta withClient(Path dir, Site site, String smtpToml) throws Exception {
        return start(dir, site, smtpToml, (parts, tls) -> client(parts.config(), parts.client(), tls));
    }

    private interface TransportFactory {
        RemoteTransport create(Parts parts, TlsContext tls);
    }

    private static TestMta start(Path dir, Site site, String smtpToml, TransportFactory transports) throws Exception {
        Parts parts = Parts.create(dir, site, smtpToml);
        Authenticator authenticator = new Authenticator(parts.directory(), parts.config().auth());
        TlsContext tls = TlsContext.create(parts.config());
        RemoteTransport transport = transports.create(parts, tls);
        MailTransferAgent mta = MailTransferAgent.start(parts.config(), parts.settings(), parts.directory(), parts.store(),
                authenticator, transport);
        Map<Service, ProtocolHandler> handlers = new EnumMap<>(Service.class);
        handlers.put(Service.SMTP, mta.handler());
        handlers.put(Service.SUBMISSION, mta.handler());
        handlers.put(Service.SUBMISSIONS, mta.handler());
        NetServer net = NetServer.start(parts.config(), tls, handlers);
        return new TestMta(dir, parts.config(), parts.directory(), parts.store(), mta, net, tls, transport);
    }

    private static RemoteTransport client(Config config, SmtpClientSettings settings, TlsContext tls) {
        return new ClientTransport(RemoteDelivery.create(config, settings, tls));
    }

    /**
     * The SMTP client of this MTA with these [smtp] keys, for a transport given to the MTA before
     * the servers it is to reach were listening (two servers that each need the other's port).
     */
    public RemoteTransport client(String clientToml) throws ConfigException {
        ConfigFile file = ConfigFile.parse(dir.resolve("client.toml"), "[smtp]\n" + clientToml);
        SmtpClientSettings settings = SmtpClientSettings.from(file.root().section("smtp"));
        file.rejectUnknownKeys();
        return client(config, settings, tls);
    }

    /**
     * What the MTA runs on, without the MTA: the configuration (with the test's [smtp] keys, the
     * client's among them), the directory with the site's domain, alice and bob, and the store.
     * For tests that drive the queue themselves.
     */
    public record Parts(Config config, SmtpSettings settings, SmtpClientSettings client, Directory directory,
                        EmbeddedMailStore store) implements AutoCloseable {

        public static Parts create(Path dir, String smtpToml) throws Exception {
            return create(dir, Site.EXAMPLE, smtpToml);
        }

        public static Parts create(Path dir, Site site, String smtpToml) throws Exception {
            Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Files.writeString(dir.resolve("aliases"), "postmaster: root\nroot: " + site.user("alice") + "\n");
            Path file = TestConfigs.write(dir, site.hostname(), """
                    [local]
                    passwd_file = "passwd"
                    aliases_file = "aliases"
                    spool_dir = "spool"
                    [smtp]
                    """ + smtpToml);
            ConfigFile parsed = ConfigFile.load(file);
            Config config = Config.from(parsed);
            SmtpSettings settings = SmtpSettings.from(parsed.root().section("smtp"));
            SmtpClientSettings client = SmtpClientSettings.from(parsed.root().section("smtp"));
            EmbeddedMailStore.Settings storeSettings = EmbeddedMailStore.Settings.from(config, parsed);
            parsed.rejectUnknownKeys();
            Directory directory = Directory.open(config);
            if (!directory.isVirtualDomain(site.domain())) {
                directory.addDomain(site.domain());
                String hash = Passwords.hash(PASSWORD);
                directory.addUser(site.user("alice"), hash, 0);
                directory.addUser(site.user("bob"), hash, 0);
            }
            return new Parts(config, settings, client, directory, new EmbeddedMailStore(storeSettings));
        }

        @Override
        public void close() {
            store.close();
            directory.close();
        }
    }

    public InetSocketAddress address(Service service) {
        return net.address(service);
    }

    public Config config() {
        return config;
    }

    public Directory directory() {
        return directory;
    }

    public MailTransferAgent mta() {
        return mta;
    }

    /** The test transport this MTA was started with. */
    public TestTransport transport() {
        if (transport instanceof TestTransport t) return t;
        throw new IllegalStateException("this MTA sends through " + transport);
    }

    /** A TLS client that trusts this server's certificate. */
    public SSLSocketFactory clientTls() {
        return TestTls.socketFactory(tls);
    }

    /** The server's certificate as a PEM file, for clients in other processes. */
    public Path certificateFile() {
        return config.dataDir().resolve("tls/self-signed.crt");
    }

    public void addAlias(String source, MailAddress... targets) throws Exception {
        directory.addAlias(AliasSource.parse(source), List.of(targets));
    }

    /** The messages delivered to a virtual user's INBOX so far, oldest first, as stored. */
    public List<String> mailbox(MailAddress user) throws IOException {
        return mailbox(config, user);
    }

    /** The messages in a virtual user's INBOX, oldest first, as stored (LF line ends). */
    public static List<String> mailbox(Config config, MailAddress user) throws IOException {
        Path maildir = config.dataDir().resolve("mail").resolve(user.domain()).resolve(user.localPart());
        List<Path> files = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(maildir.resolve(sub))) {
                entries.forEach(files::add);
            } catch (NoSuchFileException e) {
                // nothing delivered yet
            }
        }
        files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        List<String> messages = new ArrayList<>();
        for (Path f : files) messages.add(Files.readString(f, StandardCharsets.UTF_8));
        return messages;
    }

    /** Waits until {@code user} has {@code count} messages (or fails after 30 s); returns them. */
    public List<String> awaitMailbox(MailAddress user, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<String> messages = mailbox(user);
        while (messages.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
            messages = mailbox(user);
        }
        if (messages.size() < count) {
            throw new AssertionError(user + " has " + messages.size() + " messages, expected " + count);
        }
        return messages;
    }

    /** Waits until the queue holds nothing (or fails after 30 s). */
    public void awaitEmptyQueue() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((mta.scheduler().size() > 0 || !mta.queue().ids().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!mta.queue().ids().isEmpty()) throw new AssertionError("the queue still holds " + mta.queue().ids());
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        net.stop();
        mta.close();
        store.close();
        directory.close();
    }
}
