package org.cartero.store.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSearchTest {

    private static int naive(byte[] bytes, int from, int to, byte value) {
        for (int i = from; i < to; i++) if (bytes[i] == value) return i;
        return to;
    }

    @Test
    void findsTheFirstOccurrenceAtEveryPositionAndAlignment() {
        for (byte value : new byte[] {0, '\n', (byte) 0x80, (byte) 0xff, 1}) {
            for (int length = 0; length < 40; length++) {
                for (int at = 0; at <= length; at++) {
                    byte[] bytes = new byte[length];
                    Arrays.fill(bytes, (byte) (value + 1)); // one more than value: a borrow's worst case
                    if (at < length) bytes[at] = value;
                    for (int from = 0; from <= length; from++) {
                        assertThat(ByteSearch.indexOf(bytes, from, length, value))
                                .as("value %d, length %d, at %d, from %d", value, length, at, from)
                                .isEqualTo(naive(bytes, from, length, value));
                    }
                }
            }
        }
    }

    @Test
    void agreesWithAByteByByteSearchOnRandomText() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[random.nextInt(200)];
            for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (random.nextInt(8) == 0 ? random.nextInt(3) + 9 : random.nextInt(256));
            int from = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            for (byte value : new byte[] {'\n', 0, '\r'}) {
                assertThat(ByteSearch.indexOf(bytes, from, to, value)).isEqualTo(naive(bytes, from, to, value));
            }
        }
    }
}
