package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** THREAD=REFERENCES and THREAD=ORDEREDSUBJECT on hand-made messages (RFC 5256 BASE.6.4.THREAD). */
class ThreaderTest {
    private final List<ThreadInput> messages = new ArrayList<>();

    /** Adds message number size()+1 sent at minute {@code minute}, with a Message-ID (or null) and references. */
    private void message(int minute, String id, String subject, String... references) {
        int seq = messages.size() + 1;
        messages.add(new ThreadInput(seq, seq * 10L, id, Arrays.asList(references), BaseSubject.of(subject), minute * 60_000L));
    }

    private String references() {
        return ThreadFormat.of(Threader.references(messages));
    }

    private String orderedSubject() {
        return ThreadFormat.of(Threader.orderedSubject(messages));
    }

    @Test
    void repliesHangUnderWhatTheyReference() {
        message(1, "a@x", "topic");
        message(2, "b@x", "Re: topic", "a@x");
        message(3, "c@x", "Re: topic", "a@x", "b@x");
        message(4, "d@x", "Re: topic", "a@x");
        assertThat(references()).isEqualTo("(1 (2 3)(4))");
        List<ThreadNode> threads = Threader.references(messages);
        assertThat(threads.getFirst().uid()).isEqualTo(10);
    }

    @Test
    void aMissingParentBecomesADummyThatGroupsItsChildren() {
        message(1, "b@x", "one", "a@x");
        message(2, "c@x", "two", "a@x");
        assertThat(references()).isEqualTo("((1)(2))");
    }

    @Test
    void aDummyWithOneChildAtTheTopGivesWayToIt() {
        message(1, "b@x", "one", "a@x");
        message(2, "z@x", "other");
        assertThat(references()).isEqualTo("(1)(2)");
    }

    @Test
    void dummiesBelowTheTopGiveWayToTheirChildren() {
        message(1, "a@x", "root");
        message(2, "c@x", "x", "a@x", "b@x");
        message(3, "d@x", "y", "a@x", "b@x");
        // b@x is missing: its children become children of a@x
        assertThat(references()).isEqualTo("(1 (2)(3))");
    }

    @Test
    void truncatedReferencesDoNotBreakAKnownChain() {
        message(1, "a@x", "s1");
        message(2, "c@x", "s2", "a@x", "b@x");
        message(3, "d@x", "s3", "b@x"); // truncated: does not move b@x away from a@x
        assertThat(references()).isEqualTo("(1 (2)(3))");
    }

    @Test
    void referencesThatWouldMakeALoopAreNotLinked() {
        message(1, "a@x", "s1", "b@x");
        message(2, "b@x", "s2", "a@x");
        assertThat(references()).isEqualTo("(2 1)");
    }

    @Test
    void aMessageReferencingItselfIsNoLoop() {
        message(1, "a@x", "s", "a@x");
        assertThat(references()).isEqualTo("(1)");
    }

    @Test
    void aLastReferenceReplacesTheParentAMessageWasGivenEarlier() {
        // imaptest's "thread" group: message 3's References names b@b, whose parent is c@b itself
        message(17 * 60 + 6, "a@b", "");
        message(15 * 60 + 6, "b@b", "", "a@b", "c@b");
        message(16 * 60 + 6, "c@b", "", "b@b");
        assertThat(references()).isEqualTo("(3 2)(1)");
    }

    @Test
    void duplicateMessageIdsGetUniqueOnes() {
        message(1, "a@b", "");
        message(1, "a@b", "");
        assertThat(references()).isEqualTo("(1)(2)");
    }

    @Test
    void referencesToADuplicateIdGoToTheFirstMessage() {
        message(1, "a@b", "");
        message(1, "b@b", "", "a@b");
        message(1, "c@b", "", "b@b");
        message(1, "b@b", "", "a@b");
        assertThat(references()).isEqualTo("(1 (2 3)(4))");
    }

    @Test
    void aDummyFilledByALaterMessage() {
        message(1, "a@b", "");
        message(1, "c@b", "", "b@b");
        message(1, "b@b", "", "a@b");
        assertThat(references()).isEqualTo("(1 3 2)");
    }

    @Test
    void messagesWithoutIdOrReferencesStandAlone() {
        message(2, null, "");
        message(1, null, "");
        assertThat(references()).isEqualTo("(2)(1)");
    }

    @Test
    void aReplyBySubjectJoinsTheOriginal() {
        message(1, "a@b", "foo");
        message(2, "b@b", "Re: foo", "c@b");
        assertThat(references()).isEqualTo("(1 2)");
    }

    @Test
    void twoOriginalsWithTheSameSubjectShareADummy() {
        message(1, "a@b", "foo");
        message(2, "b@b", "FOO");
        message(3, "c@b", "Re: foo");
        assertThat(references()).isEqualTo("((1)(2)(3))");
    }

    @Test
    void anOriginalIsPreferredToAnEarlierReply() {
        message(1, "r@b", "Re: topic");
        message(2, "o@b", "topic");
        assertThat(references()).isEqualTo("(2 1)");
    }

    @Test
    void threadsUnderADummyMergeWithItsSubject() {
        message(1, "b@x", "topic", "missing@x");
        message(2, "c@x", "Re: topic", "missing@x");
        message(3, "d@x", "Re: topic");
        message(4, "e@x", "unrelated");
        assertThat(references()).isEqualTo("((1)(2)(3))(4)");
    }

    @Test
    void twoDummiesWithTheSameSubjectMerge() {
        message(1, "b@x", "topic", "m1@x");
        message(2, "c@x", "topic", "m1@x");
        message(3, "d@x", "topic", "m2@x");
        message(4, "e@x", "topic", "m2@x");
        assertThat(references()).isEqualTo("((1)(2)(3)(4))");
    }

    @Test
    void emptySubjectsAreNotMerged() {
        message(1, "a@x", "Re:");
        message(2, "b@x", "");
        assertThat(references()).isEqualTo("(1)(2)");
    }

    @Test
    void siblingsAndThreadsAreOrderedByDateThenNumber() {
        message(5, "a@x", "s");
        message(9, "b@x", "Re: s", "a@x");
        message(7, "c@x", "Re: s", "a@x");
        message(7, "d@x", "Re: s", "a@x");
        message(3, "e@x", "other");
        assertThat(references()).isEqualTo("(5)(1 (3)(4)(2))");
    }

    @Test
    void aDummyIsOrderedByItsEarliestChild() {
        message(9, "z@x", "late");
        message(8, "b@x", "one", "missing@x");
        message(2, "c@x", "two", "missing@x");
        assertThat(references()).isEqualTo("((3)(2))(1)");
    }

    @Test
    void aVeryLongChainNeedsNoDeepStack() {
        message(0, "m0@x", "chain");
        for (int i = 1; i < 20_000; i++) message(i, "m" + i + "@x", "Re: chain", "m" + (i - 1) + "@x");
        List<ThreadNode> threads = Threader.references(messages);
        assertThat(threads).hasSize(1);
        int depth = 0;
        for (ThreadNode n = threads.getFirst(); !n.children().isEmpty(); n = n.children().getFirst()) depth++;
        assertThat(depth).isEqualTo(19_999);
    }

    @Test
    void orderedSubjectGroupsByBaseSubjectUnderTheFirstMessage() {
        message(4, null, "b");
        message(1, null, "a");
        message(3, null, "Re: B");
        message(2, null, "[list] a");
        message(5, null, "c");
        message(0, null, "Fwd: b");
        assertThat(orderedSubject()).isEqualTo("(6 (3)(1))(2 4)(5)");
    }
}
