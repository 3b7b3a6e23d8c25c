package org.cartero.store.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RangeInputStreamTest {

    @Test
    void readsOnlyItsRangeAndRunsTheCloseActionOnce(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "0123456789", StandardCharsets.US_ASCII);
        AtomicInteger closes = new AtomicInteger();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            RangeInputStream first = new RangeInputStream(ch, 2, 6, closes::incrementAndGet);
            RangeInputStream second = new RangeInputStream(ch, 5, 10, closes::incrementAndGet);
            assertThat(first.read()).isEqualTo('2');
            assertThat(second.readAllBytes()).isEqualTo("56789".getBytes(StandardCharsets.US_ASCII)); // the channel is shared
            assertThat(first.skip(1)).isEqualTo(1);
            assertThat(first.readAllBytes()).isEqualTo("45".getBytes(StandardCharsets.US_ASCII));
            assertThat(first.read()).isEqualTo(-1);
            first.close();
            first.close();
            assertThat(closes).hasValue(1);
            assertThat(ch.isOpen()).isTrue();
        }
    }

    @Test
    void aFileShorterThanTheRangeEndsEarly(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "abc", StandardCharsets.US_ASCII);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try (RangeInputStream in = new RangeInputStream(ch, 1, 100, ch::close)) {
            assertThat(in.readAllBytes()).isEqualTo("bc".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(ch.isOpen()).isFalse();
    }
}
