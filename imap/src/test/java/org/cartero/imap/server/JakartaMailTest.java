package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.util.ByteArrayDataSource;
import jakarta.activation.DataHandler;
import java.util.Arrays;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.cartero.core.config.Service;
import org.cartero.core.testing.TestTls;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Angus (Jakarta) Mail, a client written by others, over STARTTLS and over IMAPS: appending a
 * message with an attachment and reading it back, flags, search, folders, copy, move, expunge
 * and IDLE. The server does not allow passwords before TLS here.
 */
class JakartaMailTest {

    @RegisterExtension
    static final TestImapServer server = TestImapServer.loopback("", ImapSettings.DEFAULT);

    private static Store connect(String protocol, String user) throws Exception {
        Properties properties = new Properties();
        Service service = protocol.equals("imaps") ? Service.IMAPS : Service.IMAP;
        properties.put("mail." + protocol + ".host", "127.0.0.1");
        properties.put("mail." + protocol + ".port", String.valueOf(server.address(service).getPort()));
        properties.put("mail." + protocol + ".ssl.socketFactory", TestTls.socketFactory(server.tls));
        properties.put("mail." + protocol + ".socketFactory", TestTls.socketFactory(server.tls));
        // the test certificate names the server's host name, not 127.0.0.1; trust comes from the factory
        properties.put("mail." + protocol + ".ssl.checkserveridentity", "false");
        properties.put("mail." + protocol + ".starttls.enable", "true");
        properties.put("mail." + protocol + ".starttls.required", "true");
        properties.put("mail." + protocol + ".timeout", "20000");
        Store store = Session.getInstance(properties).getStore(protocol);
        store.connect(user, TestImapServer.PASSWORD);
        return store;
    }

    private static MimeMessage messageWithAttachment(byte[] attachment) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress("sender@example.test", "Sender"));
        message.setRecipients(Message.RecipientType.TO, "rcpt@example.test");
        message.setSubject("Report");
        MimeBodyPart text = new MimeBodyPart();
        text.setText("See the attachment.", "UTF-8");
        MimeBodyPart file = new MimeBodyPart();
        file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment, "application/octet-stream")));
        file.setFileName("data.bin");
        MimeMultipart multipart = new MimeMultipart(text, file);
        message.setContent(multipart);
        message.saveChanges();
        return message;
    }

    @Test
    void aMessageWithAnAttachmentRoundTripsOverStartTls() throws Exception {
        byte[] attachment = new byte[100_000];
        for (int i = 0; i < attachment.length; i++) attachment[i] = (byte) (i * 31);
        try (Store store = connect("imap", server.newUser())) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            AppendUID[] appended = inbox.appendUIDMessages(new Message[] {messageWithAttachment(attachment)});
            assertThat(appended[0].uid).isEqualTo(1);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            Message message = inbox.getMessage(1);
            assertThat(message.getSubject()).isEqualTo("Report");
            assertThat(((InternetAddress) message.getFrom()[0]).getPersonal()).isEqualTo("Sender");
            Multipart parts = (Multipart) message.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            Part file = parts.getBodyPart(1);
            assertThat(file.getFileName()).isEqualTo("data.bin");
            assertThat(file.getInputStream().readAllBytes()).isEqualTo(attachment);
            assertThat(message.isSet(Flags.Flag.SEEN)).isTrue();
            inbox.close(false);
        }
    }

    @Test
    void flagsSearchFoldersCopyMoveAndExpungeOverImaps() throws Exception {
        try (Store store = connect("imaps", server.newUser())) {
            IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] three = new Message[3];
            for (int i = 0; i < 3; i++) three[i] = messageWithAttachment(new byte[] {(byte) i});
            inbox.appendMessages(three);
            inbox.getMessage(2).setFlag(Flags.Flag.FLAGGED, true);
            Message[] flagged = inbox.search(new FlagTerm(new Flags(Flags.Flag.FLAGGED), true));
            assertThat(flagged).hasSize(1);
            assertThat(inbox.getUID(flagged[0])).isEqualTo(2);

            Folder archive = store.getFolder("Archive/2024");
            assertThat(archive.create(Folder.HOLDS_MESSAGES)).isTrue();
            assertThat(Arrays.stream(store.getDefaultFolder().list("*")).map(Folder::getFullName))
                    .contains("INBOX", "Archive", "Archive/2024");
            inbox.copyMessages(new Message[] {inbox.getMessage(1)}, archive);
            Message moved = inbox.getMessage(3);
            inbox.moveMessages(new Message[] {moved}, archive);
            assertThat(moved.isExpunged()).isTrue();
            archive.open(Folder.READ_ONLY);
            assertThat(archive.getMessageCount()).isEqualTo(2);
            assertThat(((UIDFolder) archive).getUIDNext()).isEqualTo(3);
            archive.close(false);

            inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
            inbox.expunge();
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            assertThat(inbox.getMessage(1).isSet(Flags.Flag.FLAGGED)).isTrue();
            inbox.close(false);
        }
    }

    @Test
    void idleReturnsWhenAnotherClientAppends() throws Exception {
        String user = server.newUser();
        try (Store watching = connect("imaps", user); Store writing = connect("imaps", user)) {
            IMAPFolder inbox = (IMAPFolder) watching.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            CompletableFuture<Integer> count = CompletableFuture.supplyAsync(() -> {
                try {
                    inbox.idle(true);
                    return inbox.getMessageCount();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300); // let the first client enter IDLE; it returns on the news either way
            Folder target = writing.getFolder("INBOX");
            target.appendMessages(new Message[] {messageWithAttachment(new byte[] {1})});
            assertThat(count.get(20, TimeUnit.SECONDS)).isEqualTo(1);
            inbox.close(false);
        }
    }
}
