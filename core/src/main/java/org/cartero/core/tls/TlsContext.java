package org.cartero.core.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.cartero.core.config.Config;

/**
 * Cartero's TLS: the server's certificate and key (from the configured PEM files, or a
 * self-signed certificate made in data_dir), renewed files picked up without a restart, and one
 * policy for every connection: TLS 1.2 and 1.3 only, forward-secret AEAD cipher suites only.
 *
 * <p>Servers call {@link #serverHandshake} on an accepted socket, at once for implicit TLS
 * (RFC 8314) or after a STARTTLS command (RFC 3207, RFC 2595); the SMTP client calls
 * {@link #clientHandshake} for opportunistic STARTTLS.
 */
public final class TlsContext {
    // RFC 8996: TLS 1.0 and 1.1 are gone; RFC 9325 §3.1.1: TLS 1.2 and 1.3.
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    // RFC 9325 §4.2: for TLS 1.2 only ECDHE key exchange (forward secrecy) with AEAD ciphers;
    // every TLS 1.3 suite is AEAD. Server order: the strongest the client offers wins.
    private static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");

    private final Path certificateFile;
    private final ReloadingKeyManager keyManager;
    private final SSLContext server;
    private final SSLContext opportunisticClient;
    private final String[] cipherSuites;

    private TlsContext(Path certificateFile, ReloadingKeyManager keyManager) throws TlsException {
        this.certificateFile = certificateFile;
        this.keyManager = keyManager;
        try {
            server = SSLContext.getInstance("TLS");
            server.init(new KeyManager[] {keyManager}, null, null);
            opportunisticClient = SSLContext.getInstance("TLS");
            opportunisticClient.init(null, new TrustManager[] {new UnverifiedServerTrust()}, null);
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot set up TLS: " + e.getMessage(), e);
        }
        Set<String> supported = Set.of(server.getSupportedSSLParameters().getCipherSuites());
        cipherSuites = CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new);
    }

    /**
     * Loads the configured certificate chain and key, or makes (once) and loads the self-signed
     * certificate for the hostname. Every problem with the files is an error here, at start.
     */
    public static TlsContext create(Config config) throws TlsException {
        return create(config, InstantSource.system());
    }

    /** As {@link #create(Config)}, with the clock that paces the checks for renewed files. */
    static TlsContext create(Config config, InstantSource clock) throws TlsException {
        Path certificateFile = config.tls().certificate();
        Path keyFile = config.tls().privateKey();
        if (config.tls().selfSigned()) {
            SelfSignedCertificate.ensure(config.dataDir(), config.hostname(), clock.instant());
            certificateFile = SelfSignedCertificate.certificateFile(config.dataDir());
            keyFile = SelfSignedCertificate.privateKeyFile(config.dataDir());
        }
        return new TlsContext(certificateFile, new ReloadingKeyManager(certificateFile, keyFile, clock));
    }

    /**
     * Runs the TLS handshake as the server over an accepted or established plain connection and
     * returns the secured socket, which reads and writes through {@code plain} and closes it when
     * closed. The caller has already thrown away anything it read from {@code plain}: only bytes
     * that arrive after this call take part in TLS.
     */
    public SSLSocket serverHandshake(Socket plain) throws IOException {
        SSLSocket socket = (SSLSocket) server.getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        socket.setUseClientMode(false);
        socket.setSSLParameters(parameters());
        socket.startHandshake();
        return socket;
    }

    /**
     * Runs the TLS handshake as a client, after the peer accepted STARTTLS, without verifying the
     * peer's certificate: opportunistic TLS as SMTP relays practise it (RFC 3207 §4.1, RFC 7435),
     * which protects against passive eavesdropping only. {@code peerHost} goes into SNI.
     */
    public SSLSocket clientHandshake(Socket plain, String peerHost) throws IOException {
        SSLSocket socket = (SSLSocket) opportunisticClient.getSocketFactory()
                .createSocket(plain, peerHost, plain.getPort(), true);
        socket.setUseClientMode(true);
        SSLParameters parameters = parameters();
        if (!isAddressLiteral(peerHost)) {
            parameters.setServerNames(List.of(new SNIHostName(peerHost))); // RFC 6066 §3: names, never addresses
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        return socket;
    }

    /** The certificate presented to clients right now. */
    public X509Certificate certificate() {
        return keyManager.certificate();
    }

    /** The PEM file the certificate is read from (the configured one, or the self-signed one in data_dir). */
    public Path certificateFile() {
        return certificateFile;
    }

    private static boolean isAddressLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private SSLParameters parameters() {
        SSLParameters parameters = new SSLParameters(cipherSuites.clone(), PROTOCOLS.clone());
        parameters.setUseCipherSuitesOrder(true);
        return parameters;
    }

    /** Accepts any server certificate: opportunistic TLS has nothing to verify it against. */
    private static final class UnverifiedServerTrust extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("not a server: trusts no client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("not a server: trusts no client certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server: trusts no client certificates");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
