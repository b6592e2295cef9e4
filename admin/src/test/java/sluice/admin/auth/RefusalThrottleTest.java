package sluice.admin.auth;

import org.junit.jupiter.api.Test;
import sluice.admin.testing.TestClock;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalThrottleTest {

    private final TestClock clock = new TestClock(Instant.parse("2025-06-01T12:00:00Z"));
    private final RefusalThrottle throttle = new RefusalThrottle(clock, 2, Duration.ofMinutes(1));

    @Test
    void tryRefuseCountsWhileThereIsRoomAndOtherwiseSaysHowLongToWaitWithoutCounting() {
        assertThat(throttle.tryRefuse("contoso")).isZero();
        clock.advance(Duration.ofSeconds(10));
        assertThat(throttle.tryRefuse("contoso")).isZero();
        assertThat(throttle.tryRefuse("contoso")).as("full: the first leaves in 50 s").isEqualTo(50);
        assertThat(throttle.wait("contoso")).isEqualTo(50);
        assertThat(throttle.tryRefuse("fabrikam")).as("per key").isZero();

        clock.advance(Duration.ofSeconds(50));
        assertThat(throttle.tryRefuse("contoso")).as("the refused tries were not counted").isZero();
        assertThat(throttle.tryRefuse("contoso")).isEqualTo(10);
    }
}
