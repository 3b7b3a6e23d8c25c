package org.cartero.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cartero.core.config.Config;
import org.cartero.core.directory.Directory;
import org.cartero.core.directory.TestDirectory;
import org.cartero.core.directory.VirtualAccount;
import org.cartero.core.mail.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The test configuration brakes after 2 failures and refuses after 4, within 15 minutes. */
class AuthenticatorTest {
    static final String PASSWORD = "Correct horse 42!";
    static final String MD5_CRYPT = "$1$abcdefgh$B0IhkpQoYAzxqusDjMRQd0"; // of PASSWORD: quick to check

    @TempDir
    Path dir;

    private Config config;
    private Directory directory;
    private Instant now = Instant.parse("2026-11-02T10:00:00Z");
    private final List<Duration> waits = new ArrayList<>();
    private Authenticator authenticator;
    private final InetAddress attacker = InetAddress.ofLiteral("192.0.2.66");
    private final InetAddress other = InetAddress.ofLiteral("2001:db8::7");
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void setUp() throws Exception {
        config = TestDirectory.config(dir);
        directory = Directory.open(config);
        directory.addDomain("example.test");
        directory.addUser(MailAddress.parse("alice@example.test"), MD5_CRYPT, 0);
        directory.addUser(MailAddress.parse("bob@example.test"), Passwords.hash(PASSWORD), 0);
        authenticator = new Authenticator(directory, config.auth(), () -> now, waits::add);
        logged.start();
        ((Logger) LoggerFactory.getLogger(Authenticator.class)).addAppender(logged);
    }

    @AfterEach
    void tearDown() {
        ((Logger) LoggerFactory.getLogger(Authenticator.class)).detachAppender(logged);
        directory.close();
    }

    private AuthResult login(String login, String password, InetAddress client) {
        return authenticator.authenticate(login, password, client);
    }

    @Test
    void virtualUsersByTheirStoredHash() {
        assertThat(login("alice@example.test", PASSWORD, other))
                .isEqualTo(new AuthResult.Success(new VirtualAccount(MailAddress.parse("alice@example.test"), 0)));
        assertThat(login("BOB@Example.Test", PASSWORD, other)).isInstanceOf(AuthResult.Success.class);
        assertThat(login("bob@example.test", "correct horse 42!", other)).isEqualTo(new AuthResult.BadCredentials());
        assertThat(login("nobody@example.test", PASSWORD, other)).isEqualTo(new AuthResult.BadCredentials());
        assertThat(login("alice@example.test", PASSWORD + "\u0000", other)).isEqualTo(new AuthResult.BadCredentials());
        assertThat(waits).as("the third failure from one client waits").containsExactly(Duration.ofMillis(500));
    }

