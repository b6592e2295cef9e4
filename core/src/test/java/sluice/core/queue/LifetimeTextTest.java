package sluice.core.queue;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The lifetime as the NDR states it ("could not be delivered within ..."). */
class LifetimeTextTest {

    @Test
    void statesTheLifetimeExactlyInTheLargestUnit() {
        assertThat(DeliveryAttempt.human(Duration.ofHours(24))).isEqualTo("24 hours");
        assertThat(DeliveryAttempt.human(Duration.ofHours(1))).isEqualTo("1 hour");
        assertThat(DeliveryAttempt.human(Duration.ofMinutes(90))).isEqualTo("90 minutes");
        assertThat(DeliveryAttempt.human(Duration.ofSeconds(90))).isEqualTo("90 seconds");
        assertThat(DeliveryAttempt.human(Duration.ofSeconds(3))).isEqualTo("3 seconds");
        assertThat(DeliveryAttempt.human(Duration.ofDays(5))).isEqualTo("120 hours");
    }
}
