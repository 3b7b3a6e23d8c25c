package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.cartero.core.config.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdleRepeatTmpTest {
    @TempDir
    Path directory;

    @Test
    void repeated() throws Exception {
        String user;
        try (TestImapServer server = TestImapServer.start(directory)) {
            user = server.newUser();
            try (TestClient writer = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
                for (int i = 0; i < 10; i++) {
                    String m = "Subject: " + i + "\r\n\r\nx\r\n";
                    writer.ok("APPEND INBOX {" + m.length() + "+}\r\n" + m);
                }
            }
        }
        try (TestImapServer server = TestImapServer.start(directory)) {
            try (TestClient idler = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD);
                 TestClient writer = TestClient.login(server.address(Service.IMAP), user, TestImapServer.PASSWORD)) {
                idler.ok("SELECT INBOX");
                int exists = 10;
                for (int i = 0; i < 5; i++) {
                    idler.send("i" + i + " IDLE");
                    assertThat(idler.readLine()).isEqualTo("+ Idling");
                    Thread.sleep(50);
                    String m = "Subject: n" + i + "\r\n\r\nx\r\n";
                    writer.send("w" + i + " APPEND INBOX {" + m.length() + "+}\r\n" + m);
                    int expected = ++exists;
                    idler.await(line -> line.equals("* " + expected + " EXISTS"), Duration.ofSeconds(10));
                    writer.responses("w" + i);
                    idler.send("DONE");
                    idler.responses("i" + i);
                }
            }
        }
    }
}
