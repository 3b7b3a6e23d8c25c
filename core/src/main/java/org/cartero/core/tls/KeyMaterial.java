package org.cartero.core.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A private key and the certificate chain it belongs to (the server's certificate first). Made
 * only through {@link #load} or {@link #of}, which check that the key matches the certificate.
 */
record KeyMaterial(PrivateKey privateKey, List<X509Certificate> chain) {

    KeyMaterial {
        chain = List.copyOf(chain);
    }

    static KeyMaterial load(Path certificateFile, Path privateKeyFile) throws TlsException {
        List<X509Certificate> chain = PemFiles.readCertificates(certificateFile);
        PrivateKey key = PemFiles.readPrivateKey(privateKeyFile);
        if (!belongTogether(key, chain.getFirst().getPublicKey())) {
            throw new TlsException("private key file " + privateKeyFile + " does not match the first certificate in "
                    + certificateFile + " (" + chain.getFirst().getSubjectX500Principal().getName() + ")");
        }
        return new KeyMaterial(key, chain);
    }

    static KeyMaterial of(PrivateKey key, X509Certificate certificate) throws TlsException {
        if (!belongTogether(key, certificate.getPublicKey())) {
            throw new TlsException("private key does not match certificate "
                    + certificate.getSubjectX500Principal().getName());
        }
        return new KeyMaterial(key, List.of(certificate));
    }

    X509Certificate certificate() {
        return chain.getFirst();
    }

    /** The key type the TLS stack asks for when it picks a certificate: "RSA" or "EC". */
    String keyType() {
        return privateKey.getAlgorithm();
    }

    /** Signs a random challenge with the private key and checks it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, PublicKey certificateKey) {
        if (!key.getAlgorithm().equals(certificateKey.getAlgorithm())) return false;
        String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // An EC key on another curve than the certificate's ends here, as does a damaged key.
            return false;
        }
    }
}
