package sluice.store;

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
}
