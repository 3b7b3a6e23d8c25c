package org.cartero.store.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Messages assembled at random from the pieces MIME is made of (headers, boundaries of several
 * nesting levels, broken and unclosed ones, CR/LF variants, binary junk): the parser never
 * fails, and what it reports is consistent with the bytes.
 */
class StructureParserRandomTest {
    private static final String[] PIECES = {
        "Content-Type: multipart/mixed; boundary=a\n", "Content-Type: multipart/alternative; boundary=\"b\"\n",
        "Content-Type: message/rfc822\n", "Content-Type: text/plain\n", "Content-Transfer-Encoding: base64\n",
        "Subject: x\n", " folded\n", "From: A <a@b>\n", "\n", "\r\n", "--a\n", "--a--\n", "--b\n", "--b--\n", "--c\n",
        "body line\n", "From the start\n", "no newline", "\r", "\u00e9t\u00e9\n", "Content-Type: multipart/digest; boundary=a\n",
        "Content-Disposition: attachment; filename*=utf-8''%e2%82%ac\n", ":\n", "x".repeat(5000) + "\n",
    };

    @Test
    void randomMessagesParseConsistently() {
        Random random = new Random(20261126);
        for (int round = 0; round < 3000; round++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                if (random.nextInt(20) == 0) {
                    byte[] junk = new byte[random.nextInt(30)];
                    random.nextBytes(junk);
                    out.writeBytes(junk);
                } else {
                    out.writeBytes(PIECES[random.nextInt(PIECES.length)].getBytes(StandardCharsets.UTF_8));
                }
            }
            byte[] message = out.toByteArray();
            StructureParser parser = new StructureParser();
            int at = 0;
            while (at < message.length) {
                int len = 1 + random.nextInt(64);
                len = Math.min(len, message.length - at);
                parser.write(message, at, len);
                at += len;
            }
            MessageStructure s = parser.finish();
            assertThat(s.storedSize()).isEqualTo(message.length);
            assertThat(s.wireSize()).isEqualTo(wireLength(message));
            check(s.root(), 0, s.wireSize(), s.storedSize(), wirePositions(message));
            assertThat(StructureCodec.decodePart(StructureCodec.encodePart(s.root()))).isEqualTo(s.root());
        }
    }

    private static long wireLength(byte[] stored) {
        long n = 0;
        for (int i = 0; i < stored.length; i++) {
            n++;
            if (stored[i] == '\n' && (i == 0 || stored[i - 1] != '\r')) n++;
        }
        return n;
    }

    /** For each stored position, the wire position of the same byte. */
    private static long[] wirePositions(byte[] stored) {
        long[] at = new long[stored.length + 1];
        long w = 0;
        for (int i = 0; i < stored.length; i++) {
            at[i] = w;
            w++;
            if (stored[i] == '\n' && (i == 0 || stored[i - 1] != '\r')) w++;
        }
        at[stored.length] = w;
        return at;
    }

    /**
     * Every entity lies within its parent, header before body, children in order, and its
     * stored and wire offsets name the same byte (what seeking in MessageContent relies on).
     */
    private static void check(Part p, long from, long to, long storedSize, long[] wireAt) {
        assertThat(p.headerOffset()).isEqualTo(wireAt[(int) p.storedHeaderOffset()]);
        assertThat(p.bodyOffset()).isEqualTo(wireAt[(int) p.storedBodyOffset()]);
        assertThat(p.headerOffset()).isBetween(from, to);
        assertThat(p.bodyOffset()).isEqualTo(p.headerOffset() + p.headerSize());
        assertThat(p.bodyOffset() + p.bodySize()).isLessThanOrEqualTo(to);
        assertThat(p.storedHeaderOffset()).isBetween(0L, storedSize);
        assertThat(p.storedBodyOffset()).isBetween(p.storedHeaderOffset(), storedSize);
        assertThat(p.bodyLines()).isBetween(0L, Math.max(0, p.bodySize()));
        long previousEnd = p.bodyOffset();
        for (Part c : p.children()) {
            assertThat(c.headerOffset()).isGreaterThanOrEqualTo(previousEnd);
            check(c, p.bodyOffset(), p.bodyOffset() + p.bodySize(), storedSize, wireAt);
            previousEnd = c.bodyOffset() + c.bodySize();
        }
        if (p.message() != null) check(p.message(), p.bodyOffset(), p.bodyOffset() + p.bodySize(), storedSize, wireAt);
    }
}
