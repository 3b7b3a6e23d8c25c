package org.cartero.pop3.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AUTHORIZATION state over real sockets: CAPA, STLS, USER/PASS, AUTH and what is refused. */
class AuthorizationStateTest {
    private static final String USER = "alice@example.test";

    @TempDir
    Path dir;
    private Pop3TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = Pop3TestServer.start(dir, """
                [pop3]
                max_bad_commands = 20
                [limits]
                max_line_length = 1024
                [auth]
                failures_before_delay = 100
                max_failures = 1000
                """);
        server.addUser(USER);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theGreetingNamesTheServerAndCarriesNoApopTimestamp() throws Exception {
        try (var client = org.cartero.core.testing.LineClient.connect(server.pop3())) {
            String greeting = client.readLine();
            assertThat(greeting).isEqualTo("+OK mail.example.test Cartero POP3 server ready");
            assertThat(greeting).doesNotContain("<");
        }
    }

    @Test
    void beforeTlsCapaOffersStlsButNoPasswordLogin() throws Exception {
        try (Pop3Client client = Pop3Client.plain(server)) {
            assertThat(client.multiline("CAPA")).containsExactly("TOP", "UIDL", "RESP-CODES", "PIPELINING",
                    "AUTH-RESP-CODE", "STLS", "UTF8", "IMPLEMENTATION Cartero");
            assertThat(client.command("USER " + USER))
                    .isEqualTo("-ERR [AUTH] plaintext authentication is disallowed without TLS: use STLS or port 995");
            assertThat(client.command("AUTH PLAIN " + base64("\0" + USER + "\0" + Pop3TestServer.PASSWORD)))
                    .startsWith("-ERR [AUTH] plaintext authentication is disallowed");
            assertThat(client.multiline("AUTH")).isEmpty();
        }
    }

    @Test
    void afterStlsCapaOffersUserAndSaslAndNoLongerStls() throws Exception {
        try (Pop3Client client = Pop3Client.stls(server)) {
            assertThat(client.line.tlsSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(client.multiline("CAPA")).containsExactly("TOP", "UIDL", "RESP-CODES", "PIPELINING",
                    "AUTH-RESP-CODE", "USER", "SASL PLAIN LOGIN", "UTF8 USER", "IMPLEMENTATION Cartero");
            assertThat(client.command("STLS")).isEqualTo("-ERR TLS is already active");
            client.login(USER);
        }
    }

    @Test
    void commandsPipelinedBehindStlsAreDiscarded() throws Exception {
        try (Pop3Client client = Pop3Client.plain(server)) {
            client.line.write("STLS\r\nUSER injected\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.status()).startsWith("+OK");
            client.line.startTls(server.clientTls());
            // Had "USER injected" survived, PASS would be taken for its password.
            assertThat(client.command("PASS " + Pop3TestServer.PASSWORD)).isEqualTo("-ERR PASS must follow USER");
        }
    }

    @Test
    void plaintextOnLoopbackWhenConfigured() throws Exception {
        server.close();
        server = Pop3TestServer.start(dir.resolve("loopback"), "[auth]\nplaintext_on_loopback = true\n");
        server.addUser(USER);
        try (Pop3Client client = Pop3Client.plain(server)) {
            assertThat(client.multiline("CAPA")).contains("USER", "SASL PLAIN LOGIN", "STLS");
            client.login(USER);
        }
    }

    @Test
    void userAndPassOverImplicitTls() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            assertThat(client.multiline("CAPA")).contains("USER").doesNotContain("STLS");
            assertThat(client.command("USER " + USER)).isEqualTo("+OK send PASS");
            assertThat(client.command("PASS " + Pop3TestServer.PASSWORD))
                    .isEqualTo("+OK maildrop locked and ready, 0 messages (0 octets)");
        }
    }

