package sluice.admin.auth;

import java.time.Duration;
import java.time.InstantSource;

/**
 * Limits how often one account may have a change refused for what it would reach (an inbound connector's
 * sender ranges or certificate name that another organization or this node holds, or that are too wide).
 * Each refusal answers a question about other organizations ("does anyone else's connector cover this
 * range?"); one request at a time, without a limit, a tenant could map them. After {@code limit}
 * refusals within {@code window}, further changes of that kind are refused (429) until the oldest
 * refusal leaves the window, as {@link LoginThrottle} does for failed logins.
 */
public final class RefusalThrottle {

    private final InstantSource clock;
    private final int limit;
    private final SlidingWindows refusals;

    public RefusalThrottle(InstantSource clock, int limit, Duration window) {
        this.clock = clock;
        this.limit = limit;
        this.refusals = new SlidingWindows(window);
    }

    /** 10 refusals per account a minute: room for honest mistakes, none for a scan. */
    public static RefusalThrottle standard(InstantSource clock) {
        return new RefusalThrottle(clock, 10, Duration.ofMinutes(1));
    }

    /** 0 when {@code account} may try a change now; else the seconds until it may. */
    public synchronized long wait(String account) {
        return refusals.wait(account, limit, clock.instant());
    }

    /** A change by {@code account} was refused. */
    public synchronized void refused(String account) {
        refusals.add(account, clock.instant());
    }
}
