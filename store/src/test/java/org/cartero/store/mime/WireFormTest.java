package org.cartero.store.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireFormTest {

    static String toWire(String stored) throws IOException {
        return new String(new WireInputStream(new ByteArrayInputStream(stored.getBytes(StandardCharsets.ISO_8859_1))).readAllBytes(),
                StandardCharsets.ISO_8859_1);
    }

    static String toStored(String wire, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StoredFormOutputStream s = new StoredFormOutputStream(out);
        byte[] b = wire.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i += chunk) s.write(b, i, Math.min(chunk, b.length - i));
        s.close();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void lfBecomesCrlfAndCrlfStays() throws IOException {
        assertThat(toWire("a\nb\r\nc\n\n")).isEqualTo("a\r\nb\r\nc\r\n\r\n");
        assertThat(toWire("lone\rcr\n")).isEqualTo("lone\rcr\r\n");
    }

    @Test
    void singleByteReadsAgreeWithBulkReads() throws IOException {
        String stored = "x\ny\r\n\nz";
        WireInputStream in = new WireInputStream(new ByteArrayInputStream(stored.getBytes(StandardCharsets.ISO_8859_1)));
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) sb.append((char) c);
        assertThat(sb.toString()).isEqualTo(toWire(stored));
    }

    @Test
    void storedFormDropsOnlyCrBeforeLfEvenAcrossWrites() throws IOException {
        for (int chunk = 1; chunk < 5; chunk++) {
            assertThat(toStored("a\r\nb\r\rc\r\n", chunk)).isEqualTo("a\nb\r\rc\n");
            assertThat(toStored("end\r", chunk)).isEqualTo("end\r");
        }
    }
}
