package org.cartero.core.auth;

import org.cartero.core.directory.Account;

/** The outcome of one password check by the {@link Authenticator}. */
public sealed interface AuthResult {

    record Success(Account account) implements AuthResult {}

    /** Unknown user, wrong password, or an account the system refuses (expired, locked). */
    record BadCredentials() implements AuthResult {}

    /** Too many recent failures from this client or for this user: refused without checking; try later. */
    record Throttled() implements AuthResult {}

    /** The check could not be made (the directory or PAM failed); temporary. */
    record Unavailable(String reason) implements AuthResult {}
}
