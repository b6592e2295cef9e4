package sluice.core.deliver.mailbox;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which failures get their stack trace logged: the first of each exception class in {@link #EVERY}. During a store
 * outage every delivery attempt fails the same way; one stack trace a minute tells the operator as much as thousands.
 */
final class StackTraceLimit {

    static final Duration EVERY = Duration.ofMinutes(1);

    private final InstantSource clock;
    /** When each exception class last had its stack trace logged; as many entries as classes seen. */
    private final Map<Class<?>, Instant> logged = new ConcurrentHashMap<>();

    StackTraceLimit(InstantSource clock) {
        this.clock = clock;
    }

    /** Whether {@code failure}'s stack trace is logged now; if so, the next of its class waits {@link #EVERY}. */
    boolean allows(Throwable failure) {
        Instant now = clock.instant();
        boolean[] allowed = {false};
        logged.compute(failure.getClass(), (c, last) -> {
            // a clock stepped back (now before the last) must not silence stack traces until it catches up
            allowed[0] = last == null || now.isBefore(last) || !now.isBefore(last.plus(EVERY));
            return allowed[0] ? now : last;
        });
        return allowed[0];
    }
}
