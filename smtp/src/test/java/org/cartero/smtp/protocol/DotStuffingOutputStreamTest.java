package org.cartero.smtp.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client's side of DATA on bytes. In the table, "\r" and "\n" stand for CR and LF. */
class DotStuffingOutputStreamTest {

    private static String send(String content) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
        data.write(content.getBytes(ISO_8859_1));
        data.finish();
        return wire.toString(ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            ``                    | .\\r\\n
            a\\r\\n               | a\\r\\n.\\r\\n
            no line end           | no line end\\r\\n.\\r\\n
            .starts\\r\\n         | ..starts\\r\\n.\\r\\n
            a\\r\\n.\\r\\nb\\r\\n | a\\r\\n..\\r\\nb\\r\\n.\\r\\n
            a\\r\\n..\\r\\n       | a\\r\\n...\\r\\n.\\r\\n
            in.the.middle\\r\\n   | in.the.middle\\r\\n.\\r\\n
            a\\nb\\rc             | a\\r\\nb\\r\\nc\\r\\n.\\r\\n
            x\\n.\\ny             | x\\r\\n..\\r\\ny\\r\\n.\\r\\n
            x\\r.\\ry             | x\\r\\n..\\r\\ny\\r\\n.\\r\\n
            x\\r\\r\\n            | x\\r\\n\\r\\n.\\r\\n
            ends with cr\\r       | ends with cr\\r\\n.\\r\\n
            """)
    void stuffsDotsNormalizesLineEndsAndTerminates(String content, String wire) throws IOException {
        assertThat(send(unescape(content))).isEqualTo(unescape(wire));
    }

    @Test
    void writesTheSameOctetByOctet() throws IOException {
        String content = ".a\r\nb\n.c\rd\r\n";
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
        for (byte b : content.getBytes(ISO_8859_1)) data.write(b);
        data.finish();
        assertThat(wire.toString(ISO_8859_1)).isEqualTo(send(content)).isEqualTo("..a\r\nb\r\n..c\r\nd\r\n.\r\n");
    }

    @Test
    void closingDoesNotEndTheDataSoACutOffMessageIsNeverAccepted() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (DotStuffingOutputStream data = new DotStuffingOutputStream(wire)) {
            data.write("half a mess".getBytes(ISO_8859_1));
        }
        assertThat(wire.toString(ISO_8859_1)).isEqualTo("half a mess");
    }

    @Test
    void nothingMayFollowTheEnd() throws IOException {
        DotStuffingOutputStream data = new DotStuffingOutputStream(new ByteArrayOutputStream());
        data.finish();
        data.finish();
        assertThatThrownBy(() -> data.write('x')).isInstanceOf(IOException.class);
    }

    private static String unescape(String s) {
        return s == null ? "" : s.replace("\\r", "\r").replace("\\n", "\n");
    }
}
