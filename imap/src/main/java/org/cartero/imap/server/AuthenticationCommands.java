package org.cartero.imap.server;

import java.io.IOException;
import java.net.InetAddress;
import org.cartero.core.auth.AuthResult;
import org.cartero.core.auth.SaslExchange;
import org.cartero.core.auth.SaslStep;
import org.cartero.core.directory.Account;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.ProtocolException;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.AccountStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** STARTTLS, LOGIN and AUTHENTICATE (RFC 9051 section 6.2, SASL-IR of RFC 4959). */
final class AuthenticationCommands {

    private static final Logger log = LoggerFactory.getLogger(AuthenticationCommands.class);

    private AuthenticationCommands() {
    }

    /** Whether a password may be sent now: over TLS, or on loopback if the configuration allows. */
    static boolean passwordAllowed(Session session) {
        return session.server.authenticator().passwordAllowed(session.connection.isTls(), session.connection.isLoopback());
    }

    /**
     * STARTTLS (RFC 9051 section 6.2.1): the OK, then the handshake. What the client sent after
     * the command was sent before TLS and is thrown away (a command injection, CVE-2011-0411).
     */
    static StatusResponse startTls(Session session, String tag) throws IOException, ImapException {
        if (session.connection.isTls()) throw ImapException.bad("TLS is active already");
        session.send(StatusResponse.ok(tag, "Begin TLS negotiation now"));
        session.flush();
        int discarded = session.reader.discardBuffered();
        if (discarded > 0) {
            log.warn("{}: threw away {} bytes sent after STARTTLS, before the TLS handshake", session.connection, discarded);
        }
        try {
            session.connection.startTls();
        } catch (IOException e) {
            throw new ClientGoneException(e);
        }
        return null;
    }

    /** LOGIN (RFC 9051 section 6.2.3): refused while passwords may not be sent (LOGINDISABLED). */
    static StatusResponse login(Session session, String tag, Command.Login command) throws IOException, ImapException {
        if (!passwordAllowed(session)) {
            throw ImapException.no(ResponseCode.PRIVACYREQUIRED, "LOGIN is disabled until TLS is active; use STARTTLS");
        }
        AuthResult result = session.server.authenticator().authenticate(command.user(), command.password(), client(session));
        return switch (result) {
            case AuthResult.Success success -> loggedIn(session, tag, success.account());
            case AuthResult.BadCredentials bad -> throw ImapException.no(ResponseCode.AUTHENTICATIONFAILED, "Invalid credentials");
            case AuthResult.Throttled throttled ->
                    throw ImapException.no(ResponseCode.UNAVAILABLE, "Too many failed logins; try again later");
            case AuthResult.Unavailable unavailable ->
                    throw ImapException.no(ResponseCode.UNAVAILABLE, "Authentication is not possible now; try again later");
        };
    }

    /**
     * AUTHENTICATE (RFC 9051 section 6.2.2): the SASL exchange, starting with the initial
     * response of SASL-IR (RFC 4959) if the client gave one. "*" cancels it with BAD.
     */
    static StatusResponse authenticate(Session session, String tag, Command.Authenticate command)
            throws IOException, ImapException {
        SaslExchange exchange = SaslExchange.create(command.mechanism(), session.server.authenticator(), client(session))
                .orElseThrow(() -> ImapException.no("Unsupported authentication mechanism " + command.mechanism()));
        if (!passwordAllowed(session)) {
            throw ImapException.no(ResponseCode.PRIVACYREQUIRED, command.mechanism() + " is disabled until TLS is active; use STARTTLS");
        }
        SaslStep step = exchange.start(command.initialResponse());
        while (step instanceof SaslStep.Challenge challenge) {
            session.writer.challenge(challenge.data());
            session.flush();
            byte[] response;
            try {
                response = session.reader.readSaslResponse();
            } catch (ProtocolException e) {
                throw ImapException.bad(e.getMessage());
            }
            if (response == null) throw ImapException.bad("Authentication cancelled");
            step = exchange.step(response);
        }
        return switch (step) {
            case SaslStep.Success success -> loggedIn(session, tag, success.account());
            case SaslStep.Failure failure -> throw switch (failure.reason()) {
                case MALFORMED -> ImapException.bad("Malformed " + exchange.mechanism() + " response: " + failure.message());
                case BAD_CREDENTIALS -> ImapException.no(ResponseCode.AUTHENTICATIONFAILED, "Invalid credentials");
                case NOT_AUTHORIZED -> ImapException.no(ResponseCode.AUTHORIZATIONFAILED, "Not allowed to act as that user");
                case TEMPORARY -> ImapException.no(ResponseCode.UNAVAILABLE, "Authentication is not possible now; try again later");
            };
            case SaslStep.Challenge challenge -> throw new IllegalStateException("the exchange goes on");
        };
    }

    /** Opens the account's mail and enters the authenticated state; the OK carries the new capabilities. */
    private static StatusResponse loggedIn(Session session, String tag, Account account) throws IOException, ImapException {
        if (!session.server.loggedIn(account)) {
            throw ImapException.no(ResponseCode.LIMIT, "Too many sessions of this user; close some first");
        }
        AccountStore store;
        try {
            store = session.server.mailStore().open(account);
        } catch (IOException | RuntimeException e) {
            session.server.loggedOut(account);
            throw e;
        }
        session.authenticated(account, store);
        return StatusResponse.ok(tag, new ResponseCode.Capability(session.capabilities()), "Logged in");
    }

    private static InetAddress client(Session session) {
        return session.connection.remoteAddress().getAddress();
    }
}
