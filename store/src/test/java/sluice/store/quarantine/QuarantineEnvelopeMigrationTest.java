package sluice.store.quarantine;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.quarantine.DsnRequest;
import sluice.core.quarantine.QuarantineEntry;
import sluice.core.quarantine.QuarantinePolicy;
import sluice.core.quarantine.QuarantineService;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;
import sluice.store.db.Dialect;
import sluice.store.db.Sqlite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V22 adds the DSN request and the rule connector to held messages: a message held by a V21 store was
 * held without them and reads back with none (the defaults), and its release queues a copy asking
 * for nothing, as before.
 */
class QuarantineEnvelopeMigrationTest {

    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final String ID = "0000000000000000000B";

    @TempDir
    Path dir;

    @Test
    void aMessageHeldBeforeV22ReadsWithNoParametersAndIsReleasedWithNone() throws Exception {
        Flyway.configure().dataSource(Sqlite.url(dir.resolve("sluice.db")), null, null).locations("classpath:sluice/store/migration")
                .placeholders(Dialect.SQLITE.placeholders()).target("21").load().migrate();
        byte[] content = "Subject: old\r\n\r\nheld at V21\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Connection c = Fixtures.rawConnection(dir)) {
            Fixtures.heldBeforeV22(c, ID, T0, "Bob@contoso.example", content);
        }

        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.fixed(T0))) {
            QuarantineEntry e = store.quarantine().entry(ID).orElseThrow();
            assertThat(e.dsn()).isEqualTo(DsnRequest.none(1));
            assertThat(e.transportRuleConnector()).isNull();
            assertThat(e.origin()).isEqualTo(QueuedMessage.Origin.PARTNER);

            var service = new QuarantineService(store.quarantine(), store.spool(), store.trace(), InstantSource.fixed(T0),
                    QuarantinePolicy.DEFAULT, (m, r) -> { });
            var released = service.release(ID, List.of(), "admin", false).orElseThrow();
            QueuedMessage copy = store.spool().message(released.queueId()).orElseThrow();
            assertThat(copy.dsnRet()).isNull();
            assertThat(copy.dsnEnvId()).isNull();
            assertThat(store.spool().recipients(copy.id())).extracting(QueuedRecipient::notifyOn, QueuedRecipient::orcpt)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(java.util.Set.of(), null));
        }
    }
}
