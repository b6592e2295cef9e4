package sluice.admin.testing;

import sluice.core.account.AuditEntry;
import sluice.core.account.AuditLog;

import java.util.ArrayList;
import java.util.List;

/** {@link AuditLog} in memory; {@link #failing} makes appends throw, like a store that cannot write. */
public final class InMemoryAuditLog implements AuditLog {

    private final List<AuditEntry> entries = new ArrayList<>();
    public volatile boolean failing;

    @Override
    public synchronized AuditEntry record(AuditEntry entry) {
        if (failing) throw new IllegalStateException("audit store down");
        AuditEntry stored = entry.withSeq(entries.size() + 1);
        entries.add(stored);
        return stored;
    }

    @Override
    public synchronized List<AuditEntry> search(Query q) {
        return entries.reversed().stream()
                .filter(e -> q.organizationIds() == null || e.organizationId() != null && q.organizationIds().contains(e.organizationId()))
                .filter(e -> q.from() == null || !e.at().isBefore(q.from()))
                .filter(e -> q.to() == null || e.at().isBefore(q.to()))
                .limit(q.limit()).toList();
    }

    public synchronized List<AuditEntry> all() {
        return new ArrayList<>(entries);
    }
}
