package org.cartero.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import org.cartero.core.config.Config;
import org.cartero.core.testing.TestConfigs;
import org.cartero.core.testing.TestTls;
import org.cartero.core.tls.OpenSslPki.Issued;
import org.cartero.core.tls.OpenSslPki.KeyFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Configured PEM certificate chains and keys, as openssl writes them, and every way they can be wrong. */
class CertificateFilesTest {
    @TempDir
    Path dir;
    private OpenSslPki pki;

    @BeforeEach
    void makeCa() throws Exception {
        pki = new OpenSslPki(dir.resolve("pki"));
    }

    private Config configWith(Path certificate, Path key) throws Exception {
        return TestConfigs.loopback(dir, TestConfigs.tlsSection(certificate, key));
    }

    @ParameterizedTest
    @EnumSource(KeyFormat.class)
    void servesTheChainWithAKeyInEachPemForm(KeyFormat format) throws Exception {
        Issued issued = pki.issue("server", format, TestConfigs.HOSTNAME);
        assertThat(Files.readString(issued.key())).contains(format.header);

        TlsContext tls = TlsContext.create(configWith(issued.chain(), issued.key()));
        assertThat(tls.certificate()).isEqualTo(issued.certificate());
        assertThat(tls.certificateFile()).isEqualTo(issued.chain());
        try (HandshakeServer server = new HandshakeServer(tls)) {
            // The client trusts only the CA: the handshake works only with the right key and the full chain.
            Certificate[] presented = server.handshake(TestTls.clientContext(pki.ca()));
            assertThat(presented).containsExactly(issued.certificate(), pki.ca());
        }
        assertThat(Files.exists(dir.resolve("data/tls"))).as("no self-signed certificate made").isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = KeyFormat.class, names = {"RSA_PKCS1", "EC_SEC1"})
    void aKeyOfAnotherCertificateIsRefusedAtStart(KeyFormat otherKeyFormat) throws Exception {
        Issued first = pki.issue("first", KeyFormat.RSA_PKCS8, TestConfigs.HOSTNAME);
        Issued other = pki.issue("other", otherKeyFormat, TestConfigs.HOSTNAME);
        Config config = configWith(first.chain(), other.key());
        assertThatThrownBy(() -> TlsContext.create(config)).isInstanceOf(TlsException.class)
                .hasMessage("private key file " + other.key() + " does not match the first certificate in "
                        + first.chain() + " (CN=" + TestConfigs.HOSTNAME + ")");
    }

    @Test
    void aChainWithTheServerCertificateLastIsRefused() throws Exception {
        Issued issued = pki.issue("server", KeyFormat.EC_PKCS8, TestConfigs.HOSTNAME);
        Path reversed = dir.resolve("reversed.pem");
        Files.writeString(reversed, Files.readString(dir.resolve("pki/ca.crt")) + Files.readString(dir.resolve("pki/server.crt")));
        Config config = configWith(reversed, issued.key());
        assertThatThrownBy(() -> TlsContext.create(config)).isInstanceOf(TlsException.class)
                .hasMessageContaining("does not match the first certificate");
    }

    @Test
    void aMissingCertificateFileIsNamed() throws Exception {
        Issued issued = pki.issue("server", KeyFormat.EC_PKCS8, TestConfigs.HOSTNAME);
        Path missing = dir.resolve("missing.pem");
        Config config = configWith(missing, issued.key());
        assertThatThrownBy(() -> TlsContext.create(config)).isInstanceOf(TlsException.class)
                .hasMessage("certificate file " + missing + ": no such file");
    }

    @Test
    void aMissingKeyFileIsNamed() throws Exception {
        Issued issued = pki.issue("server", KeyFormat.EC_PKCS8, TestConfigs.HOSTNAME);
        Path missing = dir.resolve("missing.key");
        Config config = configWith(issued.chain(), missing);
        assertThatThrownBy(() -> TlsContext.create(config)).isInstanceOf(TlsException.class)
                .hasMessage("private key file " + missing + ": no such file");
    }

    @Test
    void filesSwappedByMistakeAreNamedForWhatTheyLack() throws Exception {
        Issued issued = pki.issue("server", KeyFormat.EC_PKCS8, TestConfigs.HOSTNAME);
        Config swapped = configWith(issued.key(), issued.chain());
        assertThatThrownBy(() -> TlsContext.create(swapped)).isInstanceOf(TlsException.class)
                .hasMessage("certificate file " + issued.key() + ": no certificate in it (expected BEGIN CERTIFICATE)");

        Config keyIsCertificate = configWith(issued.chain(), issued.chain());
        assertThatThrownBy(() -> TlsContext.create(keyIsCertificate)).isInstanceOf(TlsException.class)
                .hasMessageStartingWith("private key file " + issued.chain() + ": no private key in it");
    }

    @Test
    void anEncryptedKeyIsRefusedWithAReason() throws Exception {
        Issued issued = pki.issue("server", KeyFormat.RSA_PKCS8, TestConfigs.HOSTNAME);
        pki.openssl("pkcs8", "-topk8", "-in", "server.key", "-out", "encrypted.key", "-passout", "pass:secret");
        Path encrypted = dir.resolve("pki/encrypted.key");
        assertThat(Files.readString(encrypted)).contains("BEGIN ENCRYPTED PRIVATE KEY");
        Config config = configWith(issued.chain(), encrypted);
        assertThatThrownBy(() -> TlsContext.create(config)).isInstanceOf(TlsException.class)
                .hasMessageContaining(encrypted + ": the key is encrypted");
    }

    @Test
    void aDamagedFileIsRefusedWithItsName() throws Exception {
        Issued issued = pki.issue("server", KeyFormat.EC_SEC1, TestConfigs.HOSTNAME);
        Path damaged = dir.resolve("damaged.pem");
        Files.writeString(damaged, "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        Config config = configWith(damaged, issued.key());
        assertThatThrownBy(() -> TlsContext.create(config)).isInstanceOf(TlsException.class)
                .hasMessageStartingWith("certificate file " + damaged + ": ");
    }
}
