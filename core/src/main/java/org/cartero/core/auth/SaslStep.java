package org.cartero.core.auth;

import org.cartero.core.directory.Account;

/** What a {@link SaslExchange} says after each client response: ask again, or the outcome. */
public sealed interface SaslStep {

    /** Send {@code data} to the client (the protocol encodes it, e.g. in base64) and wait for its response. */
    record Challenge(byte[] data) implements SaslStep {}

    record Success(Account account) implements SaslStep {}

    /** The exchange is over without success; {@code message} says why, for the log. */
    record Failure(Reason reason, String message) implements SaslStep {
        /** True when trying again later may succeed (the protocol answers with a temporary error). */
        public boolean temporary() {
            return reason == Reason.TEMPORARY;
        }
    }

    enum Reason {
        /** The client's response does not follow the mechanism's syntax. */
        MALFORMED,
        /** Unknown user or wrong password. */
        BAD_CREDENTIALS,
        /** Authenticated, but asked to act as another identity (an authorization identity) it may not be. */
        NOT_AUTHORIZED,
        /** Throttled, or the directory or PAM cannot answer now. */
        TEMPORARY
    }
}
