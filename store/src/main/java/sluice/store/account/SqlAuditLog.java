package sluice.store.account;

import sluice.core.account.AuditEntry;
import sluice.core.account.AuditLog;
import sluice.store.db.BatchedDelete;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link AuditLog} on SQL. The sequence number is taken inside the write transaction (max + 1): the
 * single writer serialises appends, so numbers are unique and follow commit order. Several nodes on
 * one PostgreSQL store could race for a number; the primary key then refuses one append, which fails
 * loudly rather than losing order silently.
 */
public final class SqlAuditLog implements AuditLog {

    // The newest entry stays whatever its age: numbers continue from MAX(seq), so an emptied log would
    // number new entries from 1 again and a reader that remembers the last number seen would miss them.
    private static final String PURGE = "DELETE FROM audit_log WHERE seq IN (SELECT seq FROM audit_log "
            + "WHERE at < ? AND seq < (SELECT MAX(seq) FROM audit_log) LIMIT ?)";

    private final GroupCommitWriter writer;
    private final ReadPool readers;

    public SqlAuditLog(GroupCommitWriter writer, ReadPool readers) {
        this.writer = writer;
        this.readers = readers;
    }

    @Override
    public AuditEntry record(AuditEntry entry) {
        return writer.write(c -> {
            long seq = nextSeq(c);
            try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_log (seq, at, actor, organization_id, action, "
                    + "target_id, details) VALUES (?,?,?,?,?,?,?)")) {
                s.setLong(1, seq);
                s.setLong(2, entry.at().toEpochMilli());
                s.setString(3, entry.actor());
                s.setString(4, entry.organizationId());
                s.setString(5, entry.action());
                s.setString(6, entry.targetId());
                s.setString(7, entry.details());
                s.executeUpdate();
            }
            return entry.withSeq(seq);
        });
    }

    /**
     * Removes the entries older than {@code cutoff} (except the newest entry) and returns how many,
     * in batches of {@link BatchedDelete#BATCH} rows, one write transaction each.
     */
    public long purgeBefore(Instant cutoff) {
        return purgeBefore(cutoff, BatchedDelete.BATCH);
    }

    long purgeBefore(Instant cutoff, int batch) {
        return BatchedDelete.run(writer, batch, PURGE, cutoff.toEpochMilli());
    }

    private static long nextSeq(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public List<AuditEntry> search(Query q) {
        StringBuilder sql = new StringBuilder("SELECT seq, at, actor, organization_id, action, target_id, details FROM audit_log WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (q.organizationIds() != null) {
            if (q.organizationIds().isEmpty()) return List.of();
            sql.append(" AND organization_id IN (").append("?,".repeat(q.organizationIds().size() - 1)).append("?)");
            args.addAll(q.organizationIds());
        }
        if (q.from() != null) {
            sql.append(" AND at >= ?");
            args.add(q.from().toEpochMilli());
        }
        if (q.to() != null) {
            sql.append(" AND at < ?");
            args.add(q.to().toEpochMilli());
        }
        sql.append(" ORDER BY seq DESC LIMIT ?");
        args.add((long) q.limit());
        return readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) s.setObject(i + 1, args.get(i));
                List<AuditEntry> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next())
                        out.add(new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
                return out;
            }
        });
    }
}
