package org.cartero.server;

import java.util.EnumMap;
import java.util.Map;
import org.cartero.core.auth.Authenticator;
import org.cartero.core.config.Config;
import org.cartero.core.config.Service;
import org.cartero.core.directory.Directory;
import org.cartero.core.net.NetServer;
import org.cartero.core.net.ProtocolHandler;
import org.cartero.core.tls.TlsContext;
import org.cartero.imap.server.ImapServer;
import org.cartero.imap.server.MetadataSearch;
import org.cartero.store.MailStore;
import org.cartero.store.embedded.EmbeddedMailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running mail server: opens the directory and TLS, wires each protocol to its listeners
 * and starts them. {@link #stop()} (on SIGTERM) stops accepting, lets sessions finish within
 * {@code timeouts.shutdown} and closes everything.
 */
public final class CarteroServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CarteroServer.class);

    private final Settings settings;
    private final Directory directory;
    private final MailStore store;
    private final NetServer net;

    private CarteroServer(Settings settings, Directory directory, MailStore store, NetServer net) {
        this.settings = settings;
        this.directory = directory;
        this.store = store;
        this.net = net;
    }

    public static CarteroServer start(Settings settings) throws Exception {
        Config config = settings.config();
        TlsContext tls = TlsContext.create(config);
        Directory directory = Directory.open(config);
        MailStore store = null;
        try {
            store = new EmbeddedMailStore(settings.store());
            Authenticator authenticator = new Authenticator(directory, config.auth());
            NetServer net = NetServer.start(config, tls, handlers(settings, directory, store, authenticator));
            log.info("Cartero {} started", config.hostname());
            return new CarteroServer(settings, directory, store, net);
        } catch (Exception | Error e) {
            if (store != null) store.close();
            directory.close();
            throw e;
        }
    }

    /** The protocol served on each kind of listener. */
    private static Map<Service, ProtocolHandler> handlers(Settings settings, Directory directory, MailStore store,
                                                         Authenticator authenticator) {
        Map<Service, ProtocolHandler> handlers = new EnumMap<>(Service.class);
        Config config = settings.config();
        ImapServer imap = new ImapServer(settings.imap(), config.hostname(), config.dataDir().resolve("imap"), store,
                authenticator, directory, new MetadataSearch());
        handlers.put(Service.IMAP, imap);
        handlers.put(Service.IMAPS, imap);
        return handlers;
    }

    public Settings settings() { return settings; }

    /** The listening sockets actually bound (port 0 in the configuration means any free port). */
    public NetServer net() { return net; }

    public void stop() {
        net.stop();
        store.close();
        directory.close();
        log.info("Cartero stopped");
    }

    @Override
    public void close() {
        stop();
    }
}
