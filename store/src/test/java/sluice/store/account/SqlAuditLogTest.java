package sluice.store.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.account.AuditEntry;
import sluice.core.account.AuditLog;
import sluice.store.EmbeddedStore;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqlAuditLogTest {

    @TempDir
    Path dir;

    private static final Instant T = Instant.parse("2025-06-01T12:00:00Z");

    private static AuditEntry entry(Instant at, String org, String action) {
        return new AuditEntry(0, at, "ann", org, action, "id-1", "{\"name\":\"x\"}");
    }

    @Test
    void entriesGetIncreasingNumbersAndComeBackNewestFirstEvenWithinOneMillisecond() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            AuditEntry first = store.auditLog().record(entry(T, "a", "domain.create"));
            AuditEntry second = store.auditLog().record(entry(T, "a", "domain.update"));
            assertThat(second.seq()).isGreaterThan(first.seq());
            assertThat(store.auditLog().search(new AuditLog.Query(null, null, null, 10))).containsExactly(second, first);
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            assertThat(store.auditLog().record(entry(T, null, "user.create")).seq()).isEqualTo(3);
        }
    }

    @Test
    void searchFiltersByOrganizationsTimeAndLimit() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            AuditLog log = store.auditLog();
            log.record(entry(T, "a", "a.early"));
            log.record(entry(T.plusSeconds(60), "b", "b.later"));
            log.record(entry(T.plusSeconds(120), null, "global"));
            log.record(entry(T.plusSeconds(180), "a", "a.latest"));

            assertThat(actions(log, new AuditLog.Query(List.of("a"), null, null, 10))).containsExactly("a.latest", "a.early");
            assertThat(actions(log, new AuditLog.Query(List.of(), null, null, 10))).isEmpty();
            assertThat(actions(log, new AuditLog.Query(null, T.plusSeconds(60), T.plusSeconds(180), 10))).containsExactly("global", "b.later");
            assertThat(actions(log, new AuditLog.Query(null, null, null, 1))).containsExactly("a.latest");
        }
    }

    private static List<String> actions(AuditLog log, AuditLog.Query q) {
        return log.search(q).stream().map(AuditEntry::action).toList();
    }

    @Test
    void entriesOlderThanTheCutOffArePurgedInBatchesAndNewerOnesKept() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            SqlAuditLog log = store.auditLog();
            for (int i = 0; i < 7; i++) log.record(entry(T.plusSeconds(i), "a", "old." + i));
            log.record(entry(T.plusSeconds(3600), "a", "recent"));
            long tasksBefore = store.writer().taskCount();

            assertThat(log.purgeBefore(T.plusSeconds(3600), 3)).isEqualTo(7);

            assertThat(store.writer().taskCount() - tasksBefore).as("batches of 3, 3 and 1").isEqualTo(3);
            assertThat(actions(log, new AuditLog.Query(null, null, null, 100))).containsExactly("recent");
            assertThat(log.purgeBefore(T.plusSeconds(3600))).isZero();
        }
    }

    @Test
    void theNewestEntryIsKeptSoNumbersNeverStartAgain() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            SqlAuditLog log = store.auditLog();
            log.record(entry(T, "a", "first"));
            AuditEntry last = log.record(entry(T.plusSeconds(1), "a", "last"));

            assertThat(log.purgeBefore(T.plusSeconds(3600))).isEqualTo(1);

            assertThat(actions(log, new AuditLog.Query(null, null, null, 100))).containsExactly("last");
            assertThat(log.record(entry(T.plusSeconds(7200), "a", "next")).seq()).isEqualTo(last.seq() + 1);
        }
    }
}
