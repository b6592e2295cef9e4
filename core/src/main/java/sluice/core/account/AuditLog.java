package sluice.core.account;

import java.time.Instant;
import java.util.List;

/** The append-only record of configuration changes. */
public interface AuditLog {

    /** Appends durably and returns the entry with its sequence number. */
    AuditEntry record(AuditEntry entry);

    /** Newest first. */
    List<AuditEntry> search(Query query);

    /**
     * @param organizationIds only entries of these organizations; null for every entry, global ones included
     * @param from            inclusive, or null
     * @param to              exclusive, or null
     */
    record Query(List<String> organizationIds, Instant from, Instant to, int limit) {
        public Query {
            organizationIds = organizationIds == null ? null : List.copyOf(organizationIds);
            if (limit < 1) throw new IllegalArgumentException("limit must be positive");
        }
    }
}
