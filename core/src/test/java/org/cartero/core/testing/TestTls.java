package org.cartero.core.testing;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.cartero.core.tls.TlsContext;

/**
 * TLS clients for tests that trust the server under test: its self-signed certificate, or the
 * test CA that signed its certificate. Host names are not checked (tests connect to 127.0.0.1).
 */
public final class TestTls {
    private TestTls() {}

    /** A client context that trusts exactly these certificates (a self-signed server certificate, or a CA). */
    public static SSLContext clientContext(X509Certificate... trusted) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < trusted.length; i++) {
                store.setCertificateEntry("trusted-" + i, trusted[i]);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a test TLS client", e);
        }
    }

    /** A client socket factory that trusts the certificate the server presents right now. */
    public static SSLSocketFactory socketFactory(TlsContext server) {
        return clientContext(server.certificate()).getSocketFactory();
    }
}
