package org.cartero.core.config;

/**
 * The kinds of listener Cartero runs, one per key of the {@code [listen]} section. Each names
 * its protocol and whether TLS starts at once (implicit TLS, RFC 8314) or on request.
 */
public enum Service {
    SMTP("smtp", Protocol.SMTP, false),
    SUBMISSION("submission", Protocol.SMTP, false),
    SUBMISSIONS("submissions", Protocol.SMTP, true),
    IMAP("imap", Protocol.IMAP, false),
    IMAPS("imaps", Protocol.IMAP, true),
    POP3("pop3", Protocol.POP3, false),
    POP3S("pop3s", Protocol.POP3, true);

    public enum Protocol { SMTP, IMAP, POP3 }

    private final String key;
    private final Protocol protocol;
    private final boolean implicitTls;

    Service(String key, Protocol protocol, boolean implicitTls) {
        this.key = key;
        this.protocol = protocol;
        this.implicitTls = implicitTls;
    }

    /** The key in the {@code [listen]} section. */
    public String key() { return key; }

    public Protocol protocol() { return protocol; }

    /** True when the TLS handshake happens as soon as the client connects. */
    public boolean implicitTls() { return implicitTls; }
}
