package org.cartero.smtp.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** BDAT chunks on bytes (RFC 3030). Strings stand for octets one to one (ISO-8859-1). */
class ChunkReaderTest {

    private static ByteArrayInputStream connection(String wire) {
        return new ByteArrayInputStream(wire.getBytes(ISO_8859_1));
    }

    private static String read(InputStream chunk) throws IOException {
        return new String(chunk.readAllBytes(), ISO_8859_1);
    }

    /** Reads the command line that follows a chunk, as the session would. */
    private static String nextLine(InputStream connection) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = connection.read()) != '\n'; ) {
            if (c < 0) throw new EOFException();
            if (c != '\r') line.append((char) c);
        }
        return line.toString();
    }

    @Test
    void readsExactlyTheOctetsOfEachChunk() throws IOException {
        // "BDAT 12" then "BDAT 9 LAST", then the next command pipelined behind
        ByteArrayInputStream connection = connection("Subject: x\r\nBDAT 9 LAST\r\n\r\nbody\r\n.RSET\r\n");
        ChunkReader reader = new ChunkReader(connection, 1000);
        assertThat(read(reader.chunk(12))).isEqualTo("Subject: x\r\n");
        assertThat(nextLine(connection)).isEqualTo("BDAT 9 LAST");
        assertThat(read(reader.chunk(9))).isEqualTo("\r\nbody\r\n.");
        assertThat(nextLine(connection)).isEqualTo("RSET");
        assertThat(reader.summary()).isEqualTo(new ContentSummary(21, false, 0));
    }

    @Test
    void takesTheContentAsItIs() throws IOException {
        // no dot-stuffing and no line structure: CRLF.CRLF and bare line ends are plain octets
        String binary = "\r\n.\r\n\n.\n\u0000\u00ff\r";
        ByteArrayInputStream connection = connection(binary + "QUIT\r\n");
        ChunkReader reader = new ChunkReader(connection, 1000);
        assertThat(read(reader.chunk(binary.length()))).isEqualTo(binary);
        assertThat(reader.summary().eightBit()).isTrue();
        assertThat(nextLine(connection)).isEqualTo("QUIT");
    }

    @Test
    void anEmptyLastChunkEndsTheMessage() throws IOException {
        ChunkReader reader = new ChunkReader(connection("QUIT\r\n"), 1000);
        assertThat(reader.chunk(0).read()).isEqualTo(-1);
        assertThat(reader.summary().size()).isZero();
    }

    @Test
    void theSizeLimitHoldsAcrossChunksAndTheConnectionStaysInStep() throws IOException {
        ByteArrayInputStream connection = connection("hello" + "BDAT 3\r\n" + "abc" + "BDAT 2 LAST\r\n" + "de" + "QUIT\r\n");
        ChunkReader reader = new ChunkReader(connection, 6);
        assertThat(read(reader.chunk(5))).isEqualTo("hello");
        assertThat(nextLine(connection)).isEqualTo("BDAT 3");

        InputStream second = reader.chunk(3);
        assertThatThrownBy(second::readAllBytes).isInstanceOfSatisfying(MessageRejectedException.class,
                e -> assertThat(e.reply()).extracting(Reply::code, Reply::enhancedCode).containsExactly(552, "5.3.4"));
        assertThat(nextLine(connection)).as("the rest of the chunk was read off").isEqualTo("BDAT 2 LAST");

        // later chunks of the same message are read off and refused too
        InputStream third = reader.chunk(2);
        assertThatThrownBy(third::read).isInstanceOf(MessageRejectedException.class);
        assertThat(nextLine(connection)).isEqualTo("QUIT");
    }

    @Test
    void aMessageOfExactlyTheLimitIsAccepted() throws IOException {
        ChunkReader reader = new ChunkReader(connection("abcdef"), 6);
        assertThat(read(reader.chunk(4))).isEqualTo("abcd");
        assertThat(read(reader.chunk(2))).isEqualTo("ef");
    }

    @Test
    void closingAChunkReadsTheRestOfIt() throws IOException {
        ByteArrayInputStream connection = connection("0123456789QUIT\r\n");
        InputStream chunk = new ChunkReader(connection, 100).chunk(10);
        assertThat(chunk.readNBytes(3)).isEqualTo("012".getBytes(ISO_8859_1));
        chunk.close();
        assertThat(nextLine(connection)).isEqualTo("QUIT");
        assertThat(chunk.read()).isEqualTo(-1);
    }

    @Test
    void discardsTheChunkOfARefusedCommand() throws IOException {
        ByteArrayInputStream connection = connection("0123456789QUIT\r\n");
        ChunkReader.discard(connection, 10);
        assertThat(nextLine(connection)).isEqualTo("QUIT");
        assertThatThrownBy(() -> ChunkReader.discard(connection("short"), 10)).isInstanceOf(EOFException.class);
    }

    @Test
    void aConnectionThatClosesMidChunkIsAnError() {
        assertThatThrownBy(() -> new ChunkReader(connection("abc"), 100).chunk(10).readAllBytes())
                .isInstanceOf(EOFException.class);
    }

    @Test
    void countsALongLineThatSpansChunks() throws IOException {
        String half = "x".repeat(600);
        ChunkReader reader = new ChunkReader(connection(half + half + "\r\nshort\r\n"), 10_000);
        reader.chunk(600).readAllBytes();
        reader.chunk(600 + 9).readAllBytes();
        assertThat(reader.summary().longLines()).isEqualTo(1);
    }
}
