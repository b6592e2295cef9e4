package sluice.core.receive;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The failed-login throttle counts an IPv6 /64 as one client, forgets clients whose window passed, and
 * counts only wrong passwords however many logins succeed.
 */
class LoginThrottleTest {

    private Instant now = Instant.parse("2026-11-28T12:00:00Z");
    private final InstantSource clock = () -> now;
    private final SubmissionLimits limits = new SubmissionLimits(30, Duration.ofMinutes(1), 5, Duration.ofMinutes(10));

    @Test
    void guessesFromEveryAddressOfOneSlash64CountTogether() {
        for (int i = 1; i <= 5; i++) limits.loginFailed("2001:db8:1:2::" + Integer.toHexString(i), clock);
        assertThat(limits.loginBlocked("2001:db8:1:2:ffff:ffff:ffff:ffff", clock)).isTrue();
        assertThat(limits.loginBlocked("2001:db8:1:3::1", clock)).isFalse();
        assertThat(limits.loginBlocked("192.0.2.1", clock)).isFalse();
    }

    @Test
    void ipv4AddressesAreCountedOneByOne() {
        for (int i = 0; i < 5; i++) limits.loginFailed("192.0.2.1", clock);
        assertThat(limits.loginBlocked("192.0.2.1", clock)).isTrue();
        assertThat(limits.loginBlocked("192.0.2.2", clock)).isFalse();
        now = now.plus(Duration.ofMinutes(10));
        assertThat(limits.loginBlocked("192.0.2.1", clock)).isFalse();
    }

    @Test
    void clientsThatNeverComeBackAreForgotten() {
        for (int i = 0; i < 20_000; i++) {
            limits.loginFailed("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), clock);
            now = now.plusSeconds(1);
        }
        // a 10-minute window at one failure a second holds about 600 clients, plus up to one window not yet swept
        assertThat(limits.tracked()).isLessThanOrEqualTo(1_300);
    }

    @Test
    void aWindowThatEmptiesFreesItsEntry() {
        limits.loginFailed("192.0.2.9", clock);
        assertThat(limits.tracked()).isEqualTo(1);
        now = now.plus(Duration.ofMinutes(11));
        assertThat(limits.loginBlocked("192.0.2.9", clock)).isFalse();
        assertThat(limits.tracked()).isZero();
    }

    @Test
    void aLoginIsCountedAsAFailureOnlyWhenItsPasswordWasCheckedAndWrong() {
        for (int i = 0; i < 20; i++) {
            assertThat(limits.checkLogin("192.0.2.1", clock, () -> true)).isEqualTo(SubmissionLimits.LoginCheck.ACCEPTED);
        }
        assertThat(limits.loginBlocked("192.0.2.1", clock)).as("the attempts counted before their checks were taken back").isFalse();
        for (int i = 0; i < 5; i++) {
            assertThat(limits.checkLogin("192.0.2.1", clock, () -> false)).isEqualTo(SubmissionLimits.LoginCheck.REJECTED);
        }
        assertThat(limits.checkLogin("192.0.2.1", clock, () -> true)).isEqualTo(SubmissionLimits.LoginCheck.THROTTLED);
    }

    @Test
    void atMostTwoPasswordChecksRunAtOnce() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 6; i++) threads.add(Thread.ofVirtual().start(() -> limits.checkPassword(() -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return false;
        })));
        for (int i = 0; i < 500 && running.get() < SubmissionLimits.CONCURRENT_CHECKS; i++) Thread.sleep(10);
        Thread.sleep(100); // room for a third check to start, were it allowed to
        assertThat(running.get()).isEqualTo(SubmissionLimits.CONCURRENT_CHECKS);
        release.countDown();
        for (Thread t : threads) t.join();
        assertThat(most.get()).isEqualTo(SubmissionLimits.CONCURRENT_CHECKS);
    }

    @Test
    void aCheckThatFailsGivesItsTurnBack() {
        for (int i = 0; i < SubmissionLimits.CONCURRENT_CHECKS + 1; i++) {
            assertThatThrownBy(() -> limits.checkPassword(() -> {
                throw new OutOfMemoryError("Argon2 could not have its memory");
            })).isInstanceOf(OutOfMemoryError.class);
        }
        assertThat(limits.idleChecks()).isEqualTo(SubmissionLimits.CONCURRENT_CHECKS);
    }
}
