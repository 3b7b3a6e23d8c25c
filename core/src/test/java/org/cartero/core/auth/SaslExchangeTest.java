package org.cartero.core.auth;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import org.cartero.core.config.Config;
import org.cartero.core.directory.Directory;
import org.cartero.core.directory.TestDirectory;
import org.cartero.core.mail.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaslExchangeTest {
    private static final String PASSWORD = AuthenticatorTest.PASSWORD;
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private Directory directory;
    private Authenticator authenticator;

    @BeforeEach
    void setUp() throws Exception {
        Config config = TestDirectory.config(dir);
        directory = Directory.open(config);
        directory.addDomain("example.test");
        directory.addUser(MailAddress.parse("alice@example.test"), AuthenticatorTest.MD5_CRYPT, 0);
        Instant now = Instant.parse("2026-11-02T10:00:00Z");
        authenticator = new Authenticator(directory, config.auth(), () -> now, d -> {});
    }

    @AfterEach
    void tearDown() {
        directory.close();
    }

    private SaslExchange exchange(String mechanism) {
        return SaslExchange.create(mechanism, authenticator, CLIENT).orElseThrow();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static void assertFailure(SaslStep step, SaslStep.Reason reason, String message) {
        assertThat(step).isInstanceOf(SaslStep.Failure.class);
        assertThat(((SaslStep.Failure) step).reason()).isEqualTo(reason);
        assertThat(((SaslStep.Failure) step).message()).isEqualTo(message);
    }

    private static void assertChallenge(SaslStep step, String text) {
        assertThat(step).isInstanceOf(SaslStep.Challenge.class);
        assertThat(new String(((SaslStep.Challenge) step).data(), UTF_8)).isEqualTo(text);
    }

    @Test
    void mechanismsAreFoundWithoutCase() {
        assertThat(SaslExchange.MECHANISMS).containsExactly("PLAIN", "LOGIN");
        assertThat(exchange("plain").mechanism()).isEqualTo("PLAIN");
        assertThat(exchange("Login").mechanism()).isEqualTo("LOGIN");
        assertThat(SaslExchange.create("CRAM-MD5", authenticator, CLIENT)).isEmpty();
    }

    @Test
    void plainWithAnInitialResponse() {
        SaslStep step = exchange("PLAIN").start(bytes("\0alice@example.test\0" + PASSWORD));

        assertThat(step).isInstanceOf(SaslStep.Success.class);
        assertThat(((SaslStep.Success) step).account().name()).isEqualTo("alice@example.test");
    }

    @Test
    void plainWithoutAnInitialResponseSendsAnEmptyChallenge() {
        SaslExchange plain = exchange("PLAIN");

        assertChallenge(plain.start(null), "");
        assertThat(plain.step(bytes("alice@example.test\0alice@example.test\0" + PASSWORD)))
                .isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void plainRefusesAnotherAuthorizationIdentity() {
        assertFailure(exchange("PLAIN").start(bytes("bob@example.test\0alice@example.test\0" + PASSWORD)),
                SaslStep.Reason.NOT_AUTHORIZED, "alice@example.test may not act as bob@example.test");
        assertThat(exchange("PLAIN").start(bytes("ALICE@example.test\0alice@EXAMPLE.test\0" + PASSWORD)))
                .isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void plainWithAWrongPassword() {
        assertFailure(exchange("PLAIN").start(bytes("\0alice@example.test\0wrong")),
                SaslStep.Reason.BAD_CREDENTIALS, "invalid credentials");
    }

    @Test
    void malformedPlainMessages() {
        String structure = "PLAIN message must be authzid NUL authcid NUL password";
        assertFailure(exchange("PLAIN").start(bytes("alice@example.test " + PASSWORD)), SaslStep.Reason.MALFORMED, structure);
        assertFailure(exchange("PLAIN").start(bytes("\0alice@example.test")), SaslStep.Reason.MALFORMED, structure);
        assertFailure(exchange("PLAIN").start(bytes("\0alice\0pass\0word")), SaslStep.Reason.MALFORMED, structure);
        assertFailure(exchange("PLAIN").start(new byte[0]), SaslStep.Reason.MALFORMED, structure);
        assertFailure(exchange("PLAIN").start(bytes("\0\0" + PASSWORD)), SaslStep.Reason.MALFORMED,
                "PLAIN message has an empty user name");
        assertFailure(exchange("PLAIN").start(bytes("\0alice@example.test\0")), SaslStep.Reason.MALFORMED,
                "PLAIN message has an empty password");
        assertFailure(exchange("PLAIN").start(new byte[] {0, 'a', 0, (byte) 0xC3, '(' }), SaslStep.Reason.MALFORMED,
                "PLAIN message is not valid UTF-8");
        assertFailure(exchange("PLAIN").start(new byte[SaslExchange.MAX_RESPONSE + 1]), SaslStep.Reason.MALFORMED,
                "PLAIN message longer than 4096 bytes");
    }

    @Test
    void loginAsksForTheUserNameAndThePassword() {
        SaslExchange login = exchange("LOGIN");

        assertChallenge(login.start(null), "Username:");
        assertChallenge(login.step(bytes("alice@example.test")), "Password:");
        SaslStep step = login.step(bytes(PASSWORD));
        assertThat(step).isInstanceOf(SaslStep.Success.class);
    }

    @Test
    void loginTakesTheUserNameAsInitialResponse() {
        SaslExchange login = exchange("LOGIN");

        assertChallenge(login.start(bytes("alice@example.test")), "Password:");
        assertFailure(login.step(bytes("wrong")), SaslStep.Reason.BAD_CREDENTIALS, "invalid credentials");
    }

    @Test
    void malformedLoginResponses() {
        assertFailure(exchange("LOGIN").start(new byte[0]), SaslStep.Reason.MALFORMED, "LOGIN user name is empty");
        SaslExchange login = exchange("LOGIN");
        login.start(bytes("alice@example.test"));
        assertFailure(login.step(new byte[] {(byte) 0xFF}), SaslStep.Reason.MALFORMED, "LOGIN password is not valid UTF-8");
        assertFailure(exchange("LOGIN").start(bytes("ali\0ce")), SaslStep.Reason.MALFORMED, "LOGIN user name contains NUL");
    }

    @Test
    void throttledAttemptsAreTemporaryFailures() {
        for (int i = 0; i < 4; i++) exchange("PLAIN").start(bytes("\0alice@example.test\0wrong"));

        SaslStep step = exchange("PLAIN").start(bytes("\0alice@example.test\0" + PASSWORD));
        assertFailure(step, SaslStep.Reason.TEMPORARY, "too many failed attempts, try later");
        assertThat(((SaslStep.Failure) step).temporary()).isTrue();
    }

    @Test
    void anExchangeIsUsedOnce() {
        SaslExchange plain = exchange("PLAIN");
        assertThatThrownBy(() -> plain.step(bytes("x"))).isInstanceOf(IllegalStateException.class);
        plain.start(bytes("\0alice@example.test\0wrong"));
        assertThatThrownBy(() -> plain.step(bytes("\0alice@example.test\0" + PASSWORD)))
                .isInstanceOf(IllegalStateException.class).hasMessage("exchange is over");
        assertThatThrownBy(() -> plain.start(null)).isInstanceOf(IllegalStateException.class);
    }
}
