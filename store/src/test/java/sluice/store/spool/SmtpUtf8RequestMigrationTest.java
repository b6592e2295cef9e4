package sluice.store.spool;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;
import sluice.store.db.Dialect;
import sluice.store.db.Sqlite;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V25 keeps whether the client asked for SMTPUTF8. A message queued (or held) by a V24 store was received without the
 * request being kept: it reads back as not requested and is delivered as it would have been then; a message queued
 * after the migration keeps the request.
 */
class SmtpUtf8RequestMigrationTest {

    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final String HELD = "0000000000000000000C";

    @TempDir
    Path dir;

    @Test
    void mailQueuedAndHeldBeforeV25ReadsAsNotRequestedAndNewMailKeepsTheRequest() throws Exception {
        Flyway.configure().dataSource(Sqlite.url(dir.resolve("sluice.db")), null, null).locations("classpath:sluice/store/migration")
                .placeholders(Dialect.SQLITE.placeholders()).target("24").load().migrate();
        QueueId old = Fixtures.nextId();
        byte[] content = "Subject: Gr\u00fc\u00dfe\r\n\r\nqueued at V24\r\n".getBytes(StandardCharsets.UTF_8);
        try (Connection c = Fixtures.rawConnection(dir)) {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO messages (id, network_id, received_at, sender, size, "
                    + "content_crc, content) VALUES (?,?,?,'ann@partner.example',?,?,?)")) {
                s.setString(1, old.value());
                s.setString(2, NetworkMessageId.random().toString());
                s.setLong(3, T0.toEpochMilli());
                s.setLong(4, content.length);
                s.setLong(5, SpoolRows.crc(content));
                s.setBytes(6, content);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO recipients (message_id, idx, address, notify, state, "
                    + "attempts, next_attempt_at, delay_notified) VALUES (?, 0, 'bob@fabrikam.example', '', 'QUEUED', 0, ?, 0)")) {
                s.setString(1, old.value());
                s.setLong(2, T0.toEpochMilli());
                s.executeUpdate();
            }
            Fixtures.heldBeforeV22(c, HELD, T0, "bob@contoso.example", content);
        }

        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.fixed(T0))) {
            QueuedMessage before = store.spool().message(old).orElseThrow();
            assertThat(before.smtpUtf8()).isFalse();
            assertThat(before.content()).isEqualTo(content);
            assertThat(store.spool().envelope(old).orElseThrow().message().smtpUtf8()).isFalse();
            assertThat(store.quarantine().entry(HELD).orElseThrow().smtpUtf8()).isFalse();

            QueueId fresh = Fixtures.nextId();
            store.spool().enqueue(Fixtures.message(fresh, 200).withSmtpUtf8(true), Fixtures.recipients(fresh, "bob@fabrikam.example"));
            assertThat(store.spool().message(fresh).orElseThrow().smtpUtf8()).isTrue();
        }
    }
}
