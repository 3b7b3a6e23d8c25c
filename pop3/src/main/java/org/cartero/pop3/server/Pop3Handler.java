package org.cartero.pop3.server;

import java.io.IOException;
import java.time.InstantSource;
import org.cartero.core.auth.Authenticator;
import org.cartero.core.auth.SaslExchange;
import org.cartero.core.net.Connection;
import org.cartero.core.net.ProtocolHandler;
import org.cartero.pop3.protocol.Capabilities;
import org.cartero.pop3.protocol.Response;
import org.cartero.pop3.protocol.ResponseCode;
import org.cartero.store.MailStore;

/**
 * POP3 on its listeners: 110 with STLS and 995 with implicit TLS (the listener core does the
 * handshake before {@link #serve}). One instance serves every POP3 connection; each runs a
 * {@link Pop3Session} on its own virtual thread.
 */
public final class Pop3Handler implements ProtocolHandler {
    private final String hostname;
    private final Pop3Settings settings;
    private final Authenticator authenticator;
    private final MailStore store;
    private final Capabilities capabilities;
    private final LoginDelays loginDelays;

    public Pop3Handler(String hostname, Pop3Settings settings, Authenticator authenticator, MailStore store) {
        this.hostname = hostname;
        this.settings = settings;
        this.authenticator = authenticator;
        this.store = store;
        this.capabilities = new Capabilities(
                settings.loginDelay() == null ? -1 : settings.loginDelay().toSeconds(),
                settings.expire() == null ? null : settings.expire().capability(),
                SaslExchange.MECHANISMS);
        this.loginDelays = settings.loginDelay() == null ? null : new LoginDelays(settings.loginDelay(), InstantSource.system());
    }

    @Override
    public void serve(Connection connection) throws IOException {
        new Pop3Session(this, connection).run();
    }

    @Override
    public void refuse(Connection connection, String reason) throws IOException {
        Response.error(ResponseCode.SYS_TEMP, reason).writeTo(connection.output());
    }

    String hostname() {
        return hostname;
    }

    Pop3Settings settings() {
        return settings;
    }

    Authenticator authenticator() {
        return authenticator;
    }

    MailStore store() {
        return store;
    }

    Capabilities capabilities() {
        return capabilities;
    }

    /** The LOGIN-DELAY bookkeeping, or null when no delay is configured. */
    LoginDelays loginDelays() {
        return loginDelays;
    }
}
