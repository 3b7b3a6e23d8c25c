package org.cartero.core.tls;

/**
 * A certificate or private key that cannot be used: a missing or unreadable file, a file with no
 * certificate or key in it, an encrypted key, or a key that does not belong to the certificate.
 * The message names the file and says what is wrong.
 */
public final class TlsException extends Exception {
    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
