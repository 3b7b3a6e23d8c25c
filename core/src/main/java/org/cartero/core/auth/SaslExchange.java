package org.cartero.core.auth;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The server side of one SASL authentication exchange (RFC 4422), independent of the protocol
 * that carries it: SMTP AUTH, IMAP AUTHENTICATE and POP3 AUTH all decode the client's base64
 * (and its "*" cancel) themselves and hand the raw bytes here. An exchange is used once:
 * {@link #start} (with the initial response, if the client sent one, RFC 4422 section 3.3),
 * then {@link #step} with each response until a {@link SaslStep.Success} or
 * {@link SaslStep.Failure}.
 */
public abstract sealed class SaslExchange permits PlainExchange, LoginExchange {

    /** The mechanisms offered, in the order protocols list them. Both send the password itself: offer them only where {@link Authenticator#passwordAllowed} says so. */
    public static final List<String> MECHANISMS = List.of("PLAIN", "LOGIN");

    /** Responses longer than this are refused as malformed, before any decoding. */
    static final int MAX_RESPONSE = 4096;

    protected final Authenticator authenticator;
    protected final InetAddress client;
    private boolean started;
    private boolean finished;

    SaslExchange(Authenticator authenticator, InetAddress client) {
        this.authenticator = authenticator;
        this.client = client;
    }

    /** A new exchange for {@code mechanism} (any case), or empty when it is not one of {@link #MECHANISMS}. */
    public static Optional<SaslExchange> create(String mechanism, Authenticator authenticator, InetAddress client) {
        return switch (mechanism.toUpperCase(Locale.ROOT)) {
            case "PLAIN" -> Optional.of(new PlainExchange(authenticator, client));
            case "LOGIN" -> Optional.of(new LoginExchange(authenticator, client));
            default -> Optional.empty();
        };
    }

    /** The mechanism's registered name. */
    public abstract String mechanism();

    /**
     * Begins the exchange.
     *
     * @param initialResponse the response sent with the command (SASL-IR; empty when the client
     *                        sent an empty one, "="), or null when it sent none
     */
    public final SaslStep start(byte[] initialResponse) {
        if (started) throw new IllegalStateException("exchange already started");
        started = true;
        return finish(initialResponse == null ? begin() : respond(initialResponse));
    }

    /** Takes the client's response to the last challenge. */
    public final SaslStep step(byte[] response) {
        if (!started || finished) throw new IllegalStateException(started ? "exchange is over" : "exchange not started");
        return finish(respond(response));
    }

    /** The first step when the client sent no initial response. */
    abstract SaslStep begin();

    abstract SaslStep respond(byte[] response);

    private SaslStep finish(SaslStep step) {
        if (!(step instanceof SaslStep.Challenge)) finished = true;
        return step;
    }

    /** Checks the password and turns the outcome into the last step of the exchange. */
    final SaslStep authenticate(String login, String password) {
        return switch (authenticator.authenticate(login, password, client)) {
            case AuthResult.Success s -> new SaslStep.Success(s.account());
            case AuthResult.BadCredentials b -> new SaslStep.Failure(SaslStep.Reason.BAD_CREDENTIALS, "invalid credentials");
            case AuthResult.Throttled t -> new SaslStep.Failure(SaslStep.Reason.TEMPORARY, "too many failed attempts, try later");
            case AuthResult.Unavailable u -> new SaslStep.Failure(SaslStep.Reason.TEMPORARY, u.reason());
        };
    }

    static SaslStep.Failure malformed(String message) {
        return new SaslStep.Failure(SaslStep.Reason.MALFORMED, message);
    }

    /** Strict UTF-8 decoding (RFC 4616 and the LOGIN convention both carry UTF-8); null when invalid. */
    static String utf8(byte[] bytes, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
