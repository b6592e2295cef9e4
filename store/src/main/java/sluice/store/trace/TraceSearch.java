package sluice.store.trace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.trace.Trace.Flow;
import sluice.core.trace.Trace.HourlyCount;
import sluice.core.trace.Trace.MessageSummary;
import sluice.core.trace.Trace.Page;
import sluice.core.trace.Trace.Position;
import sluice.core.trace.Trace.Query;
import sluice.core.trace.Trace.Status;
import sluice.core.trace.TraceEvent;
import sluice.store.db.OrganizationScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trace queries. Sender and recipient match as EOP's message trace does: case-insensitive and
 * exact (an indexed look-up), or a pattern when the text contains {@code *} ({@code *@contoso.com},
 * {@code *invoice*}), which scans the time range. Message-ID matches with or without angle brackets.
 */
final class TraceSearch {
    private static final Logger log = LoggerFactory.getLogger(TraceSearch.class);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private TraceSearch() {
    }

    /**
     * One page: the rows after {@code q.after()} in the order (received_at DESC, network_id,
     * organization_id, recipient_key), the primary key making it total. One row more than the limit
     * is read to know whether another page follows; the next position is the last row's own key, so
     * the organization scope, applied to every page, decides alone what a page may show. A scope of
     * more than {@link OrganizationScope#MERGED} organizations gets at most
     * {@link OrganizationScope#MERGED_LIMIT} rows a page, whatever the limit asked.
     */
    static Page page(Connection c, Query q) throws SQLException {
        Select select = select(q);
        if (select == null) return new Page(List.of(), null);
        List<Row> rows = OrganizationScope.read(c, select.plan(), rs -> new Row(
                new MessageSummary(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getString(4), rs.getString(5), rs.getString(6), Status.valueOf(rs.getString(7)),
                        rs.getString(8), rs.getLong(9)),
                new Position(Instant.ofEpochMilli(rs.getLong(3)), rs.getString(1), rs.getString(10), rs.getString(11))),
                ORDER, row -> keyset(row.position(), ">=", ">"));
        if (rows.size() <= select.limit()) return new Page(rows.stream().map(Row::summary).toList(), null);
        List<Row> shown = rows.subList(0, select.limit());
        return new Page(shown.stream().map(Row::summary).toList(), shown.getLast().position());
    }

    private record Row(MessageSummary summary, Position position) {
    }

    /** The statements' ORDER BY, for merging the rows of several: received_at DESC, then the key in SQLite's byte order. */
    static final Comparator<Position> POSITION_ORDER = Comparator.comparing(Position::received).reversed()
            .thenComparing(Position::networkMessageId, OrganizationScope.BINARY)
            .thenComparing(Position::organizationId, OrganizationScope.BINARY)
            .thenComparing(Position::recipientKey, OrganizationScope.BINARY);
    private static final Comparator<Row> ORDER = Comparator.comparing(Row::position, POSITION_ORDER);

    /** A page's statements: together they ask for {@code limit + 1} rows. */
    record Select(OrganizationScope.Plan plan, int limit) {
        List<OrganizationScope.Statement> statements() {
            return plan.statements();
        }
    }

    /** The statement for a page of {@code q}, or null when the scope is empty (nothing to search). */
    static Select select(Query q) {
        // no organization ('' in the summary) is in no organization's scope, even asked for by that id
        List<String> organizations = q.organizationIds() == null ? null
                : q.organizationIds().stream().filter(id -> !TraceRows.NO_ORGANIZATION.equals(id)).toList();
        if (organizations != null && organizations.isEmpty()) return null;
        StringBuilder sql = new StringBuilder();
        List<Object> args = new ArrayList<>();
        address(sql, args, "sender_key", q.sender());
        address(sql, args, "recipient_key", q.recipient());
        if (q.from() != null) { sql.append(" AND received_at >= ?"); args.add(q.from().toEpochMilli()); }
        if (q.to() != null) { sql.append(" AND received_at < ?"); args.add(q.to().toEpochMilli()); }
        if (q.status() != null) { sql.append(" AND status = ?"); args.add(q.status().name()); }
        if (q.messageId() != null) {
            String bare = q.messageId().strip().replaceAll("^<|>$", "");
            sql.append(" AND message_id IN (?, ?)");
            args.add(bare);
            args.add("<" + bare + ">");
        }
        if (q.after() != null) {
            OrganizationScope.Condition after = keyset(q.after(), "<=", "<=");
            sql.append(after.sql());
            args.addAll(after.args());
        }
        int limit = OrganizationScope.limit(q.limit() <= 0 ? DEFAULT_LIMIT : Math.min(q.limit(), MAX_LIMIT), organizations);
        OrganizationScope.Plan plan = OrganizationScope.page("SELECT network_id, message_id, received_at, sender, recipient, subject, "
                        + "status, NULLIF(organization_id, '" + TraceRows.NO_ORGANIZATION + "') AS summary_organization, size, "
                        + "organization_id, recipient_key FROM trace_recipients WHERE 1 = 1", organizations, sql.toString(), args,
                "received_at DESC, network_id, organization_id, recipient_key", limit + 1);
        return new Select(plan, limit);
    }

