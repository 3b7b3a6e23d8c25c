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
import org.cartero.pop3.server.Pop3Handler;
import org.cartero.store.MailStore;
import org.cartero.store.embedded.EmbeddedMailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running mail server: opens the directory, the mail store and TLS, wires each protocol to
 * its listeners and starts them. {@link #stop()} (on SIGTERM) stops accepting, lets sessions finish within
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
            NetServer net = NetServer.start(config, tls, handlers(settings, directory, authenticator, store));
            log.info("Cartero {} started", config.hostname());
            return new CarteroServer(settings, directory, store, net);
        } catch (Exception | Error e) {
            if (store != null) store.close();
            directory.close();
            throw e;
        }
    }

    /** The protocol served on each kind of listener. */
    private static Map<Service, ProtocolHandler> handlers(Settings settings, Directory directory,
                                                         Authenticator authenticator, MailStore store) {
        Map<Service, ProtocolHandler> handlers = new EnumMap<>(Service.class);
        Pop3Handler pop3 = new Pop3Handler(settings.config().hostname(), settings.pop3(), authenticator, store);
        handlers.put(Service.POP3, pop3);
        handlers.put(Service.POP3S, pop3);
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
