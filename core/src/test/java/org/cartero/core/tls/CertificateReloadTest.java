package org.cartero.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.cartero.core.config.Config;
import org.cartero.core.testing.TestConfigs;
import org.cartero.core.testing.TestTls;
import org.cartero.core.tls.OpenSslPki.Issued;
import org.cartero.core.tls.OpenSslPki.KeyFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renewal without restart: the certificate and key files are replaced while the server runs, and
 * the next handshake presents the new certificate. The clock that paces the checks is the test's.
 */
class CertificateReloadTest {
    @TempDir
    Path dir;
    private OpenSslPki pki;
    private Issued old;
    private Issued renewed;
    private Path certificateFile;
    private Path keyFile;
    private final TestClock clock = new TestClock();

    /** A clock that moves only when told. */
    private static final class TestClock implements InstantSource {
        private volatile Instant now = Instant.now();

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }
    }

    @BeforeEach
    void issueTwoCertificates() throws Exception {
        pki = new OpenSslPki(dir.resolve("pki"));
        old = pki.issue("old", KeyFormat.RSA_PKCS8, TestConfigs.HOSTNAME);
        renewed = pki.issue("renewed", KeyFormat.EC_SEC1, TestConfigs.HOSTNAME);
        certificateFile = dir.resolve("live/fullchain.pem");
        keyFile = dir.resolve("live/privkey.pem");
        Files.createDirectories(certificateFile.getParent());
        install(old.chain(), certificateFile);
        install(old.key(), keyFile);
    }

    private TlsContext start() throws Exception {
        Config config = TestConfigs.loopback(dir, TestConfigs.tlsSection(certificateFile, keyFile));
        return TlsContext.create(config, clock);
    }

    private static void install(Path source, Path target) throws Exception {
        Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A new client each time, so no session is resumed with the certificate of an earlier handshake. */
    private Certificate presented(HandshakeServer server) throws Exception {
        return server.handshake(TestTls.clientContext(pki.ca()))[0];
    }

    @Test
    void theNextHandshakeAfterRenewalPresentsTheNewCertificate() throws Exception {
        TlsContext tls = start();
        try (HandshakeServer server = new HandshakeServer(tls)) {
            assertThat(presented(server)).isEqualTo(old.certificate());

            install(renewed.chain(), certificateFile);
            install(renewed.key(), keyFile);
            assertThat(presented(server)).as("files are looked at no more than once a second").isEqualTo(old.certificate());

            clock.advance(ReloadingKeyManager.CHECK_INTERVAL);
            assertThat(presented(server)).isEqualTo(renewed.certificate());
            assertThat(tls.certificate()).isEqualTo(renewed.certificate());
        }
    }

    @Test
    void aBrokenOrHalfReplacedPairKeepsTheOldCertificateUntilThePairIsWhole() throws Exception {
        TlsContext tls = start();
        try (HandshakeServer server = new HandshakeServer(tls)) {
            Files.writeString(certificateFile, "-----BEGIN CERTIFICATE-----\ntruncated");
            clock.advance(ReloadingKeyManager.CHECK_INTERVAL);
            assertThat(presented(server)).as("a damaged file").isEqualTo(old.certificate());

            install(renewed.chain(), certificateFile); // the key is still the old one
            clock.advance(ReloadingKeyManager.CHECK_INTERVAL);
            assertThat(presented(server)).as("a new certificate with the old key").isEqualTo(old.certificate());

            install(renewed.key(), keyFile);
            clock.advance(ReloadingKeyManager.CHECK_INTERVAL);
            assertThat(presented(server)).isEqualTo(renewed.certificate());
        }
    }

    @Test
    void aMissingFileDuringReplacementKeepsTheOldCertificate() throws Exception {
        TlsContext tls = start();
        try (HandshakeServer server = new HandshakeServer(tls)) {
            Files.delete(keyFile);
            clock.advance(ReloadingKeyManager.CHECK_INTERVAL);
            assertThat(presented(server)).isEqualTo(old.certificate());

            install(renewed.chain(), certificateFile);
            install(renewed.key(), keyFile);
            clock.advance(ReloadingKeyManager.CHECK_INTERVAL);
            assertThat(presented(server)).isEqualTo(renewed.certificate());
        }
    }
}
