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

    @Test
    void aCallerOfNoOrganizationIsCountedOnItsOwn() {
        Caller lonely = new Caller("lonely", Role.ORG_ADMIN, java.util.Set.of(), "user-1");
        Caller other = new Caller("other", Role.ORG_ADMIN, java.util.Set.of(), "user-2");
        assertThat(throttle.tryRefuse(lonely)).isZero();
        assertThat(throttle.tryRefuse(lonely)).isZero();

        assertThat(throttle.tryRefuse(lonely)).as("counted, though it has no organization to count against").isEqualTo(60);
        assertThat(throttle.wait(lonely)).isEqualTo(60);
        assertThat(throttle.wait(other)).isZero();
    }

    @Test
    void aCallerIsCountedAgainstEachOfItsOrganizations() {
        Caller both = new Caller("erin", Role.ORG_ADMIN, java.util.Set.of("contoso", "northwind"), "user-3");
        assertThat(throttle.tryRefuse(both)).isZero();
        assertThat(throttle.tryRefuse("northwind")).isZero();

        assertThat(throttle.wait("contoso")).isZero();
        assertThat(throttle.wait(both)).as("northwind is spent").isEqualTo(60);
    }
}
