package org.cartero.imap.server;

import java.nio.file.Path;
import org.cartero.imap.imaptest.ImapTestServer;
import org.cartero.imap.imaptest.ImaptestSuite;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Dovecot's imaptest compliance groups, played against Cartero's IMAP server. */
class CarteroImaptestTest extends ImaptestSuite {

    @AutoClose
    private static TestImapServer server;

    @BeforeAll
    static void startServer(@TempDir Path directory) throws Exception {
        server = TestImapServer.start(directory);
    }

    @Override
    protected ImapTestServer server() {
        return server;
    }
}
