package org.cartero.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UidSetTest {

    @Test
    void parsesMergesAndPrintsRanges() {
        UidSet s = UidSet.parse("5:3,9,10,1,20:*", 25);
        assertThat(s.toString()).isEqualTo("1,3:5,9:10,20:25");
        assertThat(s.size()).isEqualTo(1 + 3 + 2 + 6);
        assertThat(s.contains(4)).isTrue();
        assertThat(s.contains(6)).isFalse();
        assertThat(s.toArray()).containsExactly(1, 3, 4, 5, 9, 10, 20, 21, 22, 23, 24, 25);
    }

    @Test
    void rejectsOutOfRangeAndGarbage() {
        assertThatThrownBy(() -> UidSet.parse("0", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UidSet.parse("4294967296", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UidSet.parse("1,,2", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UidSet.parse("a", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(UidSet.parse("4294967295", 1).last()).isEqualTo(UidSet.MAX_UID);
    }

    @Test
    void uidListMapsSequenceNumbersAndUnsignedUids() {
        UidList list = UidList.of(3, 7, 10, 3_000_000_000L);
        assertThat(list.uidAt(4)).isEqualTo(3_000_000_000L);
        assertThat(list.seqOf(3_000_000_000L)).isEqualTo(4);
        assertThat(list.seqOf(8)).isZero();
        assertThat(list.seqAtOrAfter(8)).isEqualTo(3);
        assertThat(list.seqAtOrAfter(4_000_000_000L)).isEqualTo(5);
        assertThat(list.lastUid()).isEqualTo(3_000_000_000L);
    }

    @Test
    void removingReturnsSequenceNumbersDescendingAndCopiesAreIndependent() {
        UidList list = UidList.of(1, 2, 3, 4, 5);
        UidList copy = list.copy();
        assertThat(list.remove(UidSet.of(2, 4))).containsExactly(4, 2);
        assertThat(list.toSet().toString()).isEqualTo("1,3,5");
        assertThat(copy.size()).isEqualTo(5);
        copy.append(9);
        assertThat(copy.toSet().toString()).isEqualTo("1:5,9");
        assertThatThrownBy(() -> copy.append(9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flagsNormalizeKeywordsWithoutCase() {
        Flags f = Flags.parse(java.util.List.of("\\seen", "$Junk", "$junk", "Work"));
        assertThat(f.system()).isEqualTo(Flags.SEEN);
        assertThat(f.keywords()).containsExactly("$Junk", "Work");
        assertThat(f.without(Flags.of(0, "WORK")).keywords()).containsExactly("$Junk");
        assertThat(f.names()).containsExactly("\\Seen", "$Junk", "Work");
        assertThatThrownBy(() -> Flags.parse(java.util.List.of("\\Recent"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Flags.of(0, "bad word")).isInstanceOf(IllegalArgumentException.class);
    }
}
