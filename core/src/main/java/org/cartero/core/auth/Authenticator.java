package org.cartero.core.auth;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import org.cartero.core.config.Config;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.Directory;
import org.cartero.core.directory.DirectoryException;
import org.cartero.core.directory.LocalAccount;
import org.cartero.core.directory.VirtualAccount;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks user names and passwords for every protocol: virtual users against their stored hash,
 * local users through PAM. Failures are slowed down and then refused per client IP and per
 * user (the [auth] settings), and each one is logged with the login, the client and the
 * reason, never the password. Thread-safe; one instance serves the whole server.
 */
public final class Authenticator {
    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    /** Waits before a check; the tests record the waits instead. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Checked against when the user does not exist, so that an unknown user costs as long as a wrong password. */
    private static final class Decoy {
        static final String HASH = Passwords.hash(Long.toHexString(new SecureRandom().nextLong()));
    }

    private final Directory directory;
    private final Config.Auth settings;
    private final BruteForceBrake brake;
    private final Sleeper sleeper;

    public Authenticator(Directory directory, Config.Auth settings) {
        this(directory, settings, InstantSource.system(), Thread::sleep);
    }

    Authenticator(Directory directory, Config.Auth settings, InstantSource clock, Sleeper sleeper) {
        this.directory = directory;
        this.settings = settings;
        this.brake = new BruteForceBrake(settings.failuresBeforeDelay(), settings.maxFailures(),
                settings.failureWindow(), clock);
        this.sleeper = sleeper;
    }

    /**
     * Whether a password may be sent on this connection: only over TLS, except on loopback when
     * {@code auth.plaintext_on_loopback} is true. A protocol that gets false offers no password
     * mechanism (and answers an attempt with "encryption required").
     */
    public boolean passwordAllowed(boolean tls, boolean loopback) {
        return tls || loopback && settings.plaintextOnLoopback();
    }

    /**
     * Checks {@code password} for {@code login} (a local user's name, or name@localdomain; a
     * virtual user's address). May wait first when this client or user has failed recently.
     */
    public AuthResult authenticate(String login, String password, InetAddress client) {
        String ip = client.getHostAddress();
        Optional<Account> account;
        try {
            account = directory.account(login);
        } catch (DirectoryException e) {
            return directoryFailed(login, ip, e);
        }
        String user = account.map(Account::name).orElse(login.toLowerCase(Locale.ROOT));

        BruteForceBrake.Decision decision = brake.check(ip, user);
        if (decision.refused()) {
            log.warn("authentication refused: login={} client={} reason=too many failures within {}",
                    printable(login), ip, settings.failureWindow());
            return new AuthResult.Throttled();
        }
        if (!decision.delay().isZero()) {
            try {
                sleeper.sleep(decision.delay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new AuthResult.Unavailable("interrupted");
            }
        }

        if (account.isEmpty()) {
            Passwords.verify(password, Decoy.HASH);
            return failed(login, ip, user, "no such user");
        }
        return switch (account.get()) {
            case VirtualAccount v -> checkVirtual(v, login, password, ip, user);
            case LocalAccount l -> checkLocal(l, login, password, client, user);
        };
    }

    private AuthResult checkVirtual(VirtualAccount account, String login, String password, String ip, String user) {
        Optional<String> hash;
        try {
            hash = directory.passwordHash(account);
        } catch (DirectoryException e) {
            return directoryFailed(login, ip, e);
        }
        if (hash.isEmpty()) return failed(login, ip, user, "no such user");
        if (!Passwords.isSupported(hash.get())) {
            log.error("the stored password hash of {} is in a scheme Cartero does not know; set a new password", user);
            return failed(login, ip, user, "unusable stored password hash");
        }
        if (!Passwords.verify(password, hash.get())) return failed(login, ip, user, "wrong password");
        return succeeded(account, ip, user);
    }

    private AuthResult checkLocal(LocalAccount account, String login, String password, InetAddress client, String user) {
        String ip = client.getHostAddress();
        Pam.Result result = Pam.authenticate(settings.pamService(), account.name(), password, client);
        return switch (result.outcome()) {
            case SUCCESS -> succeeded(account, ip, user);
            case REJECTED -> failed(login, ip, user, "PAM: " + result.message());
            case UNAVAILABLE -> {
                log.error("authentication of {} from {} impossible: PAM service {}: {}",
                        printable(login), ip, settings.pamService(), result.message());
                yield new AuthResult.Unavailable("PAM: " + result.message());
            }
        };
    }

    private static AuthResult directoryFailed(String login, String ip, DirectoryException e) {
        log.error("authentication of {} from {} impossible: {}", printable(login), ip, e.getMessage());
        return new AuthResult.Unavailable("the user directory cannot be read");
    }

    private AuthResult succeeded(Account account, String ip, String user) {
        brake.succeeded(user);
        log.debug("authenticated {} from {}", account.name(), ip);
        return new AuthResult.Success(account);
    }

    private AuthResult failed(String login, String ip, String user, String reason) {
        brake.failed(ip, user);
        log.warn("authentication failed: login={} client={} reason={}", printable(login), ip, reason);
        return new AuthResult.BadCredentials();
    }

    /** The login as it may go into a log line: control characters escaped, at most 100 characters. */
    private static String printable(String login) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < login.length() && s.length() < 100; i++) {
            char c = login.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                s.append(String.format("\\x%02x", (int) c));
            } else {
                s.append(c);
            }
        }
        return "\"" + s + (login.length() > 100 ? "...\"" : "\"");
    }
}
