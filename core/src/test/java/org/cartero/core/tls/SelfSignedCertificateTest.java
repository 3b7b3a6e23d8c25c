package org.cartero.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.cartero.core.config.Config;
import org.cartero.core.testing.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a configured certificate, Cartero makes one for its hostname once and keeps it in data_dir/tls. */
class SelfSignedCertificateTest {
    @TempDir
    Path dir;

    /** The test configuration with another hostname (written again each time, as an administrator would edit it). */
    private Config withHostname(String hostname) throws Exception {
        Path file = TestConfigs.write(dir, "");
        Files.writeString(file, Files.readString(file).replace(TestConfigs.HOSTNAME, hostname));
        return Config.load(file);
    }

    @Test
    void madeOnceForTheHostnameAndReusedOnTheNextStart() throws Exception {
        Config config = withHostname("mail.example.test");
        X509Certificate made = TlsContext.create(config).certificate();
        Path certificateFile = dir.resolve("data/tls/self-signed.crt");
        Path keyFile = dir.resolve("data/tls/self-signed.key");

        assertThat(made.getSubjectAlternativeNames()).containsExactly(List.of(2, "mail.example.test"));
        assertThat(made.getSubjectX500Principal().getName()).isEqualTo("CN=mail.example.test");
        assertThat(made.getIssuerX500Principal()).isEqualTo(made.getSubjectX500Principal());
        made.verify(made.getPublicKey());
        assertThat(made.getPublicKey()).isInstanceOfSatisfying(ECPublicKey.class,
                key -> assertThat(key.getParams().getCurve().getField().getFieldSize()).isEqualTo(256));
        assertThat(made.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3640)));
        assertThat(made.getBasicConstraints()).as("not a CA").isEqualTo(-1);
        assertThat(made.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Files.readString(keyFile)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(OpenSslPki.readCertificates(certificateFile)).containsExactly(made);

        byte[] keyBefore = Files.readAllBytes(keyFile);
        TlsContext again = TlsContext.create(withHostname("mail.example.test"));
        assertThat(again.certificate()).isEqualTo(made);
        assertThat(again.certificateFile()).isEqualTo(certificateFile);
        assertThat(Files.readAllBytes(keyFile)).isEqualTo(keyBefore);
    }

    @Test
    void aNewHostnameGetsANewCertificate() throws Exception {
        X509Certificate first = TlsContext.create(withHostname("mail.example.test")).certificate();
        X509Certificate second = TlsContext.create(withHostname("mx.example.test")).certificate();
        assertThat(second).isNotEqualTo(first);
        assertThat(second.getSubjectAlternativeNames()).containsExactly(List.of(2, "mx.example.test"));
    }

    @Test
    void damagedFilesAreMadeAgain() throws Exception {
        X509Certificate first = TlsContext.create(withHostname("mail.example.test")).certificate();
        Files.writeString(dir.resolve("data/tls/self-signed.key"), "garbage");
        X509Certificate second = TlsContext.create(withHostname("mail.example.test")).certificate();
        assertThat(second).isNotEqualTo(first);
        assertThat(Files.readString(dir.resolve("data/tls/self-signed.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }
}
