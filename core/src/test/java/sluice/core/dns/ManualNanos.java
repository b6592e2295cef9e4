package sluice.core.dns;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A monotonic nanosecond count that tests move by hand, in place of {@link System#nanoTime}. It starts half an
 * hour before the counter wraps, so tests that move it further check that expiry survives the wrap.
 */
final class ManualNanos implements LongSupplier {
    private volatile long now = Long.MAX_VALUE - Duration.ofMinutes(30).toNanos();

    @Override
    public long getAsLong() {
        return now;
    }

    void advance(Duration d) {
        now += d.toNanos();
    }
}
