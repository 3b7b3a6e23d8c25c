package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.cartero.core.config.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** FETCH (RFC 9051 section 6.4.5) of sections, partials and BINARY (RFC 3516) from the store's part offsets. */
class FetchTest {

    private static final String MULTIPART = """
            From: a@example.test\r
            Subject: parts\r
            X-Extra: drop me\r
            Content-Type: multipart/mixed; boundary="b"\r
            \r
            preamble\r
            --b\r
            Content-Type: text/plain\r
            \r
            first part\r
            --b\r
            Content-Type: application/octet-stream\r
            Content-Transfer-Encoding: base64\r
            \r
            %s\r
            --b\r
            Content-Type: text/plain\r
            Content-Transfer-Encoding: x-uuencode\r
            \r
            begin 644 x\r
            --b--\r
            """;

    @RegisterExtension
    static final TestImapServer server = TestImapServer.plaintextOnLoopback();

    private static TestClient withMessage(String message) throws Exception {
        TestClient client = TestClient.login(server.address(Service.IMAP), server.newUser(), TestImapServer.PASSWORD);
        client.ok("APPEND INBOX {" + message.getBytes(StandardCharsets.ISO_8859_1).length + "+}\r\n" + message);
        client.ok("SELECT INBOX");
        return client;
    }

    @Test
    void sectionsAreCutFromTheMessage() throws Exception {
        byte[] binary = {0, 1, 2, (byte) 0xff, '\r', '\n', 'x'};
        String message = MULTIPART.formatted(Base64.getEncoder().encodeToString(binary));
        try (TestClient client = withMessage(message)) {
            assertThat(client.ok("FETCH 1 (BODY.PEEK[1])").getFirst()).isEqualTo("* 1 FETCH (BODY[1] {10}\r\nfirst part)");
            assertThat(client.ok("FETCH 1 (BODY.PEEK[1.MIME])").getFirst())
                    .isEqualTo("* 1 FETCH (BODY[1.MIME] {28}\r\nContent-Type: text/plain\r\n\r\n)");
            assertThat(client.ok("FETCH 1 (BODY.PEEK[HEADER.FIELDS.NOT (X-EXTRA CONTENT-TYPE)])").getFirst())
                    .isEqualTo("* 1 FETCH (BODY[HEADER.FIELDS.NOT (X-EXTRA CONTENT-TYPE)] {40}\r\n"
                            + "From: a@example.test\r\nSubject: parts\r\n\r\n)");
            assertThat(client.ok("FETCH 1 (BODY.PEEK[1]<6.100>)").getFirst()).isEqualTo("* 1 FETCH (BODY[1]<6> {4}\r\npart)");
            assertThat(client.ok("FETCH 1 (BODY.PEEK[9])").getFirst()).isEqualTo("* 1 FETCH (BODY[9] NIL)");
            assertThat(client.ok("FETCH 1 (BODY.PEEK[TEXT]<0.8>)").getFirst()).isEqualTo("* 1 FETCH (BODY[TEXT]<0> {8}\r\npreamble)");
        }
    }

    @Test
    void binaryDecodesBase64AndRefusesAnEncodingItDoesNotKnow() throws Exception {
        byte[] binary = {0, 1, 2, (byte) 0xff, '\r', '\n', 'x'};
        String message = MULTIPART.formatted(Base64.getEncoder().encodeToString(binary));
        try (TestClient client = withMessage(message)) {
            assertThat(client.ok("FETCH 1 (BINARY.SIZE[2])").getFirst()).isEqualTo("* 1 FETCH (BINARY.SIZE[2] 7)");
            String reply = client.ok("FETCH 1 (BINARY.PEEK[2])").getFirst();
            assertThat(reply).startsWith("* 1 FETCH (BINARY[2] ~{7}\r\n");
            assertThat(reply.substring(reply.indexOf("}\r\n") + 3, reply.length() - 1).getBytes(StandardCharsets.ISO_8859_1))
                    .isEqualTo(binary);
            assertThat(client.ok("FETCH 1 (BINARY.PEEK[2]<3.2>)").getFirst()).isEqualTo("* 1 FETCH (BINARY[2]<3> ~{2}\r\n\u00ff\r)");
            assertThat(client.command("FETCH 1 (BINARY.PEEK[3])").getLast())
                    .isEqualTo("t7 NO [UNKNOWN-CTE] Cannot decode the Content-Transfer-Encoding x-uuencode");
        }
    }

    @Test
    void bodySetsSeenPeekDoesNotAndExamineNeverDoes() throws Exception {
        try (TestClient client = withMessage("Subject: s\r\n\r\nbody\r\n")) {
            assertThat(client.ok("FETCH 1 (BODY.PEEK[TEXT])").getFirst()).isEqualTo("* 1 FETCH (BODY[TEXT] {6}\r\nbody\r\n)");
            assertThat(client.ok("EXAMINE INBOX")).isNotEmpty();
            assertThat(client.ok("FETCH 1 (BODY[TEXT])").getFirst()).isEqualTo("* 1 FETCH (BODY[TEXT] {6}\r\nbody\r\n)");
            client.ok("SELECT INBOX");
            assertThat(client.ok("FETCH 1 (BODY[TEXT])").getFirst()).isEqualTo("* 1 FETCH (FLAGS (\\Seen) BODY[TEXT] {6}\r\nbody\r\n)");
            assertThat(client.ok("FETCH 1 (FLAGS)").getFirst()).isEqualTo("* 1 FETCH (FLAGS (\\Seen))");
        }
    }

    @Test
    void aLargeMessageIsStreamedWhole() throws Exception {
        int lines = 200_000;
        StringBuilder body = new StringBuilder(lines * 80);
        for (int i = 0; i < lines; i++) body.append(String.format("%078d\r\n", i));
        String message = "Subject: large\r\n\r\n" + body;
        byte[] expected = message.getBytes(StandardCharsets.US_ASCII);
        try (TestClient client = withMessage(message)) {
            client.send("f FETCH 1 (RFC822.SIZE BODY.PEEK[])");
            String header = client.readLine();
            assertThat(header).isEqualTo("* 1 FETCH (RFC822.SIZE " + expected.length + " BODY[] {" + expected.length + "}");
            InputStream in = client.input();
            byte[] received = in.readNBytes(expected.length);
            assertThat(digest(received)).isEqualTo(digest(expected));
            assertThat(client.readLine()).isEqualTo(")");
            assertThat(client.readLine()).isEqualTo("f OK FETCH completed");
        }
    }

    @Test
    void envelopeAndBodystructureDescribeTheMessage() throws Exception {
        String message = MULTIPART.formatted("AAEC");
        try (TestClient client = withMessage(message)) {
            List<String> reply = client.ok("FETCH 1 (ENVELOPE BODYSTRUCTURE)");
            assertThat(reply.getFirst()).startsWith("* 1 FETCH (ENVELOPE (NIL \"parts\" ((NIL NIL \"a\" \"example.test\")) "
                    + "((NIL NIL \"a\" \"example.test\")) ((NIL NIL \"a\" \"example.test\")) NIL NIL NIL NIL NIL) "
                    + "BODYSTRUCTURE ((\"text\" \"plain\"");
            assertThat(reply.getFirst()).contains("\"mixed\" (\"boundary\" \"b\")");
        }
    }

    private static String digest(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
