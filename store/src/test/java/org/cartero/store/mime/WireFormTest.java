package org.cartero.store.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
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
    void readsOfEverySizeGiveTheSameWireForm() throws IOException {
        Random random = new Random(42);
        byte[] alphabet = {'a', 'b', '\n', '\r', '.', ' '};
        for (int round = 0; round < 200; round++) {
            byte[] stored = new byte[random.nextInt(20_000)];
            for (int i = 0; i < stored.length; i++) stored[i] = alphabet[random.nextInt(alphabet.length)];
            String expected = reference(stored);
            WireInputStream in = new WireInputStream(new ByteArrayInputStream(stored));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[20_000];
            for (int n; (n = in.read(buf, 0, 1 + random.nextInt(round % 2 == 0 ? 4 : buf.length))) >= 0; ) out.write(buf, 0, n);
            assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        }
    }

    /** LF without CR before it becomes CRLF, octet by octet. */
    private static String reference(byte[] stored) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < stored.length; i++) {
            if (stored[i] == '\n' && (i == 0 || stored[i - 1] != '\r')) sb.append('\r');
            sb.append((char) stored[i]);
        }
        return sb.toString();
    }

    @Test
    void aLimitEndsTheStreamAfterThatManyWireOctets() throws IOException {
        byte[] stored = "ab\ncd\nrest of the file".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(new WireInputStream(new ByteArrayInputStream(stored), 8).readAllBytes())
                .isEqualTo("ab\r\ncd\r\n".getBytes(StandardCharsets.ISO_8859_1));
        // a limit that falls between the CR and the LF it was given
        assertThat(new WireInputStream(new ByteArrayInputStream(stored), 3).readAllBytes())
                .isEqualTo("ab\r".getBytes(StandardCharsets.ISO_8859_1));
        WireInputStream skipped = new WireInputStream(new ByteArrayInputStream(stored), 8);
        assertThat(skipped.skip(4)).isEqualTo(4);
        assertThat(skipped.readAllBytes()).isEqualTo("cd\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void storedFormDropsOnlyCrBeforeLfEvenAcrossWrites() throws IOException {
        for (int chunk = 1; chunk < 5; chunk++) {
            assertThat(toStored("a\r\nb\r\rc\r\n", chunk)).isEqualTo("a\nb\r\rc\n");
            assertThat(toStored("end\r", chunk)).isEqualTo("end\r");
        }
    }
}
