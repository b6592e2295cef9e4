package sluice.store.quarantine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.Address;
import sluice.core.quarantine.Quarantine;
import sluice.core.quarantine.QuarantineEntry;
import sluice.core.quarantine.QuarantineStore;
import sluice.core.quarantine.QuarantinedMessage;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.OrganizationScope;
import sluice.store.db.ReadPool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Optional;

/**
 * Held messages on SQL. Writes go through the group-commit writer (synced on return); reads use the
 * read pool. Sender and recipient match as the message trace's do: case-insensitive, exact through an
 * index, or a {@code *} pattern.
 */
public final class SqlQuarantine implements QuarantineStore {

    private static final Logger LOG = LoggerFactory.getLogger(SqlQuarantine.class);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final GroupCommitWriter writer;
    private final ReadPool readers;

    public SqlQuarantine(GroupCommitWriter writer, ReadPool readers) {
        this.writer = writer;
        this.readers = readers;
    }

    @Override
    public void save(QuarantinedMessage message) {
        writer.write(c -> {
            QuarantineRows.insert(c, message);
            return null;
        });
    }

    /**
     * One page, in the order (received_at, id) descending: id is the primary key, so the order is total
     * and a page starts strictly after the previous page's last row. One row more than the limit is
     * read to know whether another page follows. The next position is the last row read, even when
     * that row is damaged and skipped, so a damaged row neither ends the walk early nor repeats. A scope
     * of more than {@link OrganizationScope#MERGED} organizations gets at most
     * {@link OrganizationScope#MERGED_LIMIT} entries a page, whatever the limit asked.
     */
    @Override
    public Quarantine.Page page(Quarantine.Query q) {
        if (q.organizationIds() != null && q.organizationIds().isEmpty()) return new Quarantine.Page(List.of(), null);
        Select select = select(q);
        return readers.read(c -> {
            List<Quarantine.Position> read = new ArrayList<>();
            List<QuarantineEntry> entries = entries(c, select.plan(), select.limit(), read);
            return new Quarantine.Page(entries, read.size() > select.limit() ? read.get(select.limit() - 1) : null);
        });
    }

    /** A page's statements: together they ask for {@code limit + 1} rows. */
    record Select(OrganizationScope.Plan plan, int limit) {
        List<OrganizationScope.Statement> statements() {
            return plan.statements();
        }
    }

    /** The statements' ORDER BY, for merging the rows of several: (received_at, id) descending, id in SQLite's byte order. */
    private static final Comparator<Quarantine.Position> ORDER = Comparator.comparing(Quarantine.Position::received)
            .thenComparing(Quarantine.Position::id, OrganizationScope.BINARY).reversed();

    static Select select(Quarantine.Query q) {
        StringBuilder where = new StringBuilder();
        List<Object> args = new ArrayList<>();
        if (q.sender() != null) match(where, args, "sender_key", q.sender());
        if (q.recipient() != null) {
            where.append(" AND id IN (SELECT quarantine_id FROM quarantine_recipients WHERE 1 = 1");
            match(where, args, "address_key", q.recipient());
            where.append(")");
        }
        if (q.reason() != null) { where.append(" AND reason = ?"); args.add(q.reason().name()); }
        if (q.from() != null) { where.append(" AND received_at >= ?"); args.add(q.from().toEpochMilli()); }
        if (q.to() != null) { where.append(" AND received_at < ?"); args.add(q.to().toEpochMilli()); }
        if (q.after() != null) {
            OrganizationScope.Condition after = keyset(q.after(), "<=", "<");
            where.append(after.sql());
            args.addAll(after.args());
        }
        int limit = OrganizationScope.limit(q.limit() <= 0 ? DEFAULT_LIMIT : Math.min(q.limit(), MAX_LIMIT), q.organizationIds());
        OrganizationScope.Plan plan = OrganizationScope.page(SELECT, q.organizationIds(), where.toString(), args, ORDER_BY, limit + 1);
        return new Select(plan, limit);
    }

    private static final String SELECT = "SELECT " + QuarantineRows.COLUMNS + " FROM quarantine WHERE 1 = 1";
    private static final String ORDER_BY = "received_at DESC, id DESC";

    /**
     * One row value, both columns descending, the leading term letting an index seek to the position:
     * strictly after {@code p} in the page order is {@code keyset(p, "<=", "<")}; its negation, at or
     * before {@code p}, {@code keyset(p, ">=", ">=")} bounds the later statements of a page over many
     * organizations at the page's last row.
     */
    private static OrganizationScope.Condition keyset(Quarantine.Position p, String time, String key) {
        long at = p.received().toEpochMilli();
        return new OrganizationScope.Condition(" AND received_at " + time + " ? AND (received_at, id) " + key + " (?, ?)",
                List.of(at, at, p.id()));
    }

