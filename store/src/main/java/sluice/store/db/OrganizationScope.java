package sluice.store.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntConsumer;

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
 * in several statements whose rows {@link #read} merges in the same order, one statement at a time:
 * it holds at most two pages' rows, and once it holds a whole page the statements still to run ask
 * only for rows up to that page's last one. Such a page asks for at most {@link #MERGED_LIMIT} rows.
 */
public final class OrganizationScope {
    /** The most organizations asked in one statement, one part each. */
    public static final int MERGED = 20;

    /**
     * SQLite's BINARY collation, the order of TEXT keys in its indexes and ORDER BY: the bytes of their
     * UTF-8, which is the order of their code points (not of Java's UTF-16 units, which differs above
     * U+FFFF). A PostgreSQL store ({@link Dialect#POSTGRESQL}) orders TEXT by the column's collation
     * instead, so it must declare the key columns these orders compare (trace_recipients' network_id,
     * organization_id and recipient_key, quarantine's id) {@code COLLATE "C"}, or order them
     * {@code COLLATE "C"} in the statements and the keyset conditions: otherwise the merge of several
     * statements, and the bound on the later ones, disagree with the database's order and rows are
     * lost or repeated between pages.
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

    /** Further {@code AND ...} terms of a statement's WHERE clause, with their arguments. */
    public record Condition(String sql, List<Object> args) {
        /** No further term. */
        public static final Condition NONE = new Condition("", List.of());
    }

    /** Reads one row of a result. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * The most rows a page over more than {@link #MERGED} organizations asks for, whatever larger limit
     * the search allows: each of its statements has SQLite sort up to {@link #MERGED} times this many
     * rows, and the Java side holds up to twice it. A shorter page still says where the next one starts.
     */
    public static final int MERGED_LIMIT = 1_000;

    /** {@code limit}, or {@link #MERGED_LIMIT} when smaller and {@code organizations} take several statements. */
    public static int limit(int limit, List<String> organizations) {
        return organizations != null && organizations.stream().distinct().count() > MERGED ? Math.min(limit, MERGED_LIMIT) : limit;
    }

    /**
     * The statements for {@code rows} rows in the order {@code orderBy}: {@code select} is
     * {@code SELECT <plain columns or aliased expressions> FROM <table> WHERE 1 = 1}, {@code conditions}
     * the further {@code AND ...} terms with their arguments {@code conditionArgs}. A null scope means
     * every organization (one statement walking the time index); an empty one is for the caller to
     * answer, as no statement can. {@code orderBy} may name result columns only. Each statement
     * returns at most {@code rows} rows in the order; {@link #read} merges them.
     */
    public static Plan page(String select, List<String> organizations, String conditions, List<Object> conditionArgs,
                            String orderBy, int rows) {
        if (organizations == null) return new Plan(select, Collections.singletonList(null), conditions, conditionArgs, orderBy, rows);
        List<String> scope = organizations.stream().distinct().toList();
        if (scope.isEmpty()) throw new IllegalArgumentException("an empty scope has no statement");
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < scope.size(); from += MERGED) chunks.add(scope.subList(from, Math.min(scope.size(), from + MERGED)));
        return new Plan(select, chunks, conditions, conditionArgs, orderBy, rows);
    }

    /** A page's statements, one per chunk of organizations (a null chunk: every organization). */
    public record Plan(String select, List<List<String>> chunks, String conditions, List<Object> conditionArgs, String orderBy, int rows) {
        /** The statements as {@link #read} runs them before it holds a whole page. */
        public List<Statement> statements() {
            return chunks.stream().map(chunk -> statement(chunk, Condition.NONE)).toList();
        }

        /** The statement for {@code chunk}, with {@code bound} as a further condition. */
        Statement statement(List<String> chunk, Condition bound) {
            String where = conditions + bound.sql();
            List<Object> whereArgs = new ArrayList<>(conditionArgs);
            whereArgs.addAll(bound.args());
            String tail = " ORDER BY " + orderBy + " LIMIT ?";
            if (chunk == null) {
                whereArgs.add(rows);
                return new Statement(select + where + tail, whereArgs);
            }
            return chunk(select, chunk, where, whereArgs, tail, rows);
        }
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
     * The first {@code plan.rows()} rows of {@code plan} in {@code order}, which must be the statements'
     * own ORDER BY, total (a key), so that merging them gives the order one statement would have.
     * {@code atOrBefore} is the condition for the rows at or before a given row in that order, the
     * negation of the search's own position condition: once a whole page is held, each statement
     * still to run is bounded by it at the page's last row, as nothing after that row can be in the
     * page. Each statement's rows are merged into the page and the page trimmed before the next one
     * runs, so at most twice {@code plan.rows()} rows are held, however large the scope.
     */
    public static <T> List<T> read(Connection c, Plan plan, RowReader<T> reader, Comparator<? super T> order,
                                   Function<? super T, Condition> atOrBefore) throws SQLException {
        return read(c, plan, reader, order, atOrBefore, held -> {
        });
    }

    /** As above, telling {@code held} how many rows are held after each statement, before the trim. */
    static <T> List<T> read(Connection c, Plan plan, RowReader<T> reader, Comparator<? super T> order,
                            Function<? super T, Condition> atOrBefore, IntConsumer held) throws SQLException {
        List<T> page = new ArrayList<>();
        for (List<String> chunk : plan.chunks()) {
            Condition bound = page.size() < plan.rows() ? Condition.NONE : atOrBefore.apply(page.getLast());
            Statement statement = plan.statement(chunk, bound);
            try (PreparedStatement s = c.prepareStatement(statement.sql())) {
                for (int i = 0; i < statement.args().size(); i++) s.setObject(i + 1, statement.args().get(i));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) page.add(reader.read(rs));
                }
            }
            held.accept(page.size());
            page.sort(order); // two ordered runs: a merge
            if (page.size() > plan.rows()) page = new ArrayList<>(page.subList(0, plan.rows()));
        }
        return page;
    }
}
