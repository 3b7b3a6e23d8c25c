package org.cartero.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.cartero.core.config.Config;
import org.cartero.core.config.Service;
import org.cartero.core.testing.LineClient;
import org.cartero.core.testing.TestConfigs;
import org.cartero.core.tls.TlsContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** COMPRESS=DEFLATE (RFC 4978) as a stream layer on a real connection: raw DEFLATE both ways after the OK. */
class DeflateLayerTest {
    @TempDir
    Path dir;
    private final EchoProtocol echo = new EchoProtocol();
    private NetServer server;

    @BeforeEach
    void start() throws Exception {
        Config config = TestConfigs.loopback(dir);
        server = NetServer.start(config, TlsContext.create(config), Map.of(Service.IMAP, echo));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void afterCompressBothDirectionsAreDeflatedAndBytesPipelinedBehindTheCommandAreDecoded() throws IOException {
        InetSocketAddress address = server.address(Service.IMAP);
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout((int) LineClient.READ_GUARD.toMillis());
            InputStream rawIn = socket.getInputStream();
            OutputStream rawOut = socket.getOutputStream();
            assertThat(readLine(rawIn)).isEqualTo("+OK echo ready");

            // The command in plain text and, in the same packet, a compressed command behind it.
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write("COMPRESS\r\n".getBytes(StandardCharsets.US_ASCII));
            Deflater clientDeflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            DeflaterOutputStream compressedPart = new DeflaterOutputStream(packet, clientDeflater, true);
            compressedPart.write("ECHO early\r\n".getBytes(StandardCharsets.US_ASCII));
            compressedPart.flush();
            rawOut.write(packet.toByteArray());
            rawOut.flush();

            assertThat(readLine(rawIn)).as("the OK itself is not compressed").isEqualTo("+OK deflate");
            InputStream in = new InflaterInputStream(rawIn, new Inflater(true));
            assertThat(readLine(in)).isEqualTo("+OK early");

            DeflaterOutputStream out = new DeflaterOutputStream(rawOut, clientDeflater, true);
            String big = "compressible ".repeat(2000);
            out.write(("ECHO " + big + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readLine(in)).isEqualTo("+OK " + big);
        }
        assertThat(echo.executed).containsExactly("COMPRESS", "ECHO early", "ECHO " + "compressible ".repeat(2000));
    }

    /** Reads one line byte by byte, so that nothing after it is taken from the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) throw new IOException("closed after " + line);
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }
}