    private static void match(StringBuilder where, List<Object> args, String column, String value) {
        String key = QuarantineRows.key(value);
        if (key.contains("*")) {
            where.append(" AND ").append(column).append(" LIKE ? ESCAPE '\\'");
            args.add(key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").replace("*", "%"));
        } else {
            where.append(" AND ").append(column).append(" = ?");
            args.add(key);
        }
    }

    @Override
    public Optional<QuarantineEntry> entry(String id) {
        return readers.read(c -> entries(c, OrganizationScope.page(SELECT, null, " AND id = ?", List.of(id), ORDER_BY, 2),
                1, new ArrayList<>()))
                .stream().findFirst();
    }

    /**
     * The first {@code max} rows of {@code plan}, merged in the page order, as entries (damaged
     * ones skipped); the position of every row read goes to {@code read}.
     */
    private static List<QuarantineEntry> entries(Connection c, OrganizationScope.Plan plan, int max,
                                                 List<Quarantine.Position> read) throws SQLException {
        List<Row> all = OrganizationScope.read(c, plan, rs -> new Row(
                new Quarantine.Position(Instant.ofEpochMilli(rs.getLong("received_at")), rs.getString("id")), QuarantineRows.row(rs)),
                Comparator.comparing(Row::position, ORDER), row -> keyset(row.position(), ">=", ">="));
        Map<String, Function<List<QuarantineRows.Recipient>, QuarantineEntry>> rows = new LinkedHashMap<>();
        for (Row row : all) {
            read.add(row.position());
            if (rows.size() < max) rows.put(row.position().id(), row.entry());
        }
        if (rows.isEmpty()) return List.of();
        Map<String, List<QuarantineRows.Recipient>> recipients;
        try {
            recipients = QuarantineRows.recipients(c, List.copyOf(rows.keySet()));
        } catch (IllegalArgumentException e) {
            LOG.warn("quarantine: an unreadable recipient row; reading entries one by one", e);
            return rows.size() == 1 ? List.of() : oneByOne(c, rows);
        }
        List<QuarantineEntry> out = new ArrayList<>();
        rows.forEach((id, row) -> {
            try {
                out.add(row.apply(recipients.getOrDefault(id, List.of())));
            } catch (IllegalArgumentException | NullPointerException e) {
                // a damaged row is skipped and logged, never thrown at the admin
                LOG.warn("quarantine entry {} is unreadable and skipped: {}", id, e.toString());
            }
        });
        return out;
    }

    private record Row(Quarantine.Position position, Function<List<QuarantineRows.Recipient>, QuarantineEntry> entry) {
    }

    private static List<QuarantineEntry> oneByOne(Connection c, Map<String, Function<List<QuarantineRows.Recipient>, QuarantineEntry>> rows)
            throws SQLException {
        List<QuarantineEntry> out = new ArrayList<>();
        for (var row : rows.entrySet()) {
            try {
                out.add(row.getValue().apply(QuarantineRows.recipients(c, List.of(row.getKey())).getOrDefault(row.getKey(), List.of())));
            } catch (IllegalArgumentException | NullPointerException e) {
                LOG.warn("quarantine entry {} is unreadable and skipped: {}", row.getKey(), e.toString());
            }
        }
        return out;
    }

    @Override
    public Optional<byte[]> content(String id) {
        return readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT content, content_crc, size FROM quarantine WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    byte[] content = rs.getBytes(1);
                    if (content == null || QuarantineRows.crc(content) != rs.getLong(2) || content.length != rs.getLong(3)) {
                        LOG.error("quarantine entry {}: content is damaged (checksum or size mismatch)", id);
                        return Optional.empty();
                    }
                    return Optional.of(content);
                }
            }
        });
    }

    /**
     * One write transaction: the recipients are marked by a conditional update each ({@code released = 0}
     * unless {@code again}), so two releases of one recipient, by two nodes sharing a PostgreSQL store
     * too, mark it once (PostgreSQL re-checks the condition on the row a concurrent update committed).
     */
    @Override
    public Optional<List<Address>> recordRelease(String id, List<Address> recipients, boolean again, String releasedBy,
                                                 Instant at) {
        return writer.write(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM quarantine WHERE id = ?")) {
                s.setString(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                }
            }
            List<Address> marked = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("UPDATE quarantine_recipients SET released = 1 "
                    + "WHERE quarantine_id = ? AND address_key = ?" + (again ? "" : " AND released = 0"))) {
                for (Address a : recipients) {
                    s.setString(1, id);
                    s.setString(2, a.key());
                    if (s.executeUpdate() > 0) marked.add(a);
                }
            }
            if (!marked.isEmpty()) {
                try (PreparedStatement s = c.prepareStatement("UPDATE quarantine SET released_by = ?, released_at = ? WHERE id = ?")) {
                    s.setString(1, releasedBy);
                    s.setLong(2, at.toEpochMilli());
                    s.setString(3, id);
                    s.executeUpdate();
                }
            }
            return Optional.of(List.copyOf(marked));
        });
    }

    @Override
    public boolean delete(String id) {
        return writer.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM quarantine WHERE id = ?")) {
                s.setString(1, id);
                return s.executeUpdate() > 0;
            }
        });
    }

    @Override
    public int deleteExpired(Instant now) {
        return writer.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM quarantine WHERE expires_at <= ?")) {
                s.setLong(1, now.toEpochMilli());
                return s.executeUpdate();
            }
        });
    }
}
