package sluice.store;

import sluice.store.db.OrganizationScope;
import sluice.store.db.ReadPool;
import sluice.store.db.Sqlite;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** For the tests of paged searches: walking every page, and how SQLite plans a page's statement. */
public final class Paging {

    private Paging() {
    }

    /** {@code first} and every page after it, asking {@code after} for the page after each {@code next} until it is null. */
    public static <P, N> List<P> walk(P first, Function<P, N> next, Function<N, P> after) {
        List<P> pages = new ArrayList<>(List.of(first));
        for (N position = next.apply(first); position != null; position = next.apply(pages.getLast())) {
            pages.add(after.apply(position));
            assertThat(pages).as("the walk ends").hasSizeLessThan(100);
        }
        return pages;
    }

    /** The lines of SQLite's EXPLAIN QUERY PLAN for {@code sql} with {@code args}, on the store in {@code dir}. */
    public static List<String> plan(Path dir, String sql, List<Object> args) {
        try (ReadPool readers = new ReadPool(List.of(Sqlite.openReader(dir.resolve("sluice.db"))))) {
            return readers.read(c -> {
                try (PreparedStatement s = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                    for (int i = 0; i < args.size(); i++) s.setObject(i + 1, args.get(i));
                    List<String> lines = new ArrayList<>();
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) lines.add(rs.getString("detail"));
                    }
                    return lines;
                }
            });
        }
    }

    /** The plans of a page's statements, one list of lines each. */
    public static List<List<String>> plans(Path dir, List<OrganizationScope.Statement> statements) {
        return statements.stream().map(s -> plan(dir, s.sql(), s.args())).toList();
    }

    /**
     * A scope of {@code size} organizations, {@code first} first and {@code last} last, made-up ones
     * between: with more than {@link OrganizationScope#MERGED}, the two are asked in different statements.
     */
    public static List<String> organizations(String first, String last, int size) {
        List<String> scope = new ArrayList<>(List.of(first));
        for (int i = 0; i < size - 2; i++) scope.add("org-x" + i);
        scope.add(last);
        return scope;
    }

    /** Scopes of two organizations as above, around the chunk boundaries of {@link OrganizationScope#MERGED}. */
    public static List<List<String>> largeScopes(String first, String last) {
        int m = OrganizationScope.MERGED;
        return List.of(organizations(first, last, m), organizations(first, last, m + 1),
                organizations(first, last, 2 * m), organizations(first, last, 2 * m + 1));
    }

    /**
     * The plans of a page's statements for a scope of {@code organizations}: as many statements as
     * chunks of {@link OrganizationScope#MERGED}, each seeking every one of its organizations'
     * part of the organization index ({@code seek}), never the time index {@code timeIndex} nor a scan
     * of {@code table}: what a page reads is the caller's own rows, however many the others have.
     */
    public static void assertSeeksEachOrganizationInChunks(List<List<String>> plans, String table, String seek,
                                                           String timeIndex, int organizations) {
        assertThat(plans).hasSize((organizations + OrganizationScope.MERGED - 1) / OrganizationScope.MERGED);
        for (int i = 0; i < plans.size(); i++) {
            int chunk = Math.min(OrganizationScope.MERGED, organizations - i * OrganizationScope.MERGED);
            assertThat(plans.get(i)).as("statement " + i).filteredOn(line -> line.startsWith(seek)).hasSize(chunk);
            assertThat(plans.get(i)).as("statement " + i).noneMatch(line -> line.startsWith("SCAN " + table))
                    .noneMatch(line -> line.contains(timeIndex));
        }
    }

    /**
     * A page's plan for a scope of {@code organizations}: {@code seek} (the organization index's seek to
     * the position) once per organization, each in a part of its own that stops at the limit, and
     * no scan of {@code table}.
     */
    public static void assertSeeksEachOrganization(List<String> plan, String table, String seek, int organizations) {
        assertThat(plan).filteredOn(line -> line.startsWith(seek)).hasSize(organizations);
        assertThat(plan).noneMatch(line -> line.startsWith("SCAN " + table))
                .filteredOn(line -> line.startsWith("CO-ROUTINE")).as("one limited part per organization").hasSize(organizations);
    }

    /** A page's plan that is {@code seek} on the time index, never a scan of {@code table} or a sort of all it read. */
    public static void assertSeeksTheTimeIndex(List<String> plan, String table, String seek) {
        assertThat(plan).anyMatch(line -> line.startsWith(seek))
                .noneMatch(line -> line.startsWith("SCAN " + table))
                .noneMatch(line -> line.equals("USE TEMP B-TREE FOR ORDER BY"));
    }
}
