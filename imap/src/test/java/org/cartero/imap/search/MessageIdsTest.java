package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void readsEveryIdOfAReferencesField() {
        assertThat(MessageIds.all("<a@b> <c@d>\r\n\t<e.f@g.h>")).containsExactly("a@b", "c@d", "e.f@g.h");
    }

    @Test
    void quotingWhiteSpaceAndCommentsMakeNoDifference() {
        // RFC 5256 BASE.6.4.THREAD's own example
        assertThat(MessageIds.first("<\"01KF8JCEOCBS0045PS\"@xxx.yyy.com>"))
                .isEqualTo(MessageIds.first("<01KF8JCEOCBS0045PS@xxx.yyy.com>"))
                .isEqualTo("01KF8JCEOCBS0045PS@xxx.yyy.com");
        assertThat(MessageIds.first("< a@b >")).isEqualTo("a@b");
        assertThat(MessageIds.first("<a (comment) @ (comment) b>")).isEqualTo("a@b");
        assertThat(MessageIds.first("<\"a\\\"q\"@b>")).isEqualTo("a\"q@b");
        assertThat(MessageIds.first("<x@[1.2.3.4]>")).isEqualTo("x@[1.2.3.4]");
    }

    @Test
    void skipsGarbageAndInvalidIds() {
        assertThat(MessageIds.all("Your message of <no-at-sign> dated today <real@example.org>"))
                .containsExactly("real@example.org");
        assertThat(MessageIds.first("<a@b (unterminated")).isNull();
        assertThat(MessageIds.all("no ids at all")).isEmpty();
        assertThat(MessageIds.all(null)).isEmpty();
        assertThat(MessageIds.first("<@b> <a@>")).isNull();
    }

    @Test
    void idsKeepTheirCase() {
        assertThat(MessageIds.first("<AbC@Example.ORG>")).isEqualTo("AbC@Example.ORG");
    }
}
