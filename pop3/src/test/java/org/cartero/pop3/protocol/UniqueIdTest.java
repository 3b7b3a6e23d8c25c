package org.cartero.pop3.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UniqueIdTest {

    @Test
    void uidThenUidValidityAsEightHexDigitsEach() {
        assertThat(UniqueId.of(1700000000L, 1)).isEqualTo("000000016553F100");
        assertThat(UniqueId.of(0xFFFF_FFFFL, 0xFFFF_FFFFL)).isEqualTo("FFFFFFFFFFFFFFFF");
    }

    @Test
    void theSameMessageAlwaysHasTheSameIdAndOthersDiffer() {
        assertThat(UniqueId.of(42, 7)).isEqualTo(UniqueId.of(42, 7));
        assertThat(UniqueId.of(42, 7)).isNotEqualTo(UniqueId.of(43, 7)).isNotEqualTo(UniqueId.of(42, 8));
    }

    @Test
    void itIsWithinTheCharactersAndLengthRfc1939Allows() {
        String id = UniqueId.of(123456789, 98765);
        assertThat(id).hasSizeBetween(1, 70);
        assertThat(id.chars()).allMatch(c -> c >= 0x21 && c <= 0x7E);
    }

    @Test
    void numbersOutsideTheUnsigned32BitRangeAreRefused() {
        assertThatThrownBy(() -> UniqueId.of(1L << 32, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UniqueId.of(1, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
