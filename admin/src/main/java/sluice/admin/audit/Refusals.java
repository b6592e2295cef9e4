package sluice.admin.audit;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sluice.admin.http.Request;
import sluice.core.account.AuditEntry;
import sluice.core.account.AuditLog;

import java.time.InstantSource;
import java.util.Collection;

/**
 * Records the changes refused for what they would reach, which {@link Auditing} does not see (it records
 * successes): an organization administrator's inbound connector naming ranges another organization holds,
 * say, or a username or organization name refused as taken without saying by whom. Repeated, such refusals
 * are someone mapping other tenants; the entry lets the organization's and the node's administrators see it. It says which rule refused ({@code reasons}, the categories the caller was
 * told), never what the other organization holds.
 */
public final class Refusals {

    private final AuditLog log;
    private final InstantSource clock;

    public Refusals(AuditLog log, InstantSource clock) {
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param pattern  the route refused, e.g. {@code /api/v1/connectors/inbound/{id}}: it names the action
     *                 ({@code connector.inbound.update.refused})
     * @param targetId the resource changed; null for a create
     * @param reasons  the categories of the refusal, in the caller's words
     */
    public void refused(Request request, String pattern, String organizationId, String targetId, Collection<String> reasons) {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        reasons.forEach(details.putArray("refused")::add);
        Auditing.append(log, new AuditEntry(0, clock.instant(), request.caller().name(), organizationId,
                ActionNames.of(request.method(), pattern) + ".refused", targetId, Changes.text(details)));
    }
}
