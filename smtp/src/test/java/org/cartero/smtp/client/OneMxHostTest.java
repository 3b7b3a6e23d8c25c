package org.cartero.smtp.client;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests against one scripted server, the MX host mx.example.org (127.0.0.1) of example.org and of
 * the internationalised bücher.example.
 */
abstract class OneMxHostTest {

    @TempDir
    Path dir;
    ClientFixture fixture;
    ScriptedSmtpServer server;

    @BeforeEach
    void startServerAndDns() throws Exception {
        fixture = new ClientFixture(dir);
        server = ScriptedSmtpServer.start();
        fixture.dns.mx("example.org", 10, "mx.example.org").a("mx.example.org", "127.0.0.1");
        fixture.dns.mx("xn--bcher-kva.example", 10, "mx.example.org");
    }

    @AfterEach
    void stopServerAndDns() throws Exception {
        server.close();
        fixture.close();
    }

    List<RecipientOutcome> deliver(DeliveryRequest request) throws Exception {
        return fixture.delivery(server.port()).deliver(request);
    }

    /** {@link ClientFixture#MESSAGE} to these recipients. */
    List<RecipientOutcome> deliver(String... recipients) throws Exception {
        return deliver(fixture.request(recipients));
    }
}
