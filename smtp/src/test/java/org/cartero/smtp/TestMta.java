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
import org.cartero.store.embedded.EmbeddedMailStore;

/**
 * A whole MTA for tests, on loopback ports: hostname mail.example.test, the virtual domain
 * example.test with the users alice and bob (password {@value #PASSWORD}), the local domain's
 * postmaster and root aliased to alice, a real store and queue under the test's folder, real TLS
 * (self-signed), and a {@link TestTransport} for other servers.
 */
public final class TestMta implements AutoCloseable {
    public static final String DOMAIN = "example.test";
    public static final String PASSWORD = "Open sesame 42";
    public static final MailAddress ALICE = new MailAddress("alice", DOMAIN);
    public static final MailAddress BOB = new MailAddress("bob", DOMAIN);

    private final Path dir;
    private final Config config;
    private final Directory directory;
    private final EmbeddedMailStore store;
    private final MailTransferAgent mta;
    private final NetServer net;
    private final TlsContext tls;
    private final TestTransport transport;

    private TestMta(Path dir, Config config, Directory directory, EmbeddedMailStore store, MailTransferAgent mta,
                    NetServer net, TlsContext tls, TestTransport transport) {
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
        Parts parts = Parts.create(dir, smtpToml);
        Authenticator authenticator = new Authenticator(parts.directory(), parts.config().auth());
        MailTransferAgent mta = MailTransferAgent.start(parts.config(), parts.settings(), parts.directory(), parts.store(),
                authenticator, transport);
        TlsContext tls = TlsContext.create(parts.config());
        Map<Service, ProtocolHandler> handlers = new EnumMap<>(Service.class);
        handlers.put(Service.SMTP, mta.handler());
        handlers.put(Service.SUBMISSION, mta.handler());
        handlers.put(Service.SUBMISSIONS, mta.handler());
        NetServer net = NetServer.start(parts.config(), tls, handlers);
        return new TestMta(dir, parts.config(), parts.directory(), parts.store(), mta, net, tls, transport);
    }

    /**
     * What the MTA runs on, without the MTA: the configuration (with the test's [smtp] keys), the
     * directory with example.test, alice and bob, and the store. For tests that drive the queue themselves.
     */
    public record Parts(Config config, SmtpSettings settings, Directory directory, EmbeddedMailStore store)
            implements AutoCloseable {

        public static Parts create(Path dir, String smtpToml) throws Exception {
            Files.writeString(dir.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Files.writeString(dir.resolve("aliases"), "postmaster: root\nroot: alice@" + DOMAIN + "\n");
            Path file = TestConfigs.write(dir, """
                    [local]
                    passwd_file = "passwd"
                    aliases_file = "aliases"
                    spool_dir = "spool"
                    [smtp]
                    """ + smtpToml);
            ConfigFile parsed = ConfigFile.load(file);
            Config config = Config.from(parsed);
            SmtpSettings settings = SmtpSettings.from(parsed.root().section("smtp"));
            EmbeddedMailStore.Settings storeSettings = EmbeddedMailStore.Settings.from(config, parsed);
            parsed.rejectUnknownKeys();
            Directory directory = Directory.open(config);
            if (!directory.isVirtualDomain(DOMAIN)) {
                directory.addDomain(DOMAIN);
                String hash = Passwords.hash(PASSWORD);
                directory.addUser(ALICE, hash, 0);
                directory.addUser(BOB, hash, 0);
            }
            return new Parts(config, settings, directory, new EmbeddedMailStore(storeSettings));
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

    public TestTransport transport() {
        return transport;
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
