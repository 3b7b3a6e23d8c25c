package org.cartero.core.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes PEM files: certificate chains, and RSA or EC private keys in any of the three
 * forms OpenSSL writes ({@code BEGIN RSA PRIVATE KEY} = PKCS#1, {@code BEGIN EC PRIVATE KEY} =
 * SEC1 / RFC 5915, {@code BEGIN PRIVATE KEY} = PKCS#8 / RFC 5208). Keys are handed to the JDK's
 * own providers, so the TLS stack sees ordinary {@code RSA} and {@code EC} keys.
 */
final class PemFiles {
    private PemFiles() {}

    /** The certificates of a PEM file in file order: the server's own first, then its chain. */
    static List<X509Certificate> readCertificates(Path file) throws TlsException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (Object object : readObjects(file, "certificate")) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    chain.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsException("certificate file " + file + ": unusable certificate: " + e.getMessage(), e);
                }
            }
        }
        if (chain.isEmpty()) {
            throw new TlsException("certificate file " + file + ": no certificate in it (expected BEGIN CERTIFICATE)");
        }
        return List.copyOf(chain);
    }

    /** The one private key of a PEM file (other blocks, such as EC PARAMETERS, are skipped). */
    static PrivateKey readPrivateKey(Path file) throws TlsException {
        PrivateKeyInfo found = null;
        for (Object object : readObjects(file, "private key")) {
            PrivateKeyInfo info = switch (object) {
                case PEMKeyPair pair -> pair.getPrivateKeyInfo();          // PKCS#1 or SEC1
                case PrivateKeyInfo pkcs8 -> pkcs8;                         // PKCS#8
                case PEMEncryptedKeyPair ignored -> throw encrypted(file);
                case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(file);
                default -> null;
            };
            if (info == null) continue;
            if (found != null) throw new TlsException("private key file " + file + ": more than one private key in it");
            found = info;
        }
        if (found == null) {
            throw new TlsException("private key file " + file + ": no private key in it "
                    + "(expected BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY)");
        }
        return toPrivateKey(file, found);
    }

    /** Writes certificates as a PEM chain. */
    static String certificatesPem(List<X509Certificate> chain) throws TlsException {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : chain) {
            try {
                pem.append(block("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateException e) {
                throw new TlsException("cannot encode certificate: " + e.getMessage(), e);
            }
        }
        return pem.toString();
    }

    /** Writes a private key as unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}). */
    static String privateKeyPem(PrivateKey key) {
        return block("PRIVATE KEY", key.getEncoded());
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static List<Object> readObjects(Path file, String what) throws TlsException {
        List<Object> objects = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (NoSuchFileException e) {
            throw new TlsException(what + " file " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new TlsException(what + " file " + file + ": permission denied");
        } catch (IOException | RuntimeException e) {
            // PEMParser reports broken base64 or DER as IOException or as an unchecked exception.
            throw new TlsException(what + " file " + file + ": cannot read: " + e.getMessage(), e);
        }
        return objects;
    }

    private static PrivateKey toPrivateKey(Path file, PrivateKeyInfo info) throws TlsException {
        var algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
        String name;
        if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            name = "RSA";
        } else if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            name = "EC";
        } else {
            throw new TlsException("private key file " + file + ": unsupported key type " + algorithm
                    + " (use an RSA or EC key)");
        }
        try {
            return KeyFactory.getInstance(name).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsException("private key file " + file + ": unusable " + name + " key: " + e.getMessage(), e);
        }
    }

    private static TlsException encrypted(Path file) {
        return new TlsException("private key file " + file
                + ": the key is encrypted; give an unencrypted key file readable only by Cartero's user");
    }
}
