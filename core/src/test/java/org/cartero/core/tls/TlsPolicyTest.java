package org.cartero.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cartero.core.testing.TestConfigs;
import org.cartero.core.tls.OpenSslPki.Issued;
import org.cartero.core.tls.OpenSslPki.KeyFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS 1.2 and 1.3 only, forward-secret AEAD suites only, seen by openssl s_client, a client
 * that still offers everything older when asked to. The server has an RSA certificate, so RSA
 * key exchange and DHE suites would be possible if the policy allowed them.
 */
class TlsPolicyTest {
    @TempDir
    Path dir;
    private HandshakeServer server;

    private record Outcome(boolean connected, String output) {}

    @BeforeEach
    void start() throws Exception {
        OpenSslPki pki = new OpenSslPki(dir.resolve("pki"));
        Issued issued = pki.issue("server", KeyFormat.RSA_PKCS1, TestConfigs.HOSTNAME);
        TlsContext tls = TlsContext.create(TestConfigs.loopback(dir, TestConfigs.tlsSection(issued.chain(), issued.key())));
        server = new HandshakeServer(tls);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /** Runs s_client with these options; SECLEVEL=0 lets it offer what OpenSSL itself would refuse. */
    private Outcome sClient(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.port()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(new File("/dev/null")).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("s_client ended").isTrue();
        boolean connected = process.exitValue() == 0 && output.contains("Cipher is ") && !output.contains("Cipher is (NONE)");
        return new Outcome(connected, output);
    }

    @Test
    void tls13IsAccepted() throws Exception {
        Outcome outcome = sClient("-tls1_3");
        assertThat(outcome.connected()).as(outcome.output()).isTrue();
        assertThat(outcome.output()).contains("TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384");
    }

    @Test
    void tls12IsAcceptedWithForwardSecretAeadSuites() throws Exception {
        Outcome outcome = sClient("-tls1_2", "-cipher", "ALL:@SECLEVEL=0");
        assertThat(outcome.connected()).as(outcome.output()).isTrue();
        assertThat(outcome.output()).contains("TLSv1.2, Cipher is ECDHE-RSA-AES256-GCM-SHA384");
    }

    @Test
    void tls11AndTls10AreRefused() throws Exception {
        for (String version : List.of("-tls1_1", "-tls1")) {
            Outcome outcome = sClient(version, "-cipher", "ALL:@SECLEVEL=0");
            assertThat(outcome.connected()).as(version + "\n" + outcome.output()).isFalse();
        }
    }

    @Test
    void tls12SuitesWithoutForwardSecrecyOrWithoutAeadAreRefused() throws Exception {
        List<String> refused = List.of(
                "AES128-GCM-SHA256",            // RSA key exchange: no forward secrecy
                "DHE-RSA-AES128-GCM-SHA256",    // finite-field DHE
                "ECDHE-RSA-AES128-SHA",         // CBC with SHA-1
                "ECDHE-RSA-AES256-SHA384");     // CBC
        for (String suite : refused) {
            Outcome outcome = sClient("-tls1_2", "-cipher", suite + ":@SECLEVEL=0");
            assertThat(outcome.connected()).as(suite + "\n" + outcome.output()).isFalse();
        }
        Outcome chacha = sClient("-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305");
        assertThat(chacha.connected()).as(chacha.output()).isTrue();
    }
}
