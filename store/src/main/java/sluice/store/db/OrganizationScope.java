package sluice.store.db;

import java.util.ArrayList;
import java.util.List;

/**
 * The statement for one page of a search, newest first, over a table with an index on
 * {@code (received_at)} and one on {@code (organization_id, received_at)}: the trace and the quarantine.
 *
 * <p>One organization seeks its index on (organization_id, received_at) and stops at the limit. For
 * several, a single {@code organization_id IN (...)} makes SQLite pick that same index, read every
 * scoped row in the time range from each organization's part of it and sort them all before the
 * limit applies, on every page. So up to {@link #MERGED} organizations are asked one statement
 * part each, each part limited on its own, and the parts merged in the search order: a page reads
 * at most limit + 1 rows per organization. A larger scope walks the time index newest first with the
 * organization only filtered ({@code organization_id || ''} is no column an index can serve, in
 * SQLite nor PostgreSQL), which stops at the limit too, having skipped the rows of the
 * organizations out of scope.
 */
public final class OrganizationScope {
    /** The most organizations asked one statement part each. */
    public static final int MERGED = 20;

    private OrganizationScope() {
    }

    /**
     * The statement for {@code rows} rows in the order {@code orderBy}: {@code select} is
     * {@code SELECT <plain columns or aliased expressions> FROM <table> WHERE 1 = 1}, {@code conditions}
     * the further {@code AND ...} terms with their arguments {@code conditionArgs}. The statement's
     * arguments are added to {@code args}. A null scope means every organization; an empty one is for
     * the caller to answer, as no statement can. {@code orderBy} may name result columns only.
     */
    public static String page(String select, List<String> organizations, String conditions, List<Object> conditionArgs,
                              String orderBy, int rows, List<Object> args) {
        String tail = " ORDER BY " + orderBy + " LIMIT ?";
        if (organizations == null) {
            args.addAll(conditionArgs);
            args.add(rows);
            return select + conditions + tail;
        }
        List<String> scope = organizations.stream().distinct().toList();
        if (scope.isEmpty()) throw new IllegalArgumentException("an empty scope has no statement");
        if (scope.size() == 1 || scope.size() > MERGED) {
            args.addAll(scope);
            args.addAll(conditionArgs);
            args.add(rows);
            return select + " AND " + (scope.size() == 1 ? "organization_id" : "organization_id || ''") + " IN ("
                    + "?,".repeat(scope.size() - 1) + "?)" + conditions + tail;
        }
        List<String> parts = new ArrayList<>();
        for (String organization : scope) {
            parts.add("SELECT * FROM (" + select + " AND organization_id = ?" + conditions + tail + ") AS o" + parts.size());
            args.add(organization);
            args.addAll(conditionArgs);
            args.add(rows);
        }
        args.add(rows);
        return String.join(" UNION ALL ", parts) + tail;
    }
}