    @Test
    void aWrongPasswordIsAnAuthErrorAndTheSessionStaysInAuthorization() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            client.command("USER " + USER);
            assertThat(client.command("PASS wrong")).isEqualTo("-ERR [AUTH] invalid user name or password");
            assertThat(client.command("STAT")).isEqualTo("-ERR STAT is valid only after login");
            client.command("USER nobody@example.test");
            assertThat(client.command("PASS " + Pop3TestServer.PASSWORD)).isEqualTo("-ERR [AUTH] invalid user name or password");
            client.login(USER);
        }
    }

    @Test
    void passMustFollowUserImmediately() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            assertThat(client.command("PASS " + Pop3TestServer.PASSWORD)).isEqualTo("-ERR PASS must follow USER");
            client.command("USER " + USER);
            client.multiline("CAPA");
            assertThat(client.command("PASS " + Pop3TestServer.PASSWORD)).isEqualTo("-ERR PASS must follow USER");
        }
    }

    @Test
    void transactionCommandsAreRefusedBeforeLoginAndLoginCommandsAfter() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            for (String command : new String[] {"STAT", "LIST", "UIDL", "RETR 1", "TOP 1 0", "DELE 1", "RSET", "NOOP"}) {
                assertThat(client.command(command)).isEqualTo("-ERR " + command.split(" ")[0] + " is valid only after login");
            }
            client.login(USER);
            for (String command : new String[] {"USER x", "PASS x", "AUTH PLAIN", "STLS", "UTF8"}) {
                assertThat(client.command(command)).isEqualTo("-ERR " + command.split(" ")[0] + " is valid only before login");
            }
        }
    }

    @Test
    void authPlainWithAnInitialResponse() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            assertThat(client.command("AUTH PLAIN " + base64("\0" + USER + "\0" + Pop3TestServer.PASSWORD)))
                    .startsWith("+OK maildrop locked and ready");
        }
    }

    @Test
    void authPlainWithAnEmptyChallenge() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            assertThat(client.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(client.command(base64("\0" + USER + "\0" + Pop3TestServer.PASSWORD))).startsWith("+OK");
        }
    }

    @Test
    void authLoginAsksForTheNameThenThePassword() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            assertThat(client.command("AUTH LOGIN")).isEqualTo("+ " + base64("Username:"));
            assertThat(client.command(base64(USER))).isEqualTo("+ " + base64("Password:"));
            assertThat(client.command(base64(Pop3TestServer.PASSWORD))).startsWith("+OK maildrop locked and ready");
        }
    }

    @Test
    void authFailuresCancelsAndBadBase64AreRefused() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            assertThat(client.multiline("AUTH")).containsExactly("PLAIN", "LOGIN");
            assertThat(client.command("AUTH CRAM-MD5")).isEqualTo("-ERR unsupported SASL mechanism");
            assertThat(client.command("AUTH PLAIN " + base64("\0" + USER + "\0wrong")))
                    .isEqualTo("-ERR [AUTH] invalid user name or password");
            assertThat(client.command("AUTH LOGIN")).startsWith("+ ");
            assertThat(client.command("*")).isEqualTo("-ERR authentication cancelled");
            assertThat(client.command("AUTH LOGIN")).startsWith("+ ");
            assertThat(client.command("%%%")).isEqualTo("-ERR the SASL response is not valid base64");
            assertThat(client.command("AUTH PLAIN " + base64("only one part")))
                    .isEqualTo("-ERR malformed SASL response: PLAIN message must be authzid NUL authcid NUL password");
            assertThat(client.command("AUTH PLAIN " + base64("someone.else@example.test\0" + USER + "\0" + Pop3TestServer.PASSWORD)))
                    .isEqualTo("-ERR [AUTH] not authorized to act as another user");
            client.login(USER);
        }
    }

    @Test
    void utf8IsAcceptedBeforeLogin() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            assertThat(client.command("UTF8")).isEqualTo("+OK UTF-8 mode on");
            client.login(USER);
        }
    }

    @Test
    void unknownCommandsAndOverlongLinesGetAnErrorAndTheSessionGoesOn() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            assertThat(client.command("XYZZY")).isEqualTo("-ERR unknown command");
            assertThat(client.command("USER " + "x".repeat(5000))).isEqualTo("-ERR line longer than 1024 octets");
            assertThat(client.command("APOP mrose c4c9334bac560ecc979e58001b3e22fb"))
                    .isEqualTo("-ERR APOP is not supported: use USER and PASS, or AUTH");
            client.login(USER);
            assertThat(client.command("STAT")).isEqualTo("+OK 0 0");
        }
    }

    @Test
    void tooManyBadCommandsCloseTheSession() throws Exception {
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            for (int i = 1; i < 20; i++) assertThat(client.command("BOGUS " + i)).isEqualTo("-ERR unknown command");
            assertThat(client.command("BOGUS 20")).isEqualTo("-ERR unknown command; too many bad commands, closing the connection");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void quitBeforeLoginSaysGoodbyeAndCloses() throws Exception {
        try (Pop3Client client = Pop3Client.plain(server)) {
            assertThat(client.command("QUIT")).isEqualTo("+OK mail.example.test Cartero POP3 server signing off");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void aConnectionBeyondTheLimitIsRefusedWithSysTemp() throws Exception {
        server.close();
        server = Pop3TestServer.start(dir.resolve("limit"), "[limits]\nmax_connections_per_ip = 1\n");
        try (Pop3Client first = Pop3Client.plain(server);
             var second = org.cartero.core.testing.LineClient.connect(server.pop3())) {
            assertThat(second.readLine()).isEqualTo("-ERR [SYS/TEMP] too many connections from your address, try again later");
            assertThat(second.readLine()).isNull();
            assertThat(first.command("NOOP")).isEqualTo("-ERR NOOP is valid only after login");
        }
    }

    @Test
    void loginDelayIsAnnouncedAndEnforcedWhenConfigured() throws Exception {
        server.close();
        server = Pop3TestServer.start(dir.resolve("delay"), "[pop3]\nlogin_delay = \"1h\"\nexpire = \"never\"\n");
        server.addUser(USER);
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            assertThat(client.multiline("CAPA")).contains("LOGIN-DELAY 3600", "EXPIRE NEVER");
            client.login(USER);
            assertThat(client.multiline("CAPA")).contains("LOGIN-DELAY 3600", "EXPIRE NEVER");
            client.command("QUIT");
        }
        try (Pop3Client client = Pop3Client.implicitTls(server)) {
            client.command("USER " + USER);
            assertThat(client.command("PASS " + Pop3TestServer.PASSWORD))
                    .isEqualTo("-ERR [LOGIN-DELAY] wait 3600 seconds between logins");
        }
    }
}
