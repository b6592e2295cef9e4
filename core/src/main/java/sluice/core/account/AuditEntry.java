package sluice.core.account;

import java.time.Instant;
import java.util.Objects;

/**
 * One configuration change.
 *
 * @param seq            position in the log, assigned when stored (0 before); later changes have larger numbers
 * @param actor          the username, or {@code "bootstrap token"} for the configured token
 * @param organizationId the organization the change belongs to, or null for a global one (visible to
 *                       global administrators only)
 * @param action         {@code resource.verb}, e.g. {@code connector.outbound.update}
 * @param details        compact JSON of what changed, secrets already redacted; null when nothing to say
 */
public record AuditEntry(long seq, Instant at, String actor, String organizationId, String action, String targetId,
                         String details) {

    public AuditEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
    }

    public AuditEntry withSeq(long seq) {
        return new AuditEntry(seq, at, actor, organizationId, action, targetId, details);
    }
}
