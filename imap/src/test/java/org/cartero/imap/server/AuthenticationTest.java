package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.cartero.core.config.Service;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * STARTTLS, LOGIN and AUTHENTICATE on a server that keeps passwords off unencrypted
 * connections (auth.plaintext_on_loopback is false, the default), and IMAPS.
 */
class AuthenticationTest {

    @RegisterExtension
    static final TestImapServer server = TestImapServer.loopback("", ImapSettings.DEFAULT);
    private static String user;

    @BeforeAll
    static void makeUser() throws Exception {
        user = server.newUser();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void beforeTlsTheGreetingOffersStartTlsAndDisablesLogin() throws Exception {
        try (TestClient client = TestClient.connect(server.address(Service.IMAP))) {
            String greeting = client.readLine();
            assertThat(greeting).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2").contains(" STARTTLS", " LOGINDISABLED")
                    .doesNotContain("AUTH=PLAIN");
            assertThat(client.command("LOGIN " + user + " " + TestImapServer.PASSWORD).getLast())
                    .startsWith("t1 NO [PRIVACYREQUIRED]");
            assertThat(client.command("AUTHENTICATE PLAIN " + base64("\0" + user + "\0" + TestImapServer.PASSWORD)).getLast())
                    .startsWith("t2 NO [PRIVACYREQUIRED]");
            assertThat(client.command("SELECT INBOX").getLast()).isEqualTo("t3 BAD Log in first");
        }
    }

    @Test
    void afterStartTlsLoginWorksAndTheCapabilitiesChange() throws Exception {
        try (TestClient client = TestClient.connect(server.address(Service.IMAP))) {
            client.readLine();
            assertThat(client.command("STARTTLS")).containsExactly("t1 OK Begin TLS negotiation now");
            client.startTls(server.tlsSocketFactory());
            List<String> capability = client.ok("CAPABILITY");
            assertThat(capability.getFirst()).contains("AUTH=PLAIN", "AUTH=LOGIN").doesNotContain("STARTTLS", "LOGINDISABLED");
            assertThat(client.command("STARTTLS").getLast()).startsWith("t3 BAD");
            List<String> login = client.ok("LOGIN " + user + " " + TestImapServer.PASSWORD);
            assertThat(login.getLast()).startsWith("t4 OK [CAPABILITY IMAP4rev1").contains("IDLE", "CONDSTORE", "Logged in");
        }
    }

    @Test
    void commandsPipelinedBehindStartTlsAreThrownAway() throws Exception {
        try (TestClient client = TestClient.connect(server.address(Service.IMAP))) {
            client.readLine();
            client.write(("a STARTTLS\r\nb LOGIN " + user + " " + TestImapServer.PASSWORD + "\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readLine()).isEqualTo("a OK Begin TLS negotiation now");
            client.startTls(server.tlsSocketFactory());
            // the injected LOGIN was not run: the session is still not authenticated
            assertThat(client.command("SELECT INBOX").getLast()).isEqualTo("t1 BAD Log in first");
        }
    }

    @Test
    void authenticatePlainWithAnInitialResponseOverImaps() throws Exception {
        try (TestClient client = TestClient.connectTls(server.address(Service.IMAPS), server.tlsSocketFactory())) {
            assertThat(client.readLine()).contains("AUTH=PLAIN").doesNotContain("STARTTLS");
            List<String> reply = client.command("AUTHENTICATE PLAIN " + base64("\0" + user + "\0" + TestImapServer.PASSWORD));
            assertThat(reply.getLast()).startsWith("t1 OK [CAPABILITY");
        }
    }

    @Test
    void authenticateLoginAsksForTheNameThenThePassword() throws Exception {
        try (TestClient client = TestClient.connectTls(server.address(Service.IMAPS), server.tlsSocketFactory())) {
            client.readLine();
            client.send("t1 AUTHENTICATE LOGIN");
            assertThat(client.readLine()).isEqualTo("+ " + base64("Username:"));
            client.send(base64(user));
            assertThat(client.readLine()).isEqualTo("+ " + base64("Password:"));
            client.send(base64(TestImapServer.PASSWORD));
            assertThat(client.readLine()).startsWith("t1 OK [CAPABILITY");
        }
    }

    @Test
    void aCancelledExchangeIsBadAndAWrongPasswordFails() throws Exception {
        try (TestClient client = TestClient.connectTls(server.address(Service.IMAPS), server.tlsSocketFactory())) {
            client.readLine();
            client.send("t1 AUTHENTICATE PLAIN");
            assertThat(client.readLine()).isEqualTo("+ ");
            client.send("*");
            assertThat(client.readLine()).isEqualTo("t1 BAD Authentication cancelled");
            assertThat(client.command("LOGIN " + user + " wrong").getLast()).isEqualTo("t1 NO [AUTHENTICATIONFAILED] Invalid credentials");
            assertThat(client.command("AUTHENTICATE CRAM-MD5").getLast()).startsWith("t2 NO Unsupported authentication mechanism");
            assertThat(client.command("AUTHENTICATE PLAIN !!!").getLast()).startsWith("t3 BAD");
        }
    }

    @Test
    void idSaysWhoTheServerIsAndLogoutSaysGoodbye() throws Exception {
        try (TestClient client = TestClient.connect(server.address(Service.IMAP))) {
            client.readLine();
            assertThat(client.ok("ID (\"name\" \"test\" \"version\" \"1\")")).first().asString().startsWith("* ID (\"name\" \"Cartero\"");
            assertThat(client.command("LOGOUT")).containsExactly("* BYE Logging out", "t2 OK LOGOUT completed");
            assertThat(client.readLine()).isNull();
        }
    }
}
