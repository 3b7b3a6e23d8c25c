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
import org.cartero.imap.server.IndexedSearch;
import org.cartero.pop3.server.Pop3Handler;
import org.cartero.smtp.MailTransferAgent;
import org.cartero.smtp.client.ClientTransport;
import org.cartero.smtp.client.RemoteDelivery;
import org.cartero.store.MailStore;
import org.cartero.store.embedded.EmbeddedMailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running mail server: opens the directory, the store and TLS, starts the mail queue, wires
 * each protocol to its listeners and starts them. {@link #stop()} (on SIGTERM) stops accepting,
 * lets sessions finish within {@code timeouts.shutdown}, stops the queue and closes everything.
 */
public final class CarteroServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CarteroServer.class);

    private final Settings settings;
    private final Directory directory;
    private final MailStore store;
    private final MailTransferAgent mta;
    private final NetServer net;

    private CarteroServer(Settings settings, Directory directory, MailStore store, MailTransferAgent mta, NetServer net) {
        this.settings = settings;
        this.directory = directory;
        this.store = store;
        this.mta = mta;
        this.net = net;
    }

    public static CarteroServer start(Settings settings) throws Exception {
        Config config = settings.config();
        TlsContext tls = TlsContext.create(config);
        Directory directory = Directory.open(config);
        MailStore store = null;
        MailTransferAgent mta = null;
        try {
            store = new EmbeddedMailStore(settings.store());
            Authenticator authenticator = new Authenticator(directory, config.auth());
            ClientTransport remote = new ClientTransport(RemoteDelivery.create(config, settings.smtpClient(), tls));
            mta = MailTransferAgent.start(config, settings.smtp(), directory, store, authenticator, remote);
            Pop3Handler pop3 = new Pop3Handler(config.hostname(), settings.pop3(), authenticator, store);
            ImapServer imap = new ImapServer(settings.imap(), config.hostname(), config.dataDir().resolve("imap"), store,
                    authenticator, directory, new IndexedSearch());
            NetServer net = NetServer.start(config, tls, handlers(mta, pop3, imap));
            log.info("Cartero {} started", config.hostname());
            return new CarteroServer(settings, directory, store, mta, net);
        } catch (Exception | Error e) {
            if (mta != null) mta.close();
            if (store != null) store.close();
            directory.close();
            throw e;
        }
    }

    /** The protocol served on each kind of listener. */
    private static Map<Service, ProtocolHandler> handlers(MailTransferAgent mta, Pop3Handler pop3, ImapServer imap) {
        Map<Service, ProtocolHandler> handlers = new EnumMap<>(Service.class);
        handlers.put(Service.SMTP, mta.handler());
        handlers.put(Service.SUBMISSION, mta.handler());
        handlers.put(Service.SUBMISSIONS, mta.handler());
        handlers.put(Service.POP3, pop3);
        handlers.put(Service.POP3S, pop3);
        handlers.put(Service.IMAP, imap);
        handlers.put(Service.IMAPS, imap);
        return handlers;
    }

    public Settings settings() { return settings; }

    /** The listening sockets actually bound (port 0 in the configuration means any free port). */
    public NetServer net() { return net; }

    /** The mail queue and its scheduler. */
    public MailTransferAgent mta() { return mta; }

    public void stop() {
        net.stop();
        mta.close();
        store.close();
        directory.close();
        log.info("Cartero stopped");
    }

    @Override
    public void close() {
        stop();
    }
}
