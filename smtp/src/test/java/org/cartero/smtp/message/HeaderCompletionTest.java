package org.cartero.smtp.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderCompletionTest {

    private static String complete(String message, boolean withFrom) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeaderCompletion completion = new HeaderCompletion(out, () -> "DATE", () -> "<ID@host>", withFrom ? () -> "me@host" : null);
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        // Octet by octet and in one piece must give the same result.
        for (int i = 0; i < bytes.length / 2; i++) completion.write(bytes[i]);
        completion.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
        completion.finish();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void missingFieldsGoAtTheEndOfTheHeader() throws IOException {
        assertThat(complete("Subject: hi\r\nTo: a@b\r\n\r\nbody\r\n", false))
                .isEqualTo("Subject: hi\r\nTo: a@b\r\nDate: DATE\r\nMessage-ID: <ID@host>\r\n\r\nbody\r\n");
    }

    @Test
    void presentFieldsAreKeptInAnyCase() throws IOException {
        String message = "DATE: Mon, 1 Jan 2024 00:00:00 +0000\r\nmessage-id: <x@y>\r\n\r\nbody\r\n";
        assertThat(complete(message, false)).isEqualTo(message);
    }

    @Test
    void foldedFieldsAndBodyLinesThatLookLikeFieldsAreNotMistaken() throws IOException {
        assertThat(complete("Subject: a\r\n long\r\n\r\nDate: in the body\r\n", false))
                .isEqualTo("Subject: a\r\n long\r\nDate: DATE\r\nMessage-ID: <ID@host>\r\n\r\nDate: in the body\r\n");
    }

    @Test
    void aMessageWithoutHeaderGetsOne() throws IOException {
        assertThat(complete("just text\r\nmore\r\n", true))
                .isEqualTo("Date: DATE\r\nMessage-ID: <ID@host>\r\nFrom: me@host\r\n\r\njust text\r\nmore\r\n");
    }

    @Test
    void aHeaderWithoutBodyIsCompletedAtTheEnd() throws IOException {
        assertThat(complete("Subject: only\r\nFrom: x@y", true))
                .isEqualTo("Subject: only\r\nFrom: x@y\r\nDate: DATE\r\nMessage-ID: <ID@host>\r\n");
    }
}
