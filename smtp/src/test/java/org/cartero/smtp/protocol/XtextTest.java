package org.cartero.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class XtextTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            QQ314159                  | QQ314159
            a+b=c                     | a+2Bb+3Dc
            alice@example.com         | alice@example.com
            <>                        | <>
            two words                 | two+20words
            jörg                      | j+C3+B6rg
            ~!#$%&'()*,-./:;<>?@[]^_` | ~!#$%&'()*,-./:;<>?@[]^_`
            """)
    void encodesOnlyWhatIsNotAnXchar(String text, String xtext) {
        assertThat(Xtext.encode(text)).isEqualTo(xtext);
        assertThat(Xtext.decode(xtext)).isEqualTo(text);
    }

    @Test
    void decodesEveryPrintableCharacterFromItsHexForm() {
        for (char c = ' '; c < 0x7f; c++) {
            assertThat(Xtext.decode(String.format("+%02X", (int) c))).isEqualTo(String.valueOf(c));
        }
        assertThat(Xtext.decode("")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a+", "a+2", "+2b", "+g0", "a=b", "a b", "é", "+0D+0A", "a+00", "+7F", "+C3", "+FF+FE", "a\tb"})
    void refusesWhatIsNotXtextOrDecodesToControlsOrBrokenUtf8(String xtext) {
        assertThatThrownBy(() -> Xtext.decode(xtext)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void originalRecipientEncodingRoundTrips() {
        for (OriginalRecipient original : new OriginalRecipient[] {
                new OriginalRecipient(OriginalRecipient.RFC822, "a+b=c@example.org"),
                new OriginalRecipient("RFC822", "bob@example.org"),
                new OriginalRecipient("utf-8", "jörg\\x+=@bücher.example"),
                new OriginalRecipient("utf-8", "名前@例え.jp"),
                new OriginalRecipient("x-other", "opaque value")}) {
            assertThat(OriginalRecipient.parse(original.encode(), false)).isEqualTo(original);
        }
        assertThat(new OriginalRecipient("utf-8", "名前@x").encode()).isEqualTo("utf-8;\\x{540D}\\x{524D}@x");
        assertThat(new OriginalRecipient("utf-8", "a b").encode()).isEqualTo("utf-8;a\\x{20}b");
    }
}
