package org.cartero.imap.server;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import org.cartero.core.auth.Authenticator;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.Directory;
import org.cartero.core.net.Connection;
import org.cartero.core.net.ProtocolHandler;
import org.cartero.imap.protocol.ResponseWriter;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.MailStore;

/**
 * The IMAP server (RFC 9051 IMAP4rev2 and RFC 3501 IMAP4rev1, with the extensions
 * {@link Capabilities} lists) over the mail store: the listener runs one {@link Session} per
 * connection, on port 143 with STARTTLS and on 993 with implicit TLS alike. What the sessions
 * share lives here: the settings, the store, the authenticator, the search engine, who has seen
 * which messages as \Recent, and the URLAUTH keys.
 */
public final class ImapServer implements ProtocolHandler {

    private final ImapSettings settings;
    private final String hostname;
    private final MailStore mailStore;
    private final Authenticator authenticator;
    private final Directory directory;
    private final SearchEngine search;
    private final RecentMessages recent = new RecentMessages();
    private final UrlAuthKeys urlAuthKeys;
    private final ConcurrentHashMap<String, Integer> sessionsPerUser = new ConcurrentHashMap<>();

    /**
     * @param hostname the server's name, the host of the IMAP URLs of URLAUTH (RFC 4467)
     * @param stateDirectory where the server keeps its own state (the URLAUTH access keys)
     * @param directory the users, for the owners of URLAUTH URLs
     */
    public ImapServer(ImapSettings settings, String hostname, Path stateDirectory, MailStore mailStore,
                      Authenticator authenticator, Directory directory, SearchEngine search) {
        this.settings = settings;
        this.hostname = hostname;
        this.mailStore = mailStore;
        this.authenticator = authenticator;
        this.directory = directory;
        this.search = search;
        this.urlAuthKeys = new UrlAuthKeys(stateDirectory.resolve("urlauth"));
    }

    @Override
    public void serve(Connection connection) throws IOException {
        new Session(this, connection).run();
    }

    /** "* BYE reason" (RFC 9051 section 7.1.5), e.g. when the server has too many connections. */
    @Override
    public void refuse(Connection connection, String reason) throws IOException {
        ResponseWriter writer = new ResponseWriter(connection.output());
        writer.write(StatusResponse.bye(Character.toUpperCase(reason.charAt(0)) + reason.substring(1)));
        writer.flush();
    }

    ImapSettings settings() {
        return settings;
    }

    String hostname() {
        return hostname;
    }

    MailStore mailStore() {
        return mailStore;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    Directory directory() {
        return directory;
    }

    SearchEngine search() {
        return search;
    }

    RecentMessages recent() {
        return recent;
    }

    UrlAuthKeys urlAuthKeys() {
        return urlAuthKeys;
    }

    /** Counts a session of {@code account}; false (and not counted) when it has too many already. */
    boolean loggedIn(Account account) {
        boolean[] counted = {false};
        sessionsPerUser.compute(key(account), (k, count) -> {
            int sessions = count == null ? 0 : count;
            if (sessions >= settings.maxConnectionsPerUser()) return count;
            counted[0] = true;
            return sessions + 1;
        });
        return counted[0];
    }

    void loggedOut(Account account) {
        sessionsPerUser.computeIfPresent(key(account), (k, count) -> count == 1 ? null : count - 1);
    }

    private static String key(Account account) {
        return account.getClass().getSimpleName() + ":" + account.name();
    }
}