    @Test
    void failuresAreDelayedThenRefusedUntilTheWindowPasses() {
        assertThat(login("alice@example.test", "guess1", attacker)).isEqualTo(new AuthResult.BadCredentials());
        assertThat(login("alice@example.test", "guess2", attacker)).isEqualTo(new AuthResult.BadCredentials());
        assertThat(waits).isEmpty();

        assertThat(login("alice@example.test", "guess3", attacker)).isEqualTo(new AuthResult.BadCredentials());
        assertThat(login("alice@example.test", "guess4", attacker)).isEqualTo(new AuthResult.BadCredentials());
        assertThat(waits).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));

        // Refused without a check, even with the right password.
        assertThat(login("alice@example.test", PASSWORD, attacker)).isEqualTo(new AuthResult.Throttled());
        now = now.plus(Duration.ofMinutes(14));
        assertThat(login("alice@example.test", PASSWORD, attacker)).isEqualTo(new AuthResult.Throttled());

        now = now.plus(Duration.ofMinutes(1));
        waits.clear();
        assertThat(login("alice@example.test", PASSWORD, attacker)).isInstanceOf(AuthResult.Success.class);
        assertThat(waits).isEmpty();
    }

    @Test
    void theDelayGrowsAndIsCapped() {
        BruteForceBrake brake = new BruteForceBrake(1, 100, Duration.ofHours(1), () -> now);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            brake.failed("192.0.2.1", "alice");
            delays.add(brake.check("192.0.2.1", "alice").delay());
        }
        assertThat(delays).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4), BruteForceBrake.MAX_DELAY, BruteForceBrake.MAX_DELAY, BruteForceBrake.MAX_DELAY,
                BruteForceBrake.MAX_DELAY);
    }

    @Test
    void oneClientGuessingManyUsersIsBrakedByItsAddress() {
        for (String user : List.of("a@example.test", "b@example.test", "c@example.test", "d@example.test")) {
            login(user, "guess", attacker);
        }
        assertThat(login("alice@example.test", PASSWORD, attacker)).isEqualTo(new AuthResult.Throttled());
        // The users themselves have one failure each: from elsewhere alice gets in.
        assertThat(login("alice@example.test", PASSWORD, other)).isInstanceOf(AuthResult.Success.class);
    }

    @Test
    void manyClientsGuessingOneUserAreBrakedByTheUserName() {
        for (int i = 1; i <= 4; i++) {
            login("alice@example.test", "guess", InetAddress.ofLiteral("198.51.100." + i));
        }
        assertThat(login("alice@example.test", PASSWORD, other)).isEqualTo(new AuthResult.Throttled());
        // Another spelling of the same login counts for the same user.
        assertThat(login("ALICE@example.test", PASSWORD, other)).isEqualTo(new AuthResult.Throttled());
        assertThat(login("bob@example.test", PASSWORD, other)).isInstanceOf(AuthResult.Success.class);
    }

    @Test
    void aSuccessResetsTheUsersCountButNotTheClients() {
        login("alice@example.test", "typo", other);
        login("alice@example.test", "typo", other);
        assertThat(login("alice@example.test", PASSWORD, other)).isInstanceOf(AuthResult.Success.class);
        assertThat(waits).containsExactly(Duration.ofMillis(500));

        waits.clear();
        login("alice@example.test", "typo", InetAddress.ofLiteral("198.51.100.9"));
        assertThat(waits).isEmpty();
        // alice has one failure since her success; this client still has its two.
        login("alice@example.test", "typo", other);
        assertThat(waits).containsExactly(Duration.ofMillis(500));
    }

    @Test
    void everyFailureIsLoggedWithLoginClientAndReasonButNeverThePassword() {
        login("alice@example.test", "s3cret-guess", attacker);
        login("nobody\r\nforged log line", "s3cret-guess", attacker);

        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "authentication failed: login=\"alice@example.test\" client=192.0.2.66 reason=wrong password",
                "authentication failed: login=\"nobody\\x0d\\x0aforged log line\" client=192.0.2.66 reason=no such user");
    }

    @Test
    void aDirectoryThatCannotBeReadMakesTheCheckUnavailable() {
        directory.close();

        assertThat(login("alice@example.test", PASSWORD, other)).isInstanceOf(AuthResult.Unavailable.class);
    }

    @Test
    void passwordsOnlyOverTlsUnlessAllowedOnLoopback() throws Exception {
        assertThat(authenticator.passwordAllowed(true, false)).isTrue();
        assertThat(authenticator.passwordAllowed(true, true)).isTrue();
        assertThat(authenticator.passwordAllowed(false, true)).isFalse();
        assertThat(authenticator.passwordAllowed(false, false)).isFalse();

        Config.Auth lenient = new Config.Auth(true, "cartero", 2, 4, Duration.ofMinutes(15));
        Authenticator onLoopback = new Authenticator(directory, lenient, () -> now, waits::add);
        assertThat(onLoopback.passwordAllowed(false, true)).isTrue();
        assertThat(onLoopback.passwordAllowed(false, false)).isFalse();
    }
}
