package org.cartero.imap.server;

import org.cartero.imap.imaptest.ImapTestServer;
import org.cartero.imap.imaptest.ImaptestSuite;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dovecot's imaptest compliance groups, played against Cartero's IMAP server with its search
 * engine: every group must pass, none may be skipped for a capability Cartero lacks.
 */
class CarteroImaptestTest extends ImaptestSuite {

    @RegisterExtension
    static final TestImapServer server = TestImapServer.plaintextOnLoopback();

    @Override
    protected ImapTestServer server() {
        return server;
    }

    @Override
    protected boolean requireEveryCapability() {
        return true;
    }
}
