package org.cartero.pop3.server;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Properties;
import org.cartero.core.directory.Account;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Angus (Jakarta) Mail as the client, over POP3S and over STLS. */
class AngusMailTest {
    private static final String USER = "frank@example.test";

    @TempDir
    Path dir;
    private Pop3TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = Pop3TestServer.start(dir);
        Account frank = server.addUser(USER);
        server.deliver(frank, Pop3TestServer.message("alpha", "Alpha body\n"));
        server.deliver(frank, Pop3TestServer.message("beta", "Beta body\n.\n"));
        server.deliver(frank, Pop3TestServer.message("gamma", "Gamma body\n"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Store connect(boolean implicitTls) throws Exception {
        Properties properties = new Properties();
        String protocol = implicitTls ? "pop3s" : "pop3";
        properties.put("mail." + protocol + ".ssl.socketFactory", server.clientTls());
        properties.put("mail." + protocol + ".ssl.checkserveridentity", "false"); // the certificate names mail.example.test
        properties.put("mail." + protocol + ".connectiontimeout", "20000");
        properties.put("mail." + protocol + ".timeout", "20000");
        if (!implicitTls) {
            properties.put("mail.pop3.starttls.enable", "true");
            properties.put("mail.pop3.starttls.required", "true");
        }
        Store store = Session.getInstance(properties).getStore(protocol);
        int port = implicitTls ? server.pop3s().getPort() : server.pop3().getPort();
        store.connect("127.0.0.1", port, USER, Pop3TestServer.PASSWORD);
        return store;
    }

    @Test
    void overPop3sAngusReadsMessagesAndDeletesOnCloseWithExpunge() throws Exception {
        String betaUid;
        try (Store store = connect(true)) {
            POP3Folder inbox = (POP3Folder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] messages = inbox.getMessages();
            assertThat(Arrays.stream(messages).map(m -> {
                try {
                    return m.getSubject();
                } catch (jakarta.mail.MessagingException e) {
                    throw new IllegalStateException(e);
                }
            })).containsExactly("alpha", "beta", "gamma");
            assertThat(((String) messages[1].getContent())).isEqualTo("Beta body\r\n.\r\n");
            assertThat(messages[0].getSize()).isPositive();
            betaUid = inbox.getUID(messages[1]);
            assertThat(betaUid).matches("[0-9A-F]{16}");
            messages[0].setFlag(Flags.Flag.DELETED, true);
            inbox.close(true); // QUIT: the UPDATE state removes message 1
        }
        try (Store store = connect(true)) {
            POP3Folder inbox = (POP3Folder) store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(2);
            assertThat(inbox.getUID(inbox.getMessage(1))).isEqualTo(betaUid);
            inbox.close(false);
        }
    }

    @Test
    void overStlsAngusReadsTheMaildrop() throws Exception {
        try (Store store = connect(false)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(3);
            assertThat(inbox.getMessage(3).getSubject()).isEqualTo("gamma");
            assertThat(((String) inbox.getMessage(3).getContent())).isEqualTo("Gamma body\r\n");
            inbox.close(false);
        }
    }
}
