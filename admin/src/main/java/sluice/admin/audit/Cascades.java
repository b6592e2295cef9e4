package sluice.admin.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import sluice.admin.http.Json;
import sluice.admin.http.Request;
import sluice.core.account.AuditEntry;
import sluice.core.account.AuditLog;

import java.time.InstantSource;

/**
 * Records the resources a change deleted beyond its own, which {@link Auditing} cannot see (it knows
 * only the route's resource): the DKIM keys that go with their accepted domain. Each reads as if the
 * caller had deleted it through its own route, with the reason added, so whoever looks for what became
 * of a key finds it.
 */
public final class Cascades {

    private final AuditLog log;
    private final InstantSource clock;

    public Cascades(AuditLog log, InstantSource clock) {
        this.log = log;
        this.clock = clock;
    }

    /**
     * @param pattern  the deleted resource's own route, e.g. {@code /api/v1/dkim/{id}}: it names the action
     * @param resource the resource as its GET route shows it (redacted here like any other entry)
     * @param reason   why it went, e.g. "deleted with the accepted domain contoso.example (id)"
     */
    public void deleted(Request request, String pattern, String organizationId, String targetId, Object resource, String reason) {
        ObjectNode details = (ObjectNode) Changes.redact(Json.tree(resource));
        details.put("reason", reason);
        Auditing.append(log, new AuditEntry(0, clock.instant(), request.caller().name(), organizationId,
                ActionNames.of("DELETE", pattern), targetId, Changes.text(details)));
    }
}
