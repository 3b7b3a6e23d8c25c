package org.cartero.smtp.server;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.cartero.core.auth.Authenticator;
import org.cartero.core.config.Config;
import org.cartero.core.directory.Directory;
import org.cartero.core.net.Connection;
import org.cartero.core.net.ProtocolHandler;
import org.cartero.smtp.SmtpSettings;
import org.cartero.smtp.protocol.Reply;
import org.cartero.smtp.queue.MailQueue;
import org.cartero.smtp.queue.QueueEntry;
import org.cartero.smtp.routing.Router;

/**
 * The SMTP server as the listener core sees it: one {@link SmtpSession} per connection, on the
 * three kinds of listener (the connection's service says which): {@code smtp} for other servers
 * (MX), {@code submission} and {@code submissions} for users. Messages go into the queue; each
 * one accepted is handed to {@code onQueued} (the scheduler) at once.
 */
public final class SmtpServer implements ProtocolHandler {
    private final Config config;
    private final SmtpSettings settings;
    private final Router router;
    private final MailQueue queue;
    private final Authenticator authenticator;
    private final List<SessionPolicy> policies;
    private final Consumer<QueueEntry> onQueued;

    public SmtpServer(Config config, SmtpSettings settings, Directory directory, Router router, MailQueue queue,
                      Authenticator authenticator, Consumer<QueueEntry> onQueued) {
        this.config = config;
        this.settings = settings;
        this.router = router;
        this.queue = queue;
        this.authenticator = authenticator;
        this.onQueued = onQueued;
        this.policies = List.of(
                new SubmissionPolicy(directory),
                new RecipientLimitPolicy(settings.maxRecipients()),
                new RelayPolicy());
    }

    @Override
    public void serve(Connection connection) throws IOException {
        new SmtpSession(this, connection).run();
    }

    @Override
    public void refuse(Connection connection, String reason) throws IOException {
        // RFC 5321 section 3.8: 421 closes the transmission channel.
        Reply.of(421, "4.7.0", config.hostname() + " " + reason + ", closing connection").writeTo(connection.output());
        connection.flush();
    }

    Config config() {
        return config;
    }

    SmtpSettings settings() {
        return settings;
    }

    Router router() {
        return router;
    }

    MailQueue queue() {
        return queue;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    List<SessionPolicy> policies() {
        return policies;
    }

    void queued(QueueEntry entry) {
        onQueued.accept(entry);
    }
}
