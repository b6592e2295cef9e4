package sluice.store.spool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.QueueId;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.store.Fixtures.message;
import static sluice.store.Fixtures.nextId;
import static sluice.store.Fixtures.recipients;

/** Rows damaged on disk (or by a bug) are moved aside with their data, never dropped, never fatal. */
class UnreadableRowsTest {
    @TempDir
    Path dir;
    EmbeddedStore store;

    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    @Test
    void startUpMovesMessagesWithUnparsableRowsAsideAndResumesTheRest() throws Exception {
        QueueId good = nextId(), badAddress = nextId(), badState = nextId();
        store = EmbeddedStore.open(dir, InstantSource.system());
        for (QueueId id : new QueueId[]{good, badAddress, badState})
            store.spool().enqueue(message(id, 500), recipients(id, "a@example.com", "b@example.com"));
        store.close();
        try (Connection c = Fixtures.rawConnection(dir); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE recipients SET address = 'not an address' WHERE message_id = '" + badAddress + "' AND idx = 1");
            s.executeUpdate("UPDATE recipients SET state = 'EXPLODED' WHERE message_id = '" + badState + "'");
            s.executeUpdate("INSERT INTO messages (id, network_id, received_at, sender, size, content_crc, content) "
                    + "VALUES ('garbage-id', 'x', 1, 's', 1, 0, X'00')");
            s.executeUpdate("INSERT INTO recipients (message_id, idx, address, notify, state, attempts, next_attempt_at, delay_notified) "
                    + "VALUES ('garbage-id', 0, 'a@example.com', '', 'QUEUED', 0, 0, 0)");
        }

        store = EmbeddedStore.open(dir, InstantSource.system());
        assertThat(store.spool().pending()).containsExactly(good);
        assertThat(store.spool().message(good)).isPresent();
        assertThat(deadLetters()).containsExactlyInAnyOrder(
                badAddress + ": unparsable recipient address: not an address",
                badState + ": unknown recipient state: EXPLODED",
                "garbage-id: bad queue id: garbage-id");
        assertThat(store.spool().pending()).containsExactly(good);
    }

    @Test
    void aDamagedBodyIsMovedAsideWithItsBytesAndEnvelope() throws Exception {
        QueueId id = nextId();
        store = EmbeddedStore.open(dir, InstantSource.system());
        store.spool().enqueue(message(id, 500), recipients(id, "a@example.com"));
        try (Connection c = Fixtures.rawConnection(dir); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE messages SET content = X'DEADBEEF', size = 4 WHERE id = '" + id + "'");
        }
        assertThat(store.spool().message(id)).isEmpty();
        assertThat(store.spool().pending()).isEmpty();
        assertThat(deadLetters()).containsExactly(id + ": content is damaged (checksum or size mismatch)");
        try (Connection c = Fixtures.rawConnection(dir); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT envelope, content FROM dead_letters")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).contains("sender=sender@example.org").contains("address=a@example.com");
            assertThat(rs.getBytes(2)).containsExactly(0xDE, 0xAD, 0xBE, 0xEF);
        }
    }

    private java.util.List<String> deadLetters() throws Exception {
        java.util.List<String> out = new java.util.ArrayList<>();
        try (Connection c = Fixtures.rawConnection(dir); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT message_id, reason FROM dead_letters")) {
            while (rs.next()) out.add(rs.getString(1) + ": " + rs.getString(2));
        }
        return out;
    }
}
