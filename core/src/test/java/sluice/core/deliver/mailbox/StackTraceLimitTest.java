package sluice.core.deliver.mailbox;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class StackTraceLimitTest {

    @Test
    void onceAMinutePerClassAndAClockSteppedBackDoesNotSilenceIt() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-29T10:00:00Z"));
        StackTraceLimit limit = new StackTraceLimit(now::get);
        assertThat(limit.allows(new IOException())).isTrue();
        assertThat(limit.allows(new IOException())).isFalse();
        assertThat(limit.allows(new IllegalStateException())).as("another class").isTrue();
        now.set(now.get().plus(StackTraceLimit.EVERY));
        assertThat(limit.allows(new IOException())).isTrue();
        now.set(now.get().minus(Duration.ofHours(1)));
        assertThat(limit.allows(new IOException())).as("after the clock went back an hour").isTrue();
    }
}
