package sluice.core.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * When to try again and when to give up. Delays double from {@code firstRetry} up to
 * {@code maxRetry}; a recipient still undelivered {@code maxLifetime} after arrival is returned to
 * the sender; a delay notice goes out once after {@code delayNotice} (zero disables it).
 */
public record RetrySchedule(Duration firstRetry, Duration maxRetry, Duration maxLifetime, Duration delayNotice) {

    public static final RetrySchedule DEFAULT = new RetrySchedule(Duration.ofMinutes(1), Duration.ofMinutes(60),
            Duration.ofHours(24), Duration.ofHours(4));

    public RetrySchedule {
        Objects.requireNonNull(firstRetry);
        Objects.requireNonNull(maxRetry);
        Objects.requireNonNull(maxLifetime);
        Objects.requireNonNull(delayNotice);
        if (firstRetry.isNegative() || firstRetry.isZero()) throw new IllegalArgumentException("firstRetry must be positive");
        if (maxRetry.compareTo(firstRetry) < 0) throw new IllegalArgumentException("maxRetry must be at least firstRetry");
        if (maxLifetime.isNegative() || maxLifetime.isZero()) throw new IllegalArgumentException("maxLifetime must be positive");
        if (delayNotice.isNegative()) throw new IllegalArgumentException("delayNotice must not be negative");
    }

    /** The wait after the {@code attempts}-th failed attempt (1-based). */
    public Duration delayAfter(int attempts) {
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        Duration d = firstRetry.multipliedBy(1L << doublings);
        return d.compareTo(maxRetry) > 0 ? maxRetry : d;
    }
}
