package org.cartero.imap.imaptest;

import java.io.IOException;

import javax.net.ssl.SSLSocketFactory;

/**
 * The IMAP server the imaptest scripts run against. Cartero's IMAP tests implement it over a
 * running Cartero; {@link DovecotServer} implements it over Debian's Dovecot to keep the runner
 * honest.
 */
public interface ImapTestServer {

    /** Login name and password of a test account. */
    record Account(String user, String password) {
    }

    /** Where to connect, usually 127.0.0.1. */
    String host();

    int port();

    /** Whether the port speaks TLS from the first byte (IMAPS) rather than plain IMAP. */
    boolean implicitTls();

    /** How TLS connections are made; the default trusts what the JVM trusts. */
    default SSLSocketFactory tlsSocketFactory() {
        return (SSLSocketFactory) SSLSocketFactory.getDefault();
    }

    /**
     * A new account with an empty mailbox tree (INBOX only). The runner takes one for each test
     * group, and a second one for groups whose header says {@code user 2: $user2}.
     */
    Account freshAccount() throws IOException;
}