    /**
     * Strictly after {@code p} in the search order ({@code keyset(p, "<=", "<=")}): received earlier, or
     * at the same time with a greater (network_id, organization_id, recipient_key). The time runs the
     * other way from the rest of the key, so it is no single row value. Written as {@code received_at
     * <= t AND NOT (received_at = t AND key <= k)} rather than the equivalent {@code received_at < t OR
     * (...)}: SQLite answers such an OR with two index look-ups whose union it must then sort whole
     * (every row before the position, for a page of a hundred), whereas this form is one descending
     * seek of the time index that stops at the limit, on PostgreSQL too. Its negation, at or before
     * {@code p} ({@code keyset(p, ">=", ">")}: received later, or at the same time with a key not
     * greater), bounds the later statements of a page over many organizations at the page's last row.
     */
    private static OrganizationScope.Condition keyset(Position p, String time, String key) {
        long at = p.received().toEpochMilli();
        return new OrganizationScope.Condition(" AND received_at " + time + " ? AND NOT (received_at = ? AND "
                + "(network_id, organization_id, recipient_key) " + key + " (?, ?, ?))",
                List.of(at, at, p.networkMessageId(), p.organizationId(), p.recipientKey()));
    }

    private static void address(StringBuilder sql, List<Object> args, String column, String value) {
        if (value == null) return;
        String key = TraceRows.key(value.strip());
        if (key.contains("*")) {
            String like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("*", "%");
            sql.append(" AND ").append(column).append(" LIKE ? ESCAPE '\\'");
            args.add(like);
        } else {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(key);
        }
    }

    private static final long HOUR_MILLIS = 3_600_000L;

    /**
     * Events per (hour, type) in the range, FAIL split by whether it was a rejection in the dialogue.
     * Served by the index on (at, organization_id, type); only FAIL rows read the table for detail.
     */
    static List<HourlyCount> mailFlow(Connection c, List<String> organizationIds, Instant from, Instant to) throws SQLException {
        if (organizationIds != null && organizationIds.isEmpty()) return List.of();
        StringBuilder sql = new StringBuilder("SELECT (at / " + HOUR_MILLIS + ") * " + HOUR_MILLIS + ", type, "
                + "CASE WHEN type = 'FAIL' AND detail LIKE ? ESCAPE '\\' THEN 1 ELSE 0 END, COUNT(*) FROM trace_events "
                + "WHERE at >= ? AND at < ? AND type IN ('RECEIVE', 'SEND', 'DELIVER', 'DEFER', 'FAIL', 'QUARANTINE')");
        List<Object> args = new ArrayList<>(List.of(likePrefix(TraceEvent.REJECTED), from.toEpochMilli(), to.toEpochMilli()));
        if (organizationIds != null) {
            sql.append(" AND organization_id IN (").append("?,".repeat(organizationIds.size() - 1)).append("?)");
            args.addAll(organizationIds);
        }
        sql.append(" GROUP BY 1, 2, 3 ORDER BY 1");
        Map<Instant, Map<Flow, Long>> counts = new TreeMap<>();
        try (PreparedStatement s = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) s.setObject(i + 1, args.get(i));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    TraceEvent.Type type;
                    try {
                        type = TraceEvent.Type.valueOf(rs.getString(2));
                    } catch (IllegalArgumentException e) {
                        continue; // a type this version does not know
                    }
                    Flow flow = Flow.of(type, rs.getInt(3) == 1 ? TraceEvent.REJECTED : null);
                    if (flow != null)
                        counts.computeIfAbsent(Instant.ofEpochMilli(rs.getLong(1)), h -> new EnumMap<>(Flow.class))
                                .merge(flow, rs.getLong(4), Long::sum);
                }
            }
        }
        List<HourlyCount> out = new ArrayList<>();
        counts.forEach((hour, byFlow) -> byFlow.forEach((flow, n) -> out.add(new HourlyCount(hour, flow, n))));
        return out;
    }

    private static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    static List<TraceEvent> events(Connection c, String networkId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT at, type, network_id, queue_id, message_id, organization_id, "
                + "sender, recipient, subject, size, client_address, tls, remote_reply, detail FROM trace_events "
                + "WHERE network_id = ? ORDER BY at, seq")) {
            s.setString(1, networkId);
            try (ResultSet rs = s.executeQuery()) {
                List<TraceEvent> out = new ArrayList<>();
                while (rs.next()) {
                    try {
                        String queueId = rs.getString(4);
                        out.add(new TraceEvent(Instant.ofEpochMilli(rs.getLong(1)), TraceEvent.Type.valueOf(rs.getString(2)),
                                NetworkMessageId.parse(rs.getString(3)), queueId == null ? null : new QueueId(queueId),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                                rs.getLong(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14)));
                    } catch (IllegalArgumentException e) {
                        log.warn("skipping an unreadable trace event of {}: {}", networkId, e.getMessage());
                    }
                }
                return out;
            }
        }
    }
}
