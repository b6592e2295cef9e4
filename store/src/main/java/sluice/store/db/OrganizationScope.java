package sluice.store.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The statements for one page of a search, newest first, over a table with an index on
 * {@code (received_at)} and one on {@code (organization_id, received_at)}: the trace and the quarantine.
 *
 * <p>One organization seeks its index on (organization_id, received_at) and stops at the limit. For
 * several, a single {@code organization_id IN (...)} makes SQLite pick that same index, read every
 * scoped row in the time range from each organization's part of it and sort them all before the
 * limit applies, on every page; walking the time index instead and filtering the organization reads
 * every other tenant's rows in the range too (a review measured 200 ms a page for 21 small tenants
 * beside one of 300,000 rows), and tells a scoped administrator how much mail the others have. So
 * each organization is asked a statement part of its own, limited on its own, and the parts merged
 * in the search order: a page reads at most limit + 1 rows per organization in scope, whatever else
 * the table holds. At most {@link #MERGED} parts go in one statement (SQLite allows 500 compound
 * parts, and one part per organization keeps each statement's plan small); a larger scope is asked
 * in several statements whose rows {@link #read} merges in the same order.
 */
public final class OrganizationScope {
    /** The most organizations asked in one statement, one part each. */
    public static final int MERGED = 20;

    /**
     * SQLite's BINARY collation, the order of TEXT keys in its indexes and ORDER BY: the bytes of their
     * UTF-8, which is the order of their code points (not of Java's UTF-16 units, which differs above
     * U+FFFF).
     */
    public static final Comparator<String> BINARY = (a, b) -> {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i), y = b.codePointAt(j);
            if (x != y) return Integer.compare(x, y);
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    private OrganizationScope() {
    }

    /** One statement with its arguments. */
    public record Statement(String sql, List<Object> args) {
    }

    /** Reads one row of a result. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * The statements for {@code rows} rows in the order {@code orderBy}: {@code select} is
     * {@code SELECT <plain columns or aliased expressions> FROM <table> WHERE 1 = 1}, {@code conditions}
     * the further {@code AND ...} terms with their arguments {@code conditionArgs}. A null scope means
     * every organization (one statement walking the time index); an empty one is for the caller to
     * answer, as no statement can. {@code orderBy} may name result columns only. Each statement
     * returns at most {@code rows} rows in the order; {@link #read} merges them.
     */
    public static List<Statement> page(String select, List<String> organizations, String conditions, List<Object> conditionArgs,
                                       String orderBy, int rows) {
        String tail = " ORDER BY " + orderBy + " LIMIT ?";
        if (organizations == null) {
            List<Object> args = new ArrayList<>(conditionArgs);
            args.add(rows);
            return List.of(new Statement(select + conditions + tail, args));
        }
        List<String> scope = organizations.stream().distinct().toList();
        if (scope.isEmpty()) throw new IllegalArgumentException("an empty scope has no statement");
        List<Statement> statements = new ArrayList<>();
        for (int from = 0; from < scope.size(); from += MERGED)
            statements.add(chunk(select, scope.subList(from, Math.min(scope.size(), from + MERGED)), conditions, conditionArgs, tail, rows));
        return statements;
    }

    private static Statement chunk(String select, List<String> scope, String conditions, List<Object> conditionArgs,
                                   String tail, int rows) {
        List<Object> args = new ArrayList<>();
        if (scope.size() == 1) {
            args.add(scope.getFirst());
            args.addAll(conditionArgs);
            args.add(rows);
            return new Statement(select + " AND organization_id = ?" + conditions + tail, args);
        }
        List<String> parts = new ArrayList<>();
        for (String organization : scope) {
            parts.add("SELECT * FROM (" + select + " AND organization_id = ?" + conditions + tail + ") AS o" + parts.size());
            args.add(organization);
            args.addAll(conditionArgs);
            args.add(rows);
        }
        args.add(rows);
        return new Statement(String.join(" UNION ALL ", parts) + tail, args);
    }

    /**
     * The first {@code rows} rows of {@code statements} in {@code order}, which must be the statements'
     * own ORDER BY, total (a key), so that the merge is the order one statement would have given.
     */
    public static <T> List<T> read(Connection c, List<Statement> statements, RowReader<T> reader, Comparator<? super T> order,
                                   int rows) throws SQLException {
        List<T> out = new ArrayList<>();
        for (Statement statement : statements) {
            try (PreparedStatement s = c.prepareStatement(statement.sql())) {
                for (int i = 0; i < statement.args().size(); i++) s.setObject(i + 1, statement.args().get(i));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) out.add(reader.read(rs));
                }
            }
        }
        if (statements.size() == 1) return out;
        out.sort(order);
        return out.size() > rows ? new ArrayList<>(out.subList(0, rows)) : out;
    }
}
