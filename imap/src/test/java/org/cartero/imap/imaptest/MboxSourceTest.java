package org.cartero.imap.imaptest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MboxSourceTest {
    @TempDir
    Path directory;

    private MboxSource mbox(String content) throws IOException {
        Path file = directory.resolve("test.mbox");
        Files.writeString(file, content, StandardCharsets.ISO_8859_1);
        return new MboxSource(file);
    }

    private static String text(MboxSource.Message message) {
        return new String(message.content(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void messagesInOrderWithCrlfAndTheBlankLineBeforeTheNextFromLine() throws Exception {
        MboxSource source = mbox("From a@b  Fri Feb 22 17:06:23 2008\nSubject: 1\n\nbody1\n\n"
                + "From a@b  Sat Mar 24 23:00:00 2007 +0200\nSubject: 2\r\n\r\nFrom the start\n");

        MboxSource.Message first = source.next();
        assertThat(text(first)).isEqualTo("Subject: 1\r\n\r\nbody1\r\n\r\n");
        assertThat(source.atEnd()).isFalse();
        MboxSource.Message second = source.next();
        assertThat(text(second)).isEqualTo("Subject: 2\r\n\r\nFrom the start\r\n");
        assertThat(second.date()).isEqualTo(ZonedDateTime.of(2007, 3, 24, 23, 0, 0, 0, ZoneOffset.ofHours(2)));
        assertThat(second.imapDate()).isEqualTo("24-Mar-2007 23:00:00 +0200");
        assertThat(source.atEnd()).isTrue();
        assertThat(text(source.next())).as("starts over").isEqualTo(text(first));
    }

    @Test
    void fromLineWithoutZoneIsLocalTime() {
        assertThat(MboxSource.parseFromLine("user@domain  Fri Feb 22 17:06:23 2008"))
                .isEqualTo(ZonedDateTime.of(2008, 2, 22, 17, 6, 23, 0, ZoneId.systemDefault()));
        assertThat(MboxSource.parseFromLine("user@domain Thu, 9 Nov 2002 22:33:52 -0130"))
                .isEqualTo(ZonedDateTime.of(2002, 11, 9, 22, 33, 52, 0, ZoneOffset.ofHoursMinutes(-1, -30)));
        assertThat(MboxSource.parseFromLine("user@domain  Fri Feb  2 17:06 EET 2008"))
                .isEqualTo(ZonedDateTime.of(2008, 2, 2, 17, 6, 0, 0, ZoneId.systemDefault()));
        assertThat(MboxSource.parseFromLine("the rest of a sentence")).isNull();
    }

    @Test
    void aFileThatDoesNotStartWithAFromLineIsRefused() throws Exception {
        MboxSource source = mbox("Subject: no envelope\n\nbody\n");

        assertThatThrownBy(source::next).isInstanceOf(IOException.class).hasMessageStartingWith("Not a valid mbox file");
    }
}
