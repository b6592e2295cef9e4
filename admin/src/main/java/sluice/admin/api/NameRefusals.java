package sluice.admin.api;

import sluice.admin.audit.Refusals;
import sluice.admin.auth.Caller;
import sluice.admin.auth.RefusalThrottle;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;

import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Usernames and organization names refused as taken, for anyone but a global administrator. The answer is
 * neutral (it says neither who holds the name nor where), yet 409 against 200 still tells that someone on the
 * node has it; so each refusal is audited ({@link Refusals}) and counted like {@link ReachRefusals}, in the same
 * {@link RefusalThrottle}. The count goes against every organization of the caller, not of the account or
 * organization being named: the prober must not choose where it is counted. The refusal is recorded under each
 * of those organizations too, since their other administrators are throttled by it and must find why in their
 * audit log. Once spent, any write that sets a name (or, through the shared budget, a connector change) is
 * refused with 429, a free name as well as a taken one, so the 429 answers nothing. A global
 * administrator, who sees every account and organization anyway, is neither counted nor limited.
 */
final class NameRefusals {

    private final RefusalThrottle throttle;
    private final Refusals refusals;

    NameRefusals(RefusalThrottle throttle, Refusals refusals) {
        this.throttle = throttle;
        this.refusals = refusals;
    }

    /** Before a write that sets a name: 429 while any of the caller's organizations has used its refusals. */
    void requireNotThrottled(Caller caller) {
        if (caller.isGlobalAdmin()) return;
        long wait = throttle.wait(caller);
        if (wait > 0) throw ReachRefusals.tooMany(wait);
    }

    /**
     * The answer to a non-global administrator's taken name: 409 with {@code detail}, the refusal counted and
     * recorded under each organization it is counted against, so that every administrator of one that is
     * throttled finds why in its audit log; or, when the budget is spent (requests racing past
     * {@link #requireNotThrottled}), 429 with nothing recorded.
     *
     * @param pattern  the route, which names the audit action ({@code user.update.refused})
     * @param targetId what was renamed; null for a create
     * @param reason   the category of the refusal, in the caller's words
     */
    ProblemException refuse(Request request, String pattern, String targetId, String reason, String detail) {
        Caller caller = request.caller();
        long wait = throttle.tryRefuse(caller);
        if (wait > 0) return ReachRefusals.tooMany(wait);
        // a caller of no organization (counted by its account) is recorded where only global administrators look
        Collection<String> organizations = caller.organizationIds().isEmpty() ? Collections.singleton(null) : caller.organizationIds();
        for (String organizationId : organizations) refusals.refused(request, pattern, organizationId, targetId, List.of(reason));
        return ProblemException.conflict(detail);
    }
}
