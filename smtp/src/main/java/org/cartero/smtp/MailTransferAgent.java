package org.cartero.smtp;

import java.io.IOException;
import java.nio.file.Path;
import java.time.InstantSource;
import org.cartero.core.auth.Authenticator;
import org.cartero.core.config.Config;
import org.cartero.core.directory.Directory;
import org.cartero.core.net.ProtocolHandler;
import org.cartero.smtp.pickup.Pickup;
import org.cartero.smtp.queue.DeliveryAgent;
import org.cartero.smtp.queue.MailQueue;
import org.cartero.smtp.queue.RemoteTransport;
import org.cartero.smtp.queue.Scheduler;
import org.cartero.smtp.routing.Router;
import org.cartero.smtp.server.SmtpServer;
import org.cartero.smtp.srs.Srs;
import org.cartero.store.MailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP side of Cartero put together: the queue under data_dir/queue, its scheduler, the
 * router, local delivery into the store, the maildrop pickup, and the {@link ProtocolHandler}
 * for the smtp, submission and submissions listeners. {@link #start} picks up what the queue
 * holds from before; {@link #close} stops delivering (what is left waits for the next start).
 */
public final class MailTransferAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MailTransferAgent.class);
    /** The SRS secret's file in data_dir. */
    public static final String SRS_SECRET = "srs-secret";

    private final MailQueue queue;
    private final Scheduler scheduler;
    private final Pickup pickup;
    private final SmtpServer server;

    private MailTransferAgent(MailQueue queue, Scheduler scheduler, Pickup pickup, SmtpServer server) {
        this.queue = queue;
        this.scheduler = scheduler;
        this.pickup = pickup;
        this.server = server;
    }

    /**
     * @param transport delivery to other servers (the SMTP client)
     */
    public static MailTransferAgent start(Config config, SmtpSettings settings, Directory directory, MailStore store,
                                          Authenticator authenticator, RemoteTransport transport) throws IOException {
        MailQueue queue = MailQueue.open(queueDirectory(config.dataDir()));
        try {
            return start(config, settings, directory, store, authenticator, transport, queue);
        } catch (IOException | RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    private static MailTransferAgent start(Config config, SmtpSettings settings, Directory directory, MailStore store,
                                           Authenticator authenticator, RemoteTransport transport, MailQueue queue)
            throws IOException {
        Srs srs = Srs.open(config.dataDir().resolve(SRS_SECRET), settings.srsDomain(config.hostname()));
        Router router = new Router(directory, srs, config.hostname(), config.recipientDelimiter(), settings.postmaster());
        DeliveryAgent agent = new DeliveryAgent(queue, directory, store, transport, router, srs, settings,
                config.hostname(), InstantSource.system());
        Scheduler scheduler = new Scheduler(queue, agent, settings.deliveryConcurrency(), InstantSource.system());
        scheduler.start();
        Pickup pickup = new Pickup(queue, router, config.hostname(), settings.maxMessageSize(), scheduler::submit,
                scheduler::flush);
        try {
            pickup.start();
        } catch (IOException | RuntimeException e) {
            scheduler.close();
            throw e;
        }
        SmtpServer server = new SmtpServer(config, settings, directory, router, queue, authenticator, scheduler::submit);
        return new MailTransferAgent(queue, scheduler, pickup, server);
    }

    /** data_dir/queue. */
    public static Path queueDirectory(Path dataDir) {
        return dataDir.resolve("queue");
    }

    /** Serves the smtp, submission and submissions listeners. */
    public ProtocolHandler handler() {
        return server;
    }

    public MailQueue queue() {
        return queue;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    @Override
    public void close() {
        pickup.close();
        scheduler.close();
        try {
            queue.close();
        } catch (IOException e) {
            log.warn("Closing the queue: {}", e.toString());
        }
    }
}
