package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.cartero.core.config.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** COMPRESS=DEFLATE (RFC 4978): after the OK both directions are raw DEFLATE. */
class CompressTest {

    @RegisterExtension
    static final TestImapServer server = TestImapServer.plaintextOnLoopback();

    private static void compress(TestClient client) {
        InputStream in = new InflaterInputStream(client.input(), new Inflater(true));
        OutputStream out = new DeflaterOutputStream(client.output(), new Deflater(Deflater.DEFAULT_COMPRESSION, true), true);
        client.replaceStreams(in, out);
    }

    @Test
    void commandsWorkOverTheCompressedStream() throws Exception {
        try (TestClient client = TestClient.login(server.address(Service.IMAP), server.newUser(), TestImapServer.PASSWORD)) {
            assertThat(client.ok("COMPRESS DEFLATE")).containsExactly("t2 OK DEFLATE active");
            compress(client);
            String message = "Subject: squeezed\r\n\r\n" + "all work and no play ".repeat(500) + "\r\n";
            client.ok("APPEND INBOX {" + message.length() + "+}\r\n" + message);
            client.ok("SELECT INBOX");
            String reply = client.ok("FETCH 1 (BODY.PEEK[])").getFirst();
            assertThat(reply).endsWith(message + ")");
            assertThat(client.command("COMPRESS DEFLATE").getLast()).isEqualTo("t6 NO [COMPRESSIONACTIVE] DEFLATE is active already");
            assertThat(client.ok("CAPABILITY").getFirst()).doesNotContain("COMPRESS=DEFLATE");
        }
    }

    @Test
    void aCommandCompressedRightBehindTheCompressCommandIsRead() throws Exception {
        try (TestClient client = TestClient.login(server.address(Service.IMAP), server.newUser(), TestImapServer.PASSWORD)) {
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed, new Deflater(Deflater.DEFAULT_COMPRESSION, true), true)) {
                deflate.write("n NOOP\r\n".getBytes(StandardCharsets.US_ASCII));
                deflate.flush();
            }
            byte[] command = "c COMPRESS DEFLATE\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] both = new byte[command.length + compressed.size()];
            System.arraycopy(command, 0, both, 0, command.length);
            System.arraycopy(compressed.toByteArray(), 0, both, command.length, compressed.size());
            client.write(both);
            assertThat(client.readLine()).isEqualTo("c OK DEFLATE active");
            compress(client);
            assertThat(client.readLine()).isEqualTo("n OK NOOP completed");
        }
    }
}
