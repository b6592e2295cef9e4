package sluice.store.spool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.store.db.GroupCommitWriter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.InstantSource;
import java.util.UUID;

/**
 * Moves a queued message that can no longer be read (damaged body, unparsable address or id) out
 * of the queue into {@code dead_letters}, with the raw text of every column and the raw body, in one
 * atomic step. Such a message can be neither delivered nor bounced, but it was accepted: an operator
 * must be able to see and recover it, so it is never dropped, and it must not stop the queue.
 */
final class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final GroupCommitWriter writer;
    private final InstantSource clock;

    DeadLetters(GroupCommitWriter writer, InstantSource clock) {
        this.writer = writer;
        this.clock = clock;
    }

    /** {@code rawId} is the id as stored, which may itself be the unreadable part. */
    void moveAside(String rawId, String reason) {
        boolean moved = writer.write(c -> move(c, rawId, reason));
        if (moved)
            log.error("queued message {} is unreadable ({}); moved to table dead_letters for inspection", rawId, reason);
    }

    private boolean move(Connection c, String rawId, String reason) throws SQLException {
        StringBuilder envelope = new StringBuilder();
        byte[] content = null;
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM messages WHERE id = ?")) {
            s.setString(1, rawId);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    content = rs.getBytes("content");
                    envelope.append("message: ").append(columns(rs, "content")).append('\n');
                }
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT * FROM recipients WHERE message_id = ? ORDER BY idx")) {
            s.setString(1, rawId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) envelope.append("recipient: ").append(columns(rs, null)).append('\n');
            }
        }
        if (envelope.isEmpty()) return false; // already moved or deleted by a concurrent caller
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO dead_letters (id, message_id, moved_at, reason, envelope, content) VALUES (?,?,?,?,?,?)")) {
            s.setString(1, UUID.randomUUID().toString());
            s.setString(2, rawId);
            s.setLong(3, clock.millis());
            s.setString(4, reason);
            s.setString(5, envelope.toString());
            s.setBytes(6, content);
            s.executeUpdate();
        }
        // Recipients explicitly too: rows whose message row is gone would otherwise stay behind.
        for (String sql : new String[]{"DELETE FROM recipients WHERE message_id = ?", "DELETE FROM messages WHERE id = ?"}) {
            try (PreparedStatement s = c.prepareStatement(sql)) {
                s.setString(1, rawId);
                s.executeUpdate();
            }
        }
        return true;
    }

    private static String columns(ResultSet rs, String skip) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String name = meta.getColumnName(i);
            if (name.equalsIgnoreCase(skip)) continue;
            if (!b.isEmpty()) b.append(", ");
            b.append(name).append('=').append(rs.getString(i));
        }
        return b.toString();
    }
}
