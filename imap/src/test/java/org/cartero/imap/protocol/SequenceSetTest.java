package org.cartero.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceSetTest {

    @Test
    void parsesNumbersRangesStarAndSavedResult() {
        assertThat(SequenceSet.parse("1,3:5,*,7:*,*:2").ranges()).containsExactly(
                new SequenceSet.Range(1, 1), new SequenceSet.Range(3, 5), new SequenceSet.Range(SequenceSet.STAR, SequenceSet.STAR),
                new SequenceSet.Range(7, SequenceSet.STAR), new SequenceSet.Range(SequenceSet.STAR, 2));
        assertThat(SequenceSet.parse("$")).isEqualTo(SequenceSet.SAVED);
        assertThat(SequenceSet.parse("4294967295").ranges()).containsExactly(new SequenceSet.Range(4294967295L, 4294967295L));
    }

    @Test
    void rejectsWhatIsNotASequenceSet() {
        assertThatThrownBy(() -> SequenceSet.parse("0")).hasMessage("0 is not a valid message number");
        assertThatThrownBy(() -> SequenceSet.parse("1,,2")).hasMessage("missing number in sequence set");
        assertThatThrownBy(() -> SequenceSet.parse("1:")).hasMessage("missing number in sequence set");
        assertThatThrownBy(() -> SequenceSet.parse("4294967296")).hasMessage("number 4294967296 is too large");
        assertThatThrownBy(() -> SequenceSet.parse("1:2:3")).hasMessage("\":\" is not allowed in a sequence set");
        assertThatThrownBy(() -> SequenceSet.parse("$,1")).hasMessage("\"$\" is not allowed in a sequence set");
        assertThat(Wire.refuse("FETCH 1:x FLAGS").text()).isEqualTo("Expected a sequence set, but found \"1:x FLAGS\"");
    }

    @Test
    void rangesInEitherOrderAndStarResolveAgainstTheLargestNumber() {
        SequenceSet set = SequenceSet.parse("4:2,*");
        assertThat(set.contains(3, 10)).isTrue();
        assertThat(set.contains(10, 10)).isTrue();
        assertThat(set.contains(5, 10)).isFalse();
        // a UID range past the largest UID still holds the largest (RFC 9051 section 6.4.9)
        assertThat(SequenceSet.parse("500:*").contains(42, 42)).isTrue();
        assertThat(SequenceSet.SAVED.contains(1, 1)).isFalse();
    }

    @Test
    void compactsNumbersInTheirOrder() {
        assertThat(SequenceSet.of(1, 2, 3, 5)).hasToString("1:3,5");
        assertThat(SequenceSet.of(5, 3, 4, 2, 1)).hasToString("5,3:4,2,1");
        assertThat(SequenceSet.of(7)).hasToString("7");
        assertThat(new SequenceSet(List.of(new SequenceSet.Range(1, SequenceSet.STAR)), false)).hasToString("1:*");
    }
}
