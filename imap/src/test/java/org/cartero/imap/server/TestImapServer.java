package org.cartero.imap.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.cartero.core.auth.Authenticator;
import org.cartero.core.auth.Passwords;
import org.cartero.core.config.Config;
import org.cartero.core.config.Service;
import org.cartero.core.directory.Directory;
import org.cartero.core.directory.DirectoryException;
import org.cartero.core.mail.MailAddress;
import org.cartero.core.net.NetServer;
import org.cartero.core.testing.TestConfigs;
import org.cartero.core.testing.TestTls;
import org.cartero.core.tls.TlsContext;
import org.cartero.imap.imaptest.ImapTestServer;
import org.cartero.store.MailStore;
import org.cartero.store.embedded.EmbeddedMailStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Cartero's IMAP server for tests: a directory, the embedded store and the listener for IMAP
 * (STARTTLS) and IMAPS on loopback ports, with virtual users of the domain {@value #DOMAIN} made
 * on demand. As a JUnit extension ({@code @RegisterExtension static final TestImapServer server})
 * it runs in a temporary directory for the tests of a class.
 */
final class TestImapServer implements ImapTestServer, BeforeAllCallback, AfterAllCallback, AutoCloseable {

    static final String DOMAIN = "example.test";
    static final String PASSWORD = "secret";
    private static final AtomicInteger USERS = new AtomicInteger();

    /** Writes the configuration file into the server's directory and returns its path. */
    @FunctionalInterface
    interface ConfigWriter {
        Path write(Path directory) throws IOException;
    }

    private final ConfigWriter configuration;
    private final ImapSettings settings;
    private final SearchEngine search;
    private Path temporary;
    Config config;
    TlsContext tls;
    Directory directory;
    MailStore store;
    ImapServer imap;
    NetServer net;

    private TestImapServer(ConfigWriter configuration, ImapSettings settings, SearchEngine search) {
        this.configuration = configuration;
        this.settings = settings;
        this.search = search;
    }

    /** Listening on loopback, passwords allowed there without TLS, as the imaptest scripts send them. */
    static TestImapServer plaintextOnLoopback() {
        return loopback("[auth]\nplaintext_on_loopback = true\n", ImapSettings.DEFAULT);
    }

    /** Listening on loopback, with further sections of the configuration (passwords only over TLS unless they say). */
    static TestImapServer loopback(String extraToml, ImapSettings settings) {
        return loopback(extraToml, settings, new IndexedSearch());
    }

    static TestImapServer loopback(String extraToml, ImapSettings settings, SearchEngine search) {
        return new TestImapServer(directory -> TestConfigs.write(directory, extraToml), settings, search);
    }

    /** With a whole configuration file of the test's own (its listeners on loopback port 0). */
    static TestImapServer configuredBy(String toml) {
        return new TestImapServer(directory -> Files.writeString(directory.resolve("cartero.toml"), toml),
                ImapSettings.DEFAULT, new IndexedSearch());
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        temporary = Files.createTempDirectory("cartero-imap-test");
        start(temporary);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        close();
        try (Stream<Path> files = Files.walk(temporary)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(file);
        }
    }

    /** Starts the server with its files in {@code dir}. */
    void start(Path dir) throws Exception {
        config = Config.load(configuration.write(dir));
        tls = TlsContext.create(config);
        directory = Directory.open(config);
        if (!directory.isVirtualDomain(DOMAIN)) directory.addDomain(DOMAIN);
        store = new EmbeddedMailStore(new EmbeddedMailStore.Settings(config.dataDir(),
                config.local().spoolDir(), config.local().maildir(), config.hostname(), Duration.ofSeconds(30)));
        Authenticator authenticator = new Authenticator(directory, config.auth());
        imap = new ImapServer(settings, config.hostname(), config.dataDir().resolve("imap"), store, authenticator,
                directory, search);
        net = NetServer.start(config, tls, Map.of(Service.IMAP, imap, Service.IMAPS, imap));
    }

    /** The server's certificate in PEM, written to {@code file}, for clients that read one. */
    Path certificatePem(Path file) throws IOException {
        try {
            return Files.writeString(file, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(tls.certificate().getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
        } catch (CertificateEncodingException e) {
            throw new IOException(e);
        }
    }

    /** A new virtual user with the password {@value #PASSWORD}; its address is its login. */
    String newUser() throws IOException {
        MailAddress address = new MailAddress("user" + USERS.incrementAndGet(), DOMAIN);
        try {
            directory.addUser(address, Passwords.hash(PASSWORD), 0);
        } catch (DirectoryException e) {
            throw new IOException(e);
        }
        return address.toString();
    }

    InetSocketAddress address(Service service) {
        return net.addresses(service).getFirst();
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return address(Service.IMAP).getPort();
    }

    @Override
    public boolean implicitTls() {
        return false;
    }

    @Override
    public SSLSocketFactory tlsSocketFactory() {
        return TestTls.socketFactory(tls);
    }

    @Override
    public Account freshAccount() throws IOException {
        return new Account(newUser(), PASSWORD);
    }

    @Override
    public void close() {
        if (net != null) net.stop();
        if (store != null) store.close();
        if (directory != null) directory.close();
        net = null;
        store = null;
        directory = null;
    }
}
