package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Case folding (i;unicode-casemap for SEARCH, i;ascii-casemap for SORT) and the streaming substring search. */
class TextMatchingTest {

    @Test
    void foldingIgnoresCaseAndCompatibilityForms() {
        assertThat(Casemap.fold("Hello World")).isEqualTo(Casemap.fold("hELLO wORLD")).isEqualTo("HELLO WORLD");
        assertThat(Casemap.fold("Été")).isEqualTo(Casemap.fold("éTÉ"));
        // precomposed and decomposed forms are the same text
        assertThat(Casemap.fold("caf\u00e9")).isEqualTo(Casemap.fold("cafe\u0301"));
        // NFKD: the ligature is its letters
        assertThat(Casemap.fold("\ufb01le")).isEqualTo(Casemap.fold("FILE"));
        assertThat(Casemap.fold("ΣΟΦΙΑ")).isEqualTo(Casemap.fold("σοφια"));
    }

    @Test
    void asciiCasemapFoldsOnlyAsciiLetters() {
        assertThat(Casemap.compareAscii("abc", "ABC")).isZero();
        assertThat(Casemap.compareAscii("a", "B")).isNegative();
        assertThat(Casemap.compareAscii("[", "z")).isPositive(); // '[' is 0x5B, after 'Z'
        assertThat(Casemap.compareAscii("_", "[")).isPositive();
        assertThat(Casemap.compareAscii("é", "É")).isNotZero();
        assertThat(Casemap.compareAscii("ab", "abc")).isNegative();
        // code point order, not UTF-16 order: U+FF21 sorts before U+1F600
        assertThat(Casemap.compareAscii("\uff21", "\ud83d\ude00")).isNegative();
        assertThat(Casemap.asciiUpper("Re: été")).isEqualTo("RE: éTé");
    }

    @Test
    void findsAStringAcrossPieces() {
        TextScanner scanner = new TextScanner(Casemap.fold("needle"));
        assertThat(scanner.text("a haystack with a nee")).isFalse();
        assertThat(scanner.text("DLE in it")).isTrue();
        assertThat(scanner.found()).isTrue();
    }

    @Test
    void aMatchDoesNotSpanTwoTexts() {
        TextScanner scanner = new TextScanner(Casemap.fold("needle"));
        scanner.text("nee");
        assertThat(scanner.endText()).isFalse();
        scanner.text("dle");
        assertThat(scanner.endText()).isFalse();
        assertThat(scanner.found()).isFalse();
    }

    @Test
    void aCombiningMarkInTheNextPieceStillFolds() {
        TextScanner scanner = new TextScanner(Casemap.fold("CAFÉ"));
        scanner.text("un cafe");
        scanner.text("\u0301 noir");
        assertThat(scanner.endText()).isTrue();
    }

    @Test
    void asciiAndOtherTextMixWithinAndAcrossPieces() {
        TextScanner scanner = new TextScanner(Casemap.fold("Crème brûlée"));
        assertThat(scanner.text("une cr")).isFalse();
        assertThat(scanner.text("ÈME BRÛ")).isFalse();
        assertThat(scanner.text("lée, merci")).isTrue();
        TextScanner decomposed = new TextScanner(Casemap.fold("été"));
        assertThat(decomposed.text("l'e\u0301")).isFalse();
        assertThat(decomposed.text("te\u0301")).isFalse();
        assertThat(decomposed.endText()).isTrue();
    }

    @Test
    void manySmallPiecesAndALongText() {
        TextScanner scanner = new TextScanner(Casemap.fold("xyz"));
        for (int i = 0; i < 100_000; i++) assertThat(scanner.text("ab")).isFalse();
        scanner.text("x");
        scanner.text("Y");
        assertThat(scanner.text("z")).isTrue();
    }

    @Test
    void theEmptyStringIsFoundAtOnce() {
        assertThat(new TextScanner("").found()).isTrue();
    }
}
