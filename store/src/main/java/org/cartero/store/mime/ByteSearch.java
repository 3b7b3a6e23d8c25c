package org.cartero.store.mime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds a byte in an array eight bytes at a time. Messages are streamed through loops that look
 * for line ends (and NULs); tested byte by byte, those loops cost more than the copying.
 */
public final class ByteSearch {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private ByteSearch() {
    }

    /** The index of the first {@code value} in {@code bytes[from..to)}, or {@code to} when there is none. */
    public static int indexOf(byte[] bytes, int from, int to, byte value) {
        long pattern = (value & 0xffL) * ONES;
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i) ^ pattern; // the bytes equal to value are now zero
            // The lowest byte that is zero gets its high bit set (higher ones may be set wrongly, lower ones never are).
            long zeros = (word - ONES) & ~word & HIGHS;
            if (zeros != 0) return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
        }
        for (; i < to; i++) {
            if (bytes[i] == value) return i;
        }
        return to;
    }
}
