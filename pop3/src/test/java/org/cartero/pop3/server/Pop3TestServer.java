package org.cartero.pop3.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLSocketFactory;
import org.cartero.core.auth.Authenticator;
import org.cartero.core.auth.Passwords;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.config.Service;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.Directory;
import org.cartero.core.mail.MailAddress;
import org.cartero.core.net.NetServer;
import org.cartero.core.testing.TestConfigs;
import org.cartero.core.testing.TestTls;
import org.cartero.core.tls.TlsContext;
import org.cartero.store.delivery.LocalDelivery;
import org.cartero.store.embedded.EmbeddedMailStore;

/**
 * A POP3 server on loopback for tests, wired as {@code cartero serve} wires it: a configuration in
 * a temporary directory (every listener on port 0, plus the extra TOML given), its directory,
 * the embedded store and the POP3 handler on the pop3 and pop3s listeners. Virtual users are
 * added with {@link #addUser}; mail is put in their INBOX by local delivery.
 */
final class Pop3TestServer implements AutoCloseable {
    static final String PASSWORD = "open sesame 7";

    final Path dir;
    final Config config;
    final TlsContext tls;
    final Directory directory;
    final EmbeddedMailStore store;
    final NetServer net;
    private final LocalDelivery delivery;

    private Pop3TestServer(Path dir, Config config, TlsContext tls, Directory directory, EmbeddedMailStore store, NetServer net) {
        this.dir = dir;
        this.config = config;
        this.tls = tls;
        this.directory = directory;
        this.store = store;
        this.net = net;
        this.delivery = new LocalDelivery(store);
    }

    static Pop3TestServer start(Path dir) throws Exception {
        return start(dir, "");
    }

    /** @param extraToml sections to add, such as {@code [pop3]}, {@code [auth]} or {@code [local]} */
    static Pop3TestServer start(Path dir, String extraToml) throws Exception {
        ConfigFile file = ConfigFile.load(TestConfigs.write(Files.createDirectories(dir), extraToml));
        Config config = Config.from(file);
        Pop3Settings settings = Pop3Settings.from(file.root().section("pop3"));
        EmbeddedMailStore.Settings storeSettings = EmbeddedMailStore.Settings.from(config, file);
        file.rejectUnknownKeys();
        TlsContext tls = TlsContext.create(config);
        Directory directory = Directory.open(config);
        EmbeddedMailStore store = new EmbeddedMailStore(storeSettings);
        Pop3Handler pop3 = new Pop3Handler(config.hostname(), settings, new Authenticator(directory, config.auth()), store);
        NetServer net = NetServer.start(config, tls, Map.of(Service.POP3, pop3, Service.POP3S, pop3));
        return new Pop3TestServer(dir, config, tls, directory, store, net);
    }

    /** Adds a virtual user (and its domain) with the password {@link #PASSWORD}. */
    Account addUser(String address) throws Exception {
        MailAddress mailAddress = MailAddress.parse(address);
        if (!directory.isVirtualDomain(mailAddress.domain())) directory.addDomain(mailAddress.domain());
        directory.addUser(mailAddress, Passwords.hash(PASSWORD), 0);
        return directory.account(address).orElseThrow();
    }

    /** Delivers a message to the account's INBOX, as SMTP would. */
    void deliver(Account account, String message) throws Exception {
        deliver(account, new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    void deliver(Account account, InputStream message) throws Exception {
        delivery.deliver(message, account, account.address(), "sender@example.org");
    }

    /** A small message with the given subject and body (LF line ends, as a local program would write it). */
    static String message(String subject, String body) {
        return "From: Sender <sender@example.org>\nTo: someone@example.test\nSubject: " + subject
                + "\nMessage-ID: <" + subject.replace(' ', '.') + "@example.org>\n\n" + body;
    }

    InetSocketAddress pop3() {
        return net.address(Service.POP3);
    }

    InetSocketAddress pop3s() {
        return net.address(Service.POP3S);
    }

    /** A TLS client that trusts the server's (self-signed) certificate. */
    SSLSocketFactory clientTls() {
        return TestTls.socketFactory(tls);
    }

    /** The PEM file of the server's certificate, for external clients to trust. */
    Path certificate() {
        return tls.certificateFile();
    }

    @Override
    public void close() throws IOException {
        net.stop();
        store.close();
        directory.close();
    }
}
