package org.cartero.smtp.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    @Test
    void theDelayDoublesUpToTheMaximum() {
        RetrySchedule schedule = new RetrySchedule(Duration.ofMinutes(5), Duration.ofHours(1));
        assertThat(schedule.delayAfter(1)).isEqualTo(Duration.ofMinutes(5));
        assertThat(schedule.delayAfter(2)).isEqualTo(Duration.ofMinutes(10));
        assertThat(schedule.delayAfter(3)).isEqualTo(Duration.ofMinutes(20));
        assertThat(schedule.delayAfter(4)).isEqualTo(Duration.ofMinutes(40));
        assertThat(schedule.delayAfter(5)).isEqualTo(Duration.ofHours(1));
        assertThat(schedule.delayAfter(500)).isEqualTo(Duration.ofHours(1));
    }
}
