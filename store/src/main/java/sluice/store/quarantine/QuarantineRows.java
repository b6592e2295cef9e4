package sluice.store.quarantine;

import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueuedMessage;
import sluice.core.quarantine.DsnRequest;
import sluice.core.quarantine.QuarantineEntry;
import sluice.core.quarantine.QuarantineReason;
import sluice.core.quarantine.QuarantinedMessage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;

/** Maps quarantine entries to rows and back. */
final class QuarantineRows {

    static final String COLUMNS = "id, organization_id, network_id, received_at, expires_at, sender, reason, details, "
            + "subject, message_id, size, origin, internal, client_address, helo_name, released_by, released_at, "
            + "dsn_ret, dsn_envid, transport_rule_connector, smtp_utf8";

    private QuarantineRows() {
    }

    static void insert(Connection c, QuarantinedMessage m) throws SQLException {
        QuarantineEntry e = m.entry();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO quarantine (" + COLUMNS
                + ", sender_key, content_crc, content) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            s.setString(1, e.id());
            s.setString(2, e.organizationId());
            s.setString(3, e.networkId().toString());
            s.setLong(4, e.receivedAt().toEpochMilli());
            s.setLong(5, e.expiresAt().toEpochMilli());
            s.setString(6, e.sender());
            s.setString(7, e.reason().name());
            s.setString(8, e.details());
            s.setString(9, e.subject());
            s.setString(10, e.messageId());
            s.setLong(11, e.size());
            s.setString(12, e.origin().name());
            s.setInt(13, e.internal() ? 1 : 0);
            s.setString(14, e.clientAddress());
            s.setString(15, e.heloName());
            s.setString(16, e.releasedBy());
            s.setObject(17, e.releasedAt() == null ? null : e.releasedAt().toEpochMilli());
            s.setString(18, e.dsn().ret());
            s.setString(19, e.dsn().envId());
            s.setString(20, e.transportRuleConnector());
            s.setInt(21, e.smtpUtf8() ? 1 : 0);
            s.setString(22, key(e.sender()));
            s.setLong(23, crc(m.content()));
            s.setBytes(24, m.content());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO quarantine_recipients (quarantine_id, idx, address, address_key, released, notify, orcpt) "
                        + "VALUES (?,?,?,?,?,?,?)")) {
            for (int i = 0; i < e.recipients().size(); i++) {
                Address a = e.recipients().get(i);
                DsnRequest.Recipient asked = e.dsn().recipients().get(i);
                s.setString(1, e.id());
                s.setInt(2, i);
                s.setString(3, a.toString());
                s.setString(4, a.key());
                s.setInt(5, e.releasedTo().contains(a) ? 1 : 0);
                s.setString(6, String.join(",", new TreeSet<>(asked.notifyOn())));
                s.setString(7, asked.orcpt());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** A recipient row: address, whether it has been released, and what the sender asked of DSNs for it. */
    record Recipient(Address address, boolean released, DsnRequest.Recipient dsn) {
    }

    /** The recipients of the given entries, in order, keyed by entry id. Unparsable addresses fail the read. */
    static Map<String, List<Recipient>> recipients(Connection c, List<String> ids) throws SQLException {
        Map<String, List<Recipient>> out = new LinkedHashMap<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + 500));
            try (PreparedStatement s = c.prepareStatement("SELECT quarantine_id, address, released, notify, orcpt FROM quarantine_recipients "
                    + "WHERE quarantine_id IN (" + "?,".repeat(batch.size() - 1) + "?) ORDER BY quarantine_id, idx")) {
                for (int i = 0; i < batch.size(); i++) s.setString(i + 1, batch.get(i));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next())
                        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(new Recipient(Address.parse(rs.getString(2)), rs.getInt(3) != 0,
                                        new DsnRequest.Recipient(notify(rs.getString(4)), rs.getString(5))));
                }
            }
        }
        return out;
    }

    /**
     * The current row's values, to become an entry once its recipients are known. Parsing happens
     * when the function is applied: a damaged row throws IllegalArgumentException (or NPE) there.
     */
    static Function<List<Recipient>, QuarantineEntry> row(ResultSet rs) throws SQLException {
        String id = rs.getString("id"), organizationId = rs.getString("organization_id"), networkId = rs.getString("network_id");
        long receivedAt = rs.getLong("received_at"), expiresAt = rs.getLong("expires_at"), size = rs.getLong("size");
        String sender = rs.getString("sender"), reason = rs.getString("reason"), details = rs.getString("details");
        String subject = rs.getString("subject"), messageId = rs.getString("message_id"), origin = rs.getString("origin");
        boolean internal = rs.getInt("internal") != 0;
        String clientAddress = rs.getString("client_address"), heloName = rs.getString("helo_name");
        String releasedBy = rs.getString("released_by");
        long releasedAtMillis = rs.getLong("released_at");
        Instant releasedAt = rs.wasNull() ? null : Instant.ofEpochMilli(releasedAtMillis);
        String dsnRet = rs.getString("dsn_ret"), dsnEnvId = rs.getString("dsn_envid");
        String transportRuleConnector = rs.getString("transport_rule_connector");
        boolean smtpUtf8 = rs.getInt("smtp_utf8") != 0;
        return recipients -> new QuarantineEntry(id, organizationId, NetworkMessageId.parse(networkId),
                Instant.ofEpochMilli(receivedAt), Instant.ofEpochMilli(expiresAt), sender,
                recipients.stream().map(Recipient::address).toList(), QuarantineReason.valueOf(reason), details, subject,
                messageId, size, QueuedMessage.Origin.valueOf(origin), internal, clientAddress, heloName, transportRuleConnector,
                new DsnRequest(dsnRet, dsnEnvId, recipients.stream().map(Recipient::dsn).toList()),
                recipients.stream().filter(Recipient::released).map(Recipient::address).toList(), releasedBy, releasedAt,
                smtpUtf8);
    }

    /** NOTIFY keywords as the spool stores them: comma-separated, "" for the default. */
    private static Set<String> notify(String raw) {
        if (raw == null || raw.isBlank()) return Set.of();
        return Arrays.stream(raw.split(",")).map(String::strip).filter(w -> !w.isEmpty()).collect(Collectors.toSet());
    }

    static String key(String s) {
        return s.strip().toLowerCase(Locale.ROOT);
    }

    static long crc(byte[] content) {
        CRC32C crc = new CRC32C();
        crc.update(content);
        return crc.getValue();
    }
}
