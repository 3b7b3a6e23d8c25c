package org.cartero.core.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate Cartero makes for itself when none is configured: an EC P-256 key, the hostname
 * as subject and subject alternative name, valid for ten years. It is made once and kept in
 * {@code data_dir/tls/} (the key file readable by its owner only), then reused on later starts. A
 * new one is made when the hostname no longer matches or the old one is about to expire.
 */
final class SelfSignedCertificate {
    private static final Logger log = LoggerFactory.getLogger(SelfSignedCertificate.class);
    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    // A day of slack for clients whose clocks run behind.
    private static final Duration BACKDATE = Duration.ofDays(1);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> WORLD_READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private SelfSignedCertificate() {}

    static Path certificateFile(Path dataDir) {
        return dataDir.resolve("tls").resolve("self-signed.crt");
    }

    static Path privateKeyFile(Path dataDir) {
        return dataDir.resolve("tls").resolve("self-signed.key");
    }

    /** Leaves usable files in place, or makes new ones. */
    static void ensure(Path dataDir, String hostname, Instant now) throws TlsException {
        Path certificateFile = certificateFile(dataDir);
        Path keyFile = privateKeyFile(dataDir);
        if (Files.exists(certificateFile) && Files.exists(keyFile)) {
            try {
                X509Certificate existing = KeyMaterial.load(certificateFile, keyFile).certificate();
                String problem = whyNotReusable(existing, hostname, now);
                if (problem == null) return;
                log.info("Making a new self-signed certificate for {}: {}", hostname, problem);
            } catch (TlsException e) {
                log.warn("Making a new self-signed certificate for {}: {}", hostname, e.getMessage());
            }
        } else {
            log.info("No certificate configured: making a self-signed certificate for {} in {}",
                    hostname, certificateFile.getParent());
        }
        KeyMaterial made = make(hostname, now);
        try {
            Files.createDirectories(certificateFile.getParent(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            // The key first: a crash in between leaves no certificate, so the next start makes both again.
            writeDurably(keyFile, PemFiles.privateKeyPem(made.privateKey()), OWNER_ONLY);
            writeDurably(certificateFile, PemFiles.certificatesPem(made.chain()), WORLD_READABLE);
        } catch (IOException e) {
            throw new TlsException("cannot write the self-signed certificate into " + certificateFile.getParent()
                    + ": " + e.getMessage(), e);
        }
    }

    private static String whyNotReusable(X509Certificate certificate, String hostname, Instant now) {
        if (!certificate.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))) {
            return "the old one expires on " + certificate.getNotAfter().toInstant();
        }
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            boolean named = names != null && names.stream()
                    .anyMatch(n -> n.get(0).equals(GeneralName.dNSName) && hostname.equals(n.get(1)));
            return named ? null : "the old one is not for this hostname";
        } catch (CertificateParsingException e) {
            return "the old one has unreadable names";
        }
    }

    private static KeyMaterial make(String hostname, Instant now) throws TlsException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();

            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
            BigInteger serial = new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), subject, pair.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.dNSName, hostname)))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    // Both key identifiers: strict verifiers (Python 3.13's default, OpenSSL's X509_STRICT) ask for them.
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return KeyMaterial.of(pair.getPrivate(), certificate);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new TlsException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** Writes a new file beside the target, forces it to disk and renames it over the target. */
    private static void writeDurably(Path target, String content, Set<PosixFilePermission> permissions)
            throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".new");
        Files.deleteIfExists(temporary);
        try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(permissions))) {
            ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) channel.write(bytes);
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }
}
