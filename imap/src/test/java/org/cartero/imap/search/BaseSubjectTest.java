package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BaseSubjectTest {

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, nullValues = "NULL", value = {
            // plain subjects, white space
            "hello world|hello world|false",
            "  hello \t  world  |hello world|false",
            "''|''|false",
            "NULL|''|false",
            // (3) subj-leader: subj-refwd, after blobs
            "Re: foo|foo|true",
            "RE: foo|foo|true",
            "re:foo|foo|true",
            "Fwd: foo|foo|true",
            "FW: foo|foo|true",
            "fw : foo|foo|true",
            "Re [list]: foo|foo|true",
            "[list] Re: foo|foo|true",
            "[a] [b] Re: foo|foo|true",
            "Re: Re: re: foo|foo|true",
            "Re:|''|true",
            // (4) a blob alone is removed only when something is left
            "[list] foo|foo|false",
            "Re: [list] foo|foo|true",
            "[xyz]|[xyz]|false",
            "[a][b]|[b]|false",
            // (2) trailers
            "foo (fwd)|foo|true",
            "foo (FWD) (fwd)  |foo|true",
            "foo(fwd)|foo|true",
            // (6) [fwd: ...] wrappers, then again from (2)
            "[Fwd: foo]|foo|true",
            "[fwd: Re: foo (fwd)]|foo|true",
            "Re: [FWD: c]|c|true",
            "re: [fwd: [fwd: re: [fwd: babylon]]]|babylon|true",
            "[fwd: ]|''|true",
            // not prefixes
            "Reply: foo|Reply: foo|false",
            "Ad: Re: Ad: Re: Ad: x|Ad: Re: Ad: Re: Ad: x|false",
            "Refwd: foo|Refwd: foo|false",
            "b (a)|b (a)|false",
            "foo (fwd) bar|foo (fwd) bar|false",
            // imaptest's sort-subject case
            "[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)|b|true",
            // (1) encoded words are decoded first
            "=?iso-8859-1?q?RE:_C?=|C|true",
            "=?us-ascii?b?UmU6IGM=?=|c|true",
            "Re: =?utf-8?q?b?=|b|true",
            "=?iso-8859-1?q?_?=|''|false",
            "=?utf-8?q?Re=3A_caf=C3=A9?=|café|true",
    })
    void extractsTheBaseSubject(String subject, String base, boolean replyOrForward) {
        BaseSubject extracted = BaseSubject.of(subject);
        assertThat(extracted.text()).isEqualTo(base);
        assertThat(extracted.isReplyOrForward()).isEqualTo(replyOrForward);
    }
}
