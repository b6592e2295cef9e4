package sluice.admin.auth;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.List;

/**
 * Limits how often one organization may have a change refused for what it would reach (a connector naming
 * sender ranges, a certificate name or a smart host that another organization or this node holds, or that
 * are too wide) or for a name someone else holds (a username, an organization name). Each refusal answers
 * a question about other organizations ("does anyone else's connector cover this range?", "does anyone
 * have this username?"); one request at a time, without a limit, a tenant could map them. The key is the
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
    public long wait(String organization) {
        return wait(List.of(organization));
    }

    /** 0 when {@code caller} may try a change now, in each of the organizations it is counted against ({@link #keys}). */
    public long wait(Caller caller) {
        return wait(keys(caller));
    }

    private synchronized long wait(Collection<String> keys) {
        long wait = 0;
        for (String key : keys) wait = Math.max(wait, refusals.wait(key, limit, clock.instant()));
        return wait;
    }

    /**
     * Counts a refusal for {@code organization} if there is room for one, in one step with the check, so
     * concurrent requests cannot all pass {@link #wait} and then each be answered.
     *
     * @return 0 when the refusal was counted (the caller may be told why); else the seconds until there is
     *         room, and nothing was counted (the caller gets 429 and learns nothing)
     */
    public long tryRefuse(String organization) {
        return tryRefuse(List.of(organization));
    }

    /**
     * As {@link #tryRefuse(String)}, one refusal counted against each organization of {@code caller} (when the
     * refused change names no organization of its own): room is needed in all of them. A caller of no
     * organization is counted on its own, by its account, rather than not at all.
     */
    public long tryRefuse(Caller caller) {
        return tryRefuse(keys(caller));
    }

    private synchronized long tryRefuse(Collection<String> keys) {
        long wait = wait(keys);
        if (wait == 0) keys.forEach(key -> refusals.add(key, clock.instant()));
        return wait;
    }

    /** The caller's organizations; for a caller of none, its account (prefixed: no organization id can be it). */
    private static Collection<String> keys(Caller caller) {
        if (!caller.organizationIds().isEmpty()) return caller.organizationIds();
        return List.of("account:" + (caller.userId() != null ? caller.userId() : caller.name()));
    }
}
