package sluice.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.account.AuditEntry;
import sluice.core.account.AuditLog;
import sluice.core.mail.NetworkMessageId;
import sluice.core.trace.TraceEvent;
import sluice.store.EmbeddedStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The hourly retention purge: each store's cut-off is the clock's now minus its own retention. */
class RetentionPurgeTest {
    static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void traceAndAuditLogArePurgedEachAtItsOwnRetention() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            NetworkMessageId stale = trace(store, NOW.minus(Duration.ofDays(91)));
            NetworkMessageId kept = trace(store, NOW.minus(Duration.ofDays(89)));
            store.trace().flush();
            audit(store, NOW.minus(Duration.ofDays(366)), "stale");
            audit(store, NOW.minus(Duration.ofDays(91)), "kept");
            audit(store, NOW.minus(Duration.ofDays(1)), "newest");

            new RetentionPurge(store.trace(), store.auditLog(),
                    new NodeConfig.Retention(Duration.ofDays(90), Duration.ofDays(365)), InstantSource.fixed(NOW)).run();

            assertThat(store.trace().events(stale.toString())).isEmpty();
            assertThat(store.trace().events(kept.toString())).hasSize(1);
            assertThat(store.auditLog().search(new AuditLog.Query(null, null, null, 10)))
                    .extracting(AuditEntry::action).containsExactly("newest", "kept");
        }
    }

    private static NetworkMessageId trace(EmbeddedStore store, Instant at) {
        NetworkMessageId id = NetworkMessageId.random();
        store.trace().record(new TraceEvent(at, TraceEvent.Type.RECEIVE, id, null, null, "org-1", "a@contoso.com",
                "b@fabrikam.com", null, 1, null, null, null, null));
        return id;
    }

    private static void audit(EmbeddedStore store, Instant at, String action) {
        store.auditLog().record(new AuditEntry(0, at, "ann", "org-1", action, "id-1", "{}"));
    }
}
