package org.cartero.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates and keys made with the openssl command line, the way an administrator makes them:
 * a test CA, and server keys in each PEM form with a certificate signed by that CA.
 */
final class OpenSslPki {
    /** The PEM forms of a private key that Cartero reads, with the header each one has. */
    enum KeyFormat {
        RSA_PKCS1("BEGIN RSA PRIVATE KEY", "genrsa", "-traditional", "-out", "%s", "2048"),
        RSA_PKCS8("BEGIN PRIVATE KEY", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "%s"),
        // ecparam also writes an EC PARAMETERS block before the key, as it does for administrators.
        EC_SEC1("BEGIN EC PRIVATE KEY", "ecparam", "-name", "prime256v1", "-genkey", "-out", "%s"),
        EC_PKCS8("BEGIN PRIVATE KEY", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "%s");

        final String header;
        private final String[] command;

        KeyFormat(String header, String... command) {
            this.header = header;
            this.command = command;
        }
    }

    /** A server's files: the chain (its certificate, then the CA's) and the key. */
    record Issued(Path chain, Path key, X509Certificate certificate) {}

    private final Path dir;
    private final X509Certificate ca;

    OpenSslPki(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=Cartero Test CA", "-days", "30",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        ca = readCertificates(dir.resolve("ca.crt")).getFirst();
    }

    X509Certificate ca() {
        return ca;
    }

    /** A new key in {@code format} and a certificate for {@code hostname}, both files named after {@code name}. */
    Issued issue(String name, KeyFormat format, String hostname) throws IOException {
        String key = name + ".key";
        String[] command = format.command.clone();
        for (int i = 0; i < command.length; i++) command[i] = command[i].formatted(key);
        openssl(command);
        Files.writeString(dir.resolve(name + ".ext"), """
                subjectAltName = DNS:%s
                basicConstraints = critical, CA:FALSE
                keyUsage = critical, digitalSignature, keyEncipherment
                extendedKeyUsage = serverAuth
                """.formatted(hostname));
        openssl("req", "-new", "-key", key, "-subj", "/CN=" + hostname, "-out", name + ".csr");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "30", "-sha256", "-extfile", name + ".ext", "-out", name + ".crt");
        Path chain = dir.resolve(name + "-chain.pem");
        Files.writeString(chain, Files.readString(dir.resolve(name + ".crt")) + Files.readString(dir.resolve("ca.crt")));
        return new Issued(chain, dir.resolve(key), readCertificates(dir.resolve(name + ".crt")).getFirst());
    }

    /** Runs openssl in the PKI's directory; fails with its output when it fails. */
    void openssl(String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }

    static List<X509Certificate> readCertificates(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        } catch (CertificateException e) {
            throw new IOException("not a certificate file: " + file, e);
        }
    }
}
