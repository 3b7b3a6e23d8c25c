package org.cartero.imap.imaptest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ReplyMatcherTest {
    private final ReplyMatcher matcher = new ReplyMatcher(true);

    /** Matches as an expected untagged line (default directives added) against a server line. */
    private boolean matches(String expected, String received) throws Exception {
        List<ImapArg> want = ListDirectives.addDefaults(ImapArgParser.parseScript(expected), replyName(expected));
        List<ImapArg> got = ImapArgParser.parseScript(received);
        String first = got.getFirst().atom();
        boolean freeText = first != null && List.of("OK", "NO", "BAD", "BYE").contains(Text.upper(first));
        boolean full = matcher.match(want, got, freeText) == ReplyMatcher.FULL;
        if (full) {
            matcher.commitMatch();
        } else {
            matcher.revertMatch();
        }
        return full;
    }

    private static String replyName(String expected) {
        String[] words = expected.split(" ");
        return Character.isDigit(words[0].charAt(0)) || words[0].startsWith("$") ? words[1] : words[0];
    }

    @Test
    void comparesCaseInsensitivelyExceptInCase() throws Exception {
        assertThat(matches("2 exists", "2 EXISTS")).isTrue();
        assertThat(matches("list () \"/\" ${case:INBOX}", "LIST () \"/\" INBOX")).isTrue();
        assertThat(matches("list () \"/\" ${case:INBOX}", "LIST () \"/\" Inbox")).isFalse();
    }

    @Test
    void variablesBindOnceAndMustMatchAfterwards() throws Exception {
        assertThat(matches("1 fetch (uid $uid1)", "1 FETCH (UID 7)")).isTrue();
        assertThat(matcher.value("uid1")).isEqualTo("7");
        assertThat(matches("2 fetch (uid $uid1)", "2 FETCH (UID 8)")).isFalse();
        assertThat(matches("search $uid1 $uid2", "SEARCH 7 9")).isTrue();
        assertThat(matcher.value("uid2")).isEqualTo("9");
    }

    @Test
    void variablesBoundByAReplyThatDoesNotMatchAreForgotten() throws Exception {
        assertThat(matches("status x (uidnext $next messages 2)", "STATUS x (UIDNEXT 5 MESSAGES 3)")).isFalse();
        assertThat(matcher.value("next")).isNull();
    }

    @Test
    void variablePartOfAnAtomStopsAtTheNextWrittenCharacter() throws Exception {
        assertThat(matches("ok [uidvalidity $v]", "OK [UIDVALIDITY 1795] UIDs valid")).isTrue();
        assertThat(matcher.value("v")).isEqualTo("1795");
        assertThat(matches("esearch (tag $tag) uid all $a:$b", "ESEARCH (TAG \"x\") UID ALL 3:9")).isTrue();
        assertThat(matcher.value("a")).isEqualTo("3");
        assertThat(matcher.value("b")).isEqualTo("9");
    }

    @Test
    void dollarAloneMatchesAnythingEvenAList() throws Exception {
        assertThat(matches("1 fetch (uid $ flags $)", "1 FETCH (FLAGS (\\Seen) UID 4)")).isTrue();
    }

    @Test
    void fetchItemsInAnyOrderAndExtraItemsAllowed() throws Exception {
        assertThat(matches("1 fetch (uid 4)", "1 FETCH (FLAGS () UID 4)")).isTrue();
        assertThat(matches("1 fetch (uid 4 modseq (3))", "1 FETCH (UID 4)")).isFalse();
    }

    @Test
    void fetchFlagsMustBeExactExceptRecent() throws Exception {
        assertThat(matches("1 fetch (flags (\\seen \\flagged))", "1 FETCH (FLAGS (\\Flagged \\Recent \\Seen))")).isTrue();
        assertThat(matches("1 fetch (flags (\\seen))", "1 FETCH (FLAGS (\\Seen \\Answered))")).isFalse();
        assertThat(matches("1 fetch (flags ())", "1 FETCH (FLAGS (\\Recent))")).isTrue();
    }

    @Test
    void banAndIgnoreDirectives() throws Exception {
        assertThat(matches("list ($!unordered $!ban=\\noselect \\subscribed) \"/\" x", "LIST (\\Subscribed \\HasChildren) \"/\" x")).isTrue();
        assertThat(matches("list ($!unordered $!ban=\\noselect \\subscribed) \"/\" x", "LIST (\\Subscribed \\Noselect) \"/\" x")).isFalse();
        assertThat(matches("list ($!unordered $!noextra $!ignore=\\marked \\subscribed) \"/\" x", "LIST (\\Marked \\Subscribed) \"/\" x")).isTrue();
        assertThat(matches("list ($!unordered $!noextra \\subscribed) \"/\" x", "LIST (\\Marked \\Subscribed) \"/\" x")).isFalse();
    }

    @Test
    void otherListsAreOrderedWithoutExtras() throws Exception {
        assertThat(matches("thread (1 2)(3)", "THREAD (1 2)(3)")).isTrue();
        assertThat(matches("thread (1 2)(3)", "THREAD (2 1)(3)")).isFalse();
        assertThat(matches("thread (1 2)(3)", "THREAD (1 2)(3)(4)")).isFalse();
    }

    @Test
    void responseTextAfterTheLastExpectedArgumentIsFree() throws Exception {
        assertThat(matches("ok [unseen 1]", "OK [UNSEEN 1] First unseen.")).isTrue();
        assertThat(matches("bye", "BYE Logging out")).isTrue();
        assertThat(matches("2 expunge", "2 EXPUNGE extra")).isFalse();
    }

    @Test
    void skipToClosingBracket() throws Exception {
        assertThat(matches("ok [capability $] ready", "OK [CAPABILITY IMAP4rev1 IDLE] ready now")).isTrue();
    }

    @Test
    void relativeSequencesFollowExpunges() throws Exception {
        matcher.resetSequences(5);
        matcher.expunged(2);

        assertThat(matches("$3 fetch (flags ())", "2 FETCH (FLAGS ())")).isTrue();
        assertThat(matcher.expand("$1 $2 $9 $0", false)).isEqualTo("1 <expunged> <out of range> <zero seq>");
    }

    @Test
    void modseqsMustGrowWithTheirNumbers() throws Exception {
        assertThat(matches("2 fetch (modseq ($modseq2))", "2 FETCH (MODSEQ (10))")).isTrue();
        assertThat(matches("5 fetch (modseq ($modseq5))", "5 FETCH (MODSEQ (12))")).isFalse();
        assertThat(matcher.value("modseq5")).isEqualTo("$modseq-at-least-13");
    }

    @Test
    void withoutModseqRulesModseqVariablesArePlain() throws Exception {
        ReplyMatcher plain = new ReplyMatcher(false);
        List<ImapArg> want = ImapArgParser.parseScript("(modseq ($modseq5))");

        assertThat(plain.match(want, ImapArgParser.parseScript("(MODSEQ (1))"), false)).isEqualTo(ReplyMatcher.FULL);
    }

    @Test
    void stringsCompareUpToANulByteLikeImaptestsCStrings() throws Exception {
        assertThat(matches("1 fetch (binary[1] ~{2}\r\n\0a)", "1 FETCH (BINARY[1] ~{3}\r\n\0bc)")).isTrue();
    }

    @Test
    void expandingCommands() throws Exception {
        matcher.define("mailbox", "imaptest");
        matcher.define("sep", "/");

        assertThat(matcher.expand("create $mailbox${sep}a $$keyword", false)).isEqualTo("create imaptest/a $keyword");
        assertThat(matcher.expand("fetch $unknown", true)).isEqualTo("fetch $");
        assertThatThrownBy(() -> matcher.expand("fetch $unknown", false))
                .isInstanceOf(ReplyMatcher.UnboundVariableException.class).hasMessage("Uninitialized variable: unknown");
    }

    @Test
    void tagVariable() throws Exception {
        matcher.setTag("3.14");

        assertThat(matches("esearch (tag $tag) count 2", "ESEARCH (TAG \"3.14\") COUNT 2")).isTrue();
        assertThat(matches("esearch (tag $tag) count 2", "ESEARCH (TAG \"3.15\") COUNT 2")).isFalse();
    }
}
