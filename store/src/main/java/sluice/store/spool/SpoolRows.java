package sluice.store.spool;

import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.queue.Spool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;

/** Maps queue records to rows and back; reading validates, so damage is found, not propagated. */
final class SpoolRows {
    static final String MESSAGE_COLUMNS = "id, network_id, received_at, sender, organization_id, dsn_ret, dsn_envid, "
            + "client_address, helo_name, size, content_crc, content, origin, internal, transport_rule_connector, smtp_utf8";
    /** The message columns but the content: what {@link #envelope} reads. */
    static final String ENVELOPE_COLUMNS = "id, network_id, received_at, sender, organization_id, dsn_ret, dsn_envid, "
            + "client_address, helo_name, size, origin, internal, transport_rule_connector, smtp_utf8";
    static final String RECIPIENT_COLUMNS = "message_id, idx, address, notify, orcpt, state, attempts, "
            + "next_attempt_at, last_reply, delay_notified";

    private SpoolRows() {
    }

    static void insert(Connection c, QueuedMessage m, List<QueuedRecipient> recipients) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO messages (" + MESSAGE_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            s.setString(1, m.id().value());
            s.setString(2, m.networkId().toString());
            s.setLong(3, m.receivedAt().toEpochMilli());
            s.setString(4, m.sender());
            s.setString(5, m.organizationId());
            s.setString(6, m.dsnRet());
            s.setString(7, m.dsnEnvId());
            s.setString(8, m.clientAddress());
            s.setString(9, m.heloName());
            s.setLong(10, m.content().length);
            s.setLong(11, crc(m.content()));
            s.setBytes(12, m.content());
            s.setString(13, m.origin().name());
            s.setInt(14, m.internal() ? 1 : 0);
            s.setString(15, m.transportRuleConnector());
            s.setInt(16, m.smtpUtf8() ? 1 : 0);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO recipients (" + RECIPIENT_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            for (QueuedRecipient r : recipients) {
                s.setString(1, r.messageId().value());
                s.setInt(2, r.index());
                s.setString(3, r.address().toString());
                s.setString(4, String.join(",", new TreeSet<>(r.notifyOn())));
                s.setString(5, r.orcpt());
                s.setString(6, r.state().name());
                s.setInt(7, r.attempts());
                s.setLong(8, r.nextAttemptAt().toEpochMilli());
                s.setString(9, r.lastReply());
                s.setInt(10, r.delayNotified() ? 1 : 0);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** Returns false when the recipient no longer exists (its message was deleted meanwhile). */
    static boolean update(Connection c, QueuedRecipient r) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE recipients SET state = ?, attempts = ?, "
                + "next_attempt_at = ?, last_reply = ?, delay_notified = ? WHERE message_id = ? AND idx = ?")) {
            s.setString(1, r.state().name());
            s.setInt(2, r.attempts());
            s.setLong(3, r.nextAttemptAt().toEpochMilli());
            s.setString(4, r.lastReply());
            s.setInt(5, r.delayNotified() ? 1 : 0);
            s.setString(6, r.messageId().value());
            s.setInt(7, r.index());
            return s.executeUpdate() == 1;
        }
    }

    /** Removes the message when none of its recipients is left to deliver. */
    static void deleteIfFinished(Connection c, QueueId id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM messages WHERE id = ? AND NOT EXISTS "
                + "(SELECT 1 FROM recipients WHERE message_id = ? AND state NOT IN ('DELIVERED', 'FAILED'))")) {
            s.setString(1, id.value());
            s.setString(2, id.value());
            s.executeUpdate();
        }
    }

    static QueuedMessage message(ResultSet rs) throws SQLException, UnreadableRow {
        byte[] content = rs.getBytes("content");
        if (content == null) throw new UnreadableRow("content is missing");
        if (crc(content) != rs.getLong("content_crc") || content.length != rs.getLong("size"))
            throw new UnreadableRow("content is damaged (checksum or size mismatch)");
        String sender = rs.getString("sender");
        if (sender == null) throw new UnreadableRow("sender is missing");
        return new QueuedMessage(queueId(rs.getString("id")), networkId(rs.getString("network_id")),
                Instant.ofEpochMilli(rs.getLong("received_at")), sender, rs.getString("organization_id"),
                rs.getString("dsn_ret"), rs.getString("dsn_envid"), rs.getString("client_address"),
                rs.getString("helo_name"), content, origin(rs.getString("origin")), rs.getInt("internal") != 0,
                rs.getString("transport_rule_connector"), rs.getInt("smtp_utf8") != 0);
    }

    /** A row of {@link #ENVELOPE_COLUMNS}: the message with empty content (its checksum is checked when it is read). */
    static Spool.Envelope envelope(ResultSet rs) throws SQLException, UnreadableRow {
        String sender = rs.getString("sender");
        if (sender == null) throw new UnreadableRow("sender is missing");
        QueuedMessage m = new QueuedMessage(queueId(rs.getString("id")), networkId(rs.getString("network_id")),
                Instant.ofEpochMilli(rs.getLong("received_at")), sender, rs.getString("organization_id"),
                rs.getString("dsn_ret"), rs.getString("dsn_envid"), rs.getString("client_address"),
                rs.getString("helo_name"), new byte[0], origin(rs.getString("origin")), rs.getInt("internal") != 0,
                rs.getString("transport_rule_connector"), rs.getInt("smtp_utf8") != 0);
        return new Spool.Envelope(m, rs.getLong("size"));
    }

    static QueuedRecipient recipient(ResultSet rs) throws SQLException, UnreadableRow {
        return new QueuedRecipient(queueId(rs.getString("message_id")), rs.getInt("idx"),
                address(rs.getString("address")), notify(rs.getString("notify")), rs.getString("orcpt"),
                state(rs.getString("state")), rs.getInt("attempts"),
                Instant.ofEpochMilli(rs.getLong("next_attempt_at")), rs.getString("last_reply"),
                rs.getInt("delay_notified") != 0);
    }

    static QueuedMessage.Origin origin(String raw) throws UnreadableRow {
        try {
            return QueuedMessage.Origin.valueOf(raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnreadableRow("bad origin: " + raw);
        }
    }

    static QueueId queueId(String raw) throws UnreadableRow {
        try {
            return new QueueId(raw);
        } catch (IllegalArgumentException e) {
            throw new UnreadableRow("bad queue id: " + raw);
        }
    }

    static NetworkMessageId networkId(String raw) throws UnreadableRow {
        try {
            return NetworkMessageId.parse(raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnreadableRow("bad network message id: " + raw);
        }
    }

    static Address address(String raw) throws UnreadableRow {
        try {
            return Address.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new UnreadableRow("unparsable recipient address: " + raw);
        }
    }

    static QueuedRecipient.State state(String raw) throws UnreadableRow {
        try {
            return QueuedRecipient.State.valueOf(raw);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnreadableRow("unknown recipient state: " + raw);
        }
    }

    private static Set<String> notify(String raw) {
        if (raw == null || raw.isEmpty()) return Set.of();
        return Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }

    static long crc(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        return crc.getValue();
    }
}
