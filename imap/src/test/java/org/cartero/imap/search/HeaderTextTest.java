package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Header fields as SEARCH reads them: unfolded, bounded, and decoded. */
class HeaderTextTest {

    @Test
    void decodesEncodedWordsInAnyCharset() {
        assertThat(HeaderText.decode(" =?ISO-8859-1?Q?Andr=E9?= Pirard ")).isEqualTo("André Pirard");
        assertThat(HeaderText.decode("=?UTF-8?B?w6l0w6k=?=")).isEqualTo("été");
        // white space between adjacent encoded words disappears (RFC 2047 section 6.2)
        assertThat(HeaderText.decode("=?utf-8?q?a?= =?utf-8?q?b?=")).isEqualTo("ab");
        assertThat(HeaderText.decode("=?koi8-r?b?8NLJ18XU?=")).isEqualTo("Привет");
        assertThat(HeaderText.decode("=?iso-2022-jp?B?GyRCJEYkOSRIGyhC?=")).isEqualTo("てすと");
        assertThat(HeaderText.decode("plain text")).isEqualTo("plain text");
        assertThat(HeaderText.decode(null)).isNull();
    }

    @Test
    void rawOctetsAreUtf8WhenTheyCanBeElseLatin1() {
        byte[] utf8 = "Grüße".getBytes(StandardCharsets.UTF_8);
        assertThat(HeaderText.fromBytes(utf8, 0, utf8.length)).isEqualTo("Grüße");
        byte[] latin1 = "Grüße".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(HeaderText.fromBytes(latin1, 0, latin1.length)).isEqualTo("Grüße");
    }

    @Test
    void decodesRfc2231Parameters() {
        String value = "attachment; filename*=iso-8859-1'fr'r%E9sum%E9.pdf";
        assertThat(HeaderText.searchable("Content-Disposition", value))
                .isEqualTo(value + " filename=résumé.pdf");
        // continuations, the first one encoded
        assertThat(HeaderText.rfc2231Parameters("Content-Type",
                "text/plain; name*0*=utf-8''%C3%A9t%C3%A9; name*1=\" long\"; name*2*=%20name"))
                .isEqualTo("name=été long name");
        // without RFC 2231 parameters, nothing is added; other fields are not touched
        assertThat(HeaderText.searchable("Content-Type", "text/plain; charset=us-ascii")).isEqualTo("text/plain; charset=us-ascii");
        assertThat(HeaderText.searchable("Subject", "a*=b")).isEqualTo("a*=b");
    }

    @Test
    void readsFieldsUnfoldedUntilTheEmptyLine() throws IOException {
        String header = "Subject: one\r\n two\r\nX-Empty:\r\nnot a field\r\nTo: a@b\r\n\tc@d\r\n\r\nBody: no\r\n";
        assertThat(fields(header)).containsExactly("Subject= one two", "X-Empty=", "To= a@b\tc@d");
    }

    @Test
    void readsAHeaderWithoutEmptyLineOrWithBareLineFeeds() throws IOException {
        assertThat(fields("A: 1\nB: 2\n")).containsExactly("A= 1", "B= 2");
        assertThat(fields("A: 1")).containsExactly("A= 1");
    }

    @Test
    void capsALongField() throws IOException {
        String header = "X-Long: " + "x".repeat(200_000) + "\r\n" + " " + "y".repeat(100_000) + "\r\nNext: ok\r\n\r\n";
        List<String> fields = fields(header);
        assertThat(fields).hasSize(2);
        assertThat(fields.getFirst().length()).isLessThanOrEqualTo("X-Long=".length() + HeaderReader.MAX_VALUE);
        assertThat(fields.get(1)).isEqualTo("Next= ok");
    }

    private static List<String> fields(String header) throws IOException {
        List<String> out = new ArrayList<>();
        HeaderReader.read(new ByteArrayInputStream(header.getBytes(StandardCharsets.UTF_8)), (name, value) -> {
            out.add(name + "=" + value);
            return true;
        });
        return out;
    }
}
