package sluice.admin.auth;

import java.time.Duration;
import java.time.InstantSource;

/**
 * Limits how often one organization may have a change refused for what it would reach (a connector naming
 * sender ranges, a certificate name or a smart host that another organization or this node holds, or that
 * are too wide). Each refusal answers a question about other organizations ("does anyone else's connector
 * cover this range?"); one request at a time, without a limit, a tenant could map them. The key is the
 * organization, not the account: an organization administrator can rename themselves and create further
 * administrators of the organization, but not new organizations. After {@code limit} refusals within
 * {@code window}, further changes of that kind are refused (429) until the oldest refusal leaves the window,
 * as {@link LoginThrottle} does for failed logins.
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

    /** 10 refusals per organization a minute: room for honest mistakes, none for a scan. */
    public static RefusalThrottle standard(InstantSource clock) {
        return new RefusalThrottle(clock, 10, Duration.ofMinutes(1));
    }

    /** 0 when {@code organization} may try a change now; else the seconds until it may. */
    public synchronized long wait(String organization) {
        return refusals.wait(organization, limit, clock.instant());
    }

    /**
     * Counts a refusal for {@code organization} if there is room for one, in one step with the check, so
     * concurrent requests cannot all pass {@link #wait} and then each be answered.
     *
     * @return 0 when the refusal was counted (the caller may be told why); else the seconds until there is
     *         room, and nothing was counted (the caller gets 429 and learns nothing)
     */
    public synchronized long tryRefuse(String organization) {
        long wait = refusals.wait(organization, limit, clock.instant());
        if (wait == 0) refusals.add(organization, clock.instant());
        return wait;
    }
}
