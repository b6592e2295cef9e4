package sluice.store.trace;

import sluice.core.trace.Trace.Status;
import sluice.core.trace.TraceEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * Writes a batch of trace events: the events themselves, and the per-(message, organization,
 * recipient) summary that searches read. The organization is part of the summary's key because the
 * copies of a message split per organization share its network message id and can name the same
 * recipient: each copy's summary is its organization's alone. The summary's status follows the
 * latest status-bearing event by (time, sequence), so events arriving out of order cannot set an
 * older status over a newer one.
 */
final class TraceRows {
    /** Time and sequence of events that do not change a status (FILTER, DSN): never win over a real one. */
    private static final long NO_STATUS = -1;

    private static final String INSERT_EVENT = "INSERT INTO trace_events (network_id, seq, at, type, queue_id, "
            + "message_id, organization_id, sender, recipient, subject, size, client_address, tls, remote_reply, detail) "
            + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";

    /** The summary's organization_id for an event of no organization: a key column cannot be null. */
    static final String NO_ORGANIZATION = "";

    // Portable upsert (SQLite 3.24+, PostgreSQL 9.5+); CASE rather than MIN()/LEAST(), which differ.
    private static final String UPSERT_SUMMARY = "INSERT INTO trace_recipients (network_id, recipient_key, recipient, "
            + "sender, sender_key, message_id, subject, organization_id, size, received_at, status, status_at, status_seq) "
            + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (network_id, organization_id, recipient_key) DO UPDATE SET "
            + "recipient = COALESCE(trace_recipients.recipient, excluded.recipient), "
            + "sender = COALESCE(trace_recipients.sender, excluded.sender), "
            + "sender_key = COALESCE(trace_recipients.sender_key, excluded.sender_key), "
            + "message_id = COALESCE(trace_recipients.message_id, excluded.message_id), "
            + "subject = COALESCE(trace_recipients.subject, excluded.subject), "
            + "size = CASE WHEN trace_recipients.size = 0 THEN excluded.size ELSE trace_recipients.size END, "
            + "received_at = CASE WHEN excluded.received_at < trace_recipients.received_at "
            + "  THEN excluded.received_at ELSE trace_recipients.received_at END, "
            + "status = CASE WHEN " + newer() + " THEN excluded.status ELSE trace_recipients.status END, "
            + "status_seq = CASE WHEN " + newer() + " THEN excluded.status_seq ELSE trace_recipients.status_seq END, "
            // Every SET expression sees the old row, so the three conditions agree.
            + "status_at = CASE WHEN " + newer() + " THEN excluded.status_at ELSE trace_recipients.status_at END";

    private TraceRows() {
    }

    private static String newer() {
        return "(excluded.status_seq <> " + NO_STATUS + " AND (excluded.status_at > trace_recipients.status_at "
                + "OR (excluded.status_at = trace_recipients.status_at AND excluded.status_seq > trace_recipients.status_seq)))";
    }

    /** The status an event leaves its recipient in, or null when it does not change the status. */
    static Status statusOf(TraceEvent.Type type) {
        return switch (type) {
            case RECEIVE -> Status.RECEIVED;
            case DEFER, RELEASE -> Status.PENDING;
            case SEND, DELIVER -> Status.DELIVERED;
            case FAIL -> Status.FAILED;
            case QUARANTINE -> Status.QUARANTINED;
            case EXPAND -> Status.EXPANDED;
            case FILTER, DSN -> null;
        };
    }

    static String key(String address) {
        return address == null ? "" : address.toLowerCase(Locale.ROOT);
    }

    static void insert(Connection c, List<TraceEvent> events, long firstSeq) throws SQLException {
        try (PreparedStatement ev = c.prepareStatement(INSERT_EVENT); PreparedStatement sum = c.prepareStatement(UPSERT_SUMMARY)) {
            long seq = firstSeq;
            for (TraceEvent e : events) {
                bindEvent(ev, e, seq);
                ev.addBatch();
                bindSummary(sum, e, seq);
                sum.executeUpdate(); // not batched: later rows of the batch must see earlier ones
                seq++;
            }
            ev.executeBatch();
        }
    }

    private static void bindEvent(PreparedStatement s, TraceEvent e, long seq) throws SQLException {
        s.setString(1, e.networkId().toString());
        s.setLong(2, seq);
        s.setLong(3, e.at().toEpochMilli());
        s.setString(4, e.type().name());
        s.setString(5, e.queueId() == null ? null : e.queueId().value());
        s.setString(6, e.messageId());
        s.setString(7, e.organizationId());
        s.setString(8, e.sender());
        s.setString(9, e.recipient());
        s.setString(10, e.subject());
        s.setLong(11, e.size());
        s.setString(12, e.clientAddress());
        s.setString(13, e.tls());
        s.setString(14, e.remoteReply());
        s.setString(15, e.detail());
    }

    private static void bindSummary(PreparedStatement s, TraceEvent e, long seq) throws SQLException {
        Status status = statusOf(e.type());
        s.setString(1, e.networkId().toString());
        s.setString(2, key(e.recipient()));
        s.setString(3, e.recipient());
        s.setString(4, e.sender());
        s.setString(5, e.sender() == null ? null : key(e.sender()));
        s.setString(6, e.messageId());
        s.setString(7, e.subject());
        s.setString(8, e.organizationId() == null ? NO_ORGANIZATION : e.organizationId());
        s.setLong(9, e.size());
        s.setLong(10, e.at().toEpochMilli());
        s.setString(11, (status == null ? Status.RECEIVED : status).name());
        s.setLong(12, status == null ? NO_STATUS : e.at().toEpochMilli());
        s.setLong(13, status == null ? NO_STATUS : seq);
    }
}
