package org.cartero.imap.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * Cartero's IMAP server for tests: a directory, the embedded store and the listener for IMAP
 * (STARTTLS) and IMAPS on loopback ports, under a temporary directory, with virtual users of
 * the domain {@value #DOMAIN} made on demand. Passwords may be sent on loopback without TLS, as
 * the imaptest scripts do.
 */
final class TestImapServer implements ImapTestServer, AutoCloseable {

    static final String DOMAIN = "example.test";
    static final String PASSWORD = "secret";
    private static final AtomicInteger USERS = new AtomicInteger();

    final Config config;
    final TlsContext tls;
    final Directory directory;
    final MailStore store;
    final ImapServer imap;
    final NetServer net;

    private TestImapServer(Config config, TlsContext tls, Directory directory, MailStore store, ImapServer imap, NetServer net) {
        this.config = config;
        this.tls = tls;
        this.directory = directory;
        this.store = store;
        this.imap = imap;
        this.net = net;
    }

    static TestImapServer start(Path dir) throws Exception {
        return start(dir, "[auth]\nplaintext_on_loopback = true\n", ImapSettings.DEFAULT);
    }

    static TestImapServer start(Path dir, String extraToml, ImapSettings settings) throws Exception {
        return start(dir, extraToml, settings, new MetadataSearch());
    }

    static TestImapServer start(Path dir, String extraToml, ImapSettings settings, SearchEngine search) throws Exception {
        return start(TestConfigs.loopback(dir, extraToml), settings, search);
    }

    /** The server of a configuration the test wrote itself (its listeners on loopback port 0). */
    static TestImapServer start(Config config, ImapSettings settings, SearchEngine search) throws Exception {
        TlsContext tls = TlsContext.create(config);
        Directory directory = Directory.open(config);
        if (!directory.isVirtualDomain(DOMAIN)) directory.addDomain(DOMAIN);
        EmbeddedMailStore store = new EmbeddedMailStore(new EmbeddedMailStore.Settings(config.dataDir(),
                config.local().spoolDir(), config.local().maildir(), config.hostname(), Duration.ofSeconds(30)));
        Authenticator authenticator = new Authenticator(directory, config.auth());
        ImapServer imap = new ImapServer(settings, config.hostname(), config.dataDir().resolve("imap"), store, authenticator,
                directory, search);
        NetServer net = NetServer.start(config, tls, Map.of(Service.IMAP, imap, Service.IMAPS, imap));
        return new TestImapServer(config, tls, directory, store, imap, net);
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
        net.stop();
        store.close();
        directory.close();
    }
}
