package sluice.store.trace;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.NetworkMessageId;
import sluice.core.trace.Trace.MessageSummary;
import sluice.core.trace.Trace.Query;
import sluice.core.trace.Trace.Status;
import sluice.core.trace.TraceEvent;
import sluice.core.trace.TraceEvent.Type;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;
import sluice.store.db.Dialect;
import sluice.store.db.Sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V20 builds trace_recipients again with the organization in its key: a store last opened at V19
 * keeps every summary it had, field for field, and new events of those messages update them in place.
 */
class TraceRecipientsMigrationTest {
    static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    @TempDir
    Path dir;

    private final NetworkMessageId contoso = NetworkMessageId.random();
    private final NetworkMessageId nobody = NetworkMessageId.random();

    @Test
    void aV19StoreUpgradesWithEverySummaryAndUpdatesThemInPlace() throws SQLException {
        Path file = dir.resolve("sluice.db");
        Flyway.configure().dataSource(Sqlite.url(file), null, null).locations("classpath:sluice/store/migration")
                .placeholders(Dialect.SQLITE.placeholders()).target("19").load().migrate();
        try (Connection c = Fixtures.rawConnection(dir)) {
            summary(c, contoso, "bob@fabrikam.example", "Bob@Fabrikam.example", "org-1", Status.DELIVERED, 5);
            summary(c, contoso, "carol@fabrikam.example", "carol@fabrikam.example", "org-1", Status.PENDING, 6);
            summary(c, nobody, "postmaster@contoso.example", "postmaster@contoso.example", null, Status.FAILED, 7);
            summary(c, nobody, "", null, null, Status.RECEIVED, 8);
        }
        List<MessageSummary> before = List.of(
                expected(contoso, "Bob@Fabrikam.example", "org-1", Status.DELIVERED),
                expected(contoso, "carol@fabrikam.example", "org-1", Status.PENDING),
                expected(nobody, null, null, Status.RECEIVED),
                expected(nobody, "postmaster@contoso.example", null, Status.FAILED));

        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            SqlTrace trace = store.trace();
            assertThat(trace.search(everything())).containsExactlyInAnyOrderElementsOf(before);
            assertThat(trace.search(new Query(List.of("org-1"), null, null, null, null, null, null, 0)))
                    .extracting(MessageSummary::recipient).containsExactlyInAnyOrder("Bob@Fabrikam.example", "carol@fabrikam.example");

            // the rows are keyed as new ones are: later events of the same copy update them, adding none
            trace.record(new TraceEvent(T0.plusSeconds(60), Type.SEND, contoso, null, null, "org-1", "alice@contoso.example",
                    "carol@fabrikam.example", null, 100, null, null, "250 ok", null));
            trace.record(new TraceEvent(T0.plusSeconds(60), Type.DSN, nobody, null, null, null, "",
                    "postmaster@contoso.example", null, 100, null, null, null, null));
            trace.flush();
            assertThat(trace.search(everything())).hasSize(4)
                    .contains(expected(contoso, "carol@fabrikam.example", "org-1", Status.DELIVERED))
                    .contains(expected(nobody, "postmaster@contoso.example", null, Status.FAILED));
            // and another organization's copy to the same recipient is a summary of its own
            trace.record(new TraceEvent(T0.plusSeconds(60), Type.QUARANTINE, contoso, null, null, "org-2", "alice@contoso.example",
                    "bob@fabrikam.example", null, 100, null, null, null, null));
            trace.flush();
            assertThat(trace.search(new Query(null, null, "bob@fabrikam.example", null, null, null, null, 0)))
                    .extracting(MessageSummary::organizationId, MessageSummary::status)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("org-1", Status.DELIVERED),
                            org.assertj.core.groups.Tuple.tuple("org-2", Status.QUARANTINED));
        }
        try (Connection c = Fixtures.rawConnection(dir)) {
            assertThat(indexes(c)).containsExactlyInAnyOrder("trace_recipients_received", "trace_recipients_sender",
                    "trace_recipients_recipient", "trace_recipients_org", "trace_recipients_status", "trace_recipients_message_id");
        }
    }

    private static Query everything() {
        return new Query(null, null, null, null, null, null, null, 0);
    }

    /** A V19 summary row, as the writer of that version left it. */
    private static void summary(Connection c, NetworkMessageId id, String key, String recipient, String org, Status status,
                                int seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO trace_recipients (network_id, recipient_key, recipient, "
                + "sender, sender_key, message_id, subject, organization_id, size, received_at, status, status_at, status_seq) "
                + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            s.setString(1, id.toString());
            s.setString(2, key);
            s.setString(3, recipient);
            s.setString(4, "alice@contoso.example");
            s.setString(5, "alice@contoso.example");
            s.setString(6, "<" + id + "@contoso.example>");
            s.setString(7, "Minutes");
            s.setString(8, org);
            s.setLong(9, 100);
            s.setLong(10, T0.toEpochMilli());
            s.setString(11, status.name());
            s.setLong(12, T0.plusSeconds(seq).toEpochMilli());
            s.setLong(13, seq);
            s.executeUpdate();
        }
    }

    private static MessageSummary expected(NetworkMessageId id, String recipient, String org, Status status) {
        return new MessageSummary(id.toString(), "<" + id + "@contoso.example>", T0, "alice@contoso.example", recipient,
                "Minutes", status, org, 100);
    }

    private static List<String> indexes(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'trace_recipients' AND sql IS NOT NULL")) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
