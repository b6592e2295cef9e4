package sluice.admin.api;

import sluice.admin.audit.Refusals;
import sluice.admin.auth.Caller;
import sluice.admin.auth.RefusalThrottle;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Connector changes refused for what they would reach (another organization's ranges, this node's addresses):
 * each refusal tells an organization administrator something about others, so it is audited and counted
 * against the organization ({@link RefusalThrottle}, a budget shared with {@link NameRefusals}). A global
 * administrator is neither counted nor limited.
 */
final class ReachRefusals {

    private final RefusalThrottle throttle;
    private final Refusals refusals;

    ReachRefusals(RefusalThrottle throttle, Refusals refusals) {
        this.throttle = throttle;
        this.refusals = refusals;
    }

    /**
     * 429 once {@code organizationId} had too many changes refused lately, whichever of its administrators made
     * them (an account can be renamed, and an organization administrator can create more). Nothing for an
     * organization the caller may not change: that is refused anyway.
     */
    void requireNotThrottled(Caller caller, String organizationId) {
        if (caller.isGlobalAdmin() || !caller.canChange(organizationId)) return;
        long wait = throttle.wait(organizationId);
        if (wait > 0) throw tooMany(wait);
    }

    /**
     * Refuses the change with {@code errors} (400), recording {@code reasons} in the audit log; or, when the
     * organization has used its refusals, with 429 and nothing recorded, so that requests racing past
     * {@link #requireNotThrottled} learn nothing either. For a global administrator only the 400.
     *
     * @param pattern  the route, which names the audit action ({@code connector.inbound.create.refused})
     * @param targetId the connector changed; null for a create
     */
    void refuse(Request request, String pattern, String organizationId, String targetId, Collection<String> reasons,
                FieldErrors errors) {
        if (!request.caller().isGlobalAdmin()) {
            long wait = throttle.tryRefuse(organizationId);
            if (wait > 0) throw tooMany(wait);
            refusals.refused(request, pattern, organizationId, targetId, reasons);
        }
        errors.throwIfAny();
    }

    /** The 429 of a spent budget, shared with {@link NameRefusals}: which refusals spent it is not said. */
    static ProblemException tooMany(long wait) {
        return new ProblemException(429, "Too many refused changes; try again in " + wait + " seconds.", List.of(),
                Map.of("Retry-After", Long.toString(wait)));
    }
}
