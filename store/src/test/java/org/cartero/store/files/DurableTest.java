package org.cartero.store.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableTest {

    @TempDir
    Path dir;

    @Test
    void flushesManyFilesTogetherAndLeavesThemAsWritten() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 40; i++) files.add(Files.writeString(dir.resolve("m" + i), "message " + i));
        Durable.syncFiles(files);
        for (int i = 0; i < 40; i++) assertThat(Files.readString(files.get(i))).isEqualTo("message " + i);
    }

    @Test
    void aFileThatCannotBeFlushedFailsTheWholeFlushWithItsOwnError() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 20; i++) files.add(Files.writeString(dir.resolve("m" + i), "x"));
        files.add(10, dir.resolve("gone"));
        assertThatThrownBy(() -> Durable.syncFiles(files)).isInstanceOf(NoSuchFileException.class).hasMessageContaining("gone");
    }
}
