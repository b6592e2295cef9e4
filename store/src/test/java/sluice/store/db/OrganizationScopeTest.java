package sluice.store.db;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.NetworkMessageId;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;
import sluice.store.Paging;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page over a scope of many organizations, asked in several statements: what it holds in memory and
 * reads from the database stays near one page, however many organizations the scope has.
 */
class OrganizationScopeTest {
    static final Instant T0 = Instant.parse("2025-10-01T12:00:00Z");
    static final int ORGANIZATIONS = 100, PER_ORGANIZATION = 201, LIMIT = 200;
    static final String SELECT = "SELECT received_at FROM trace_recipients WHERE 1 = 1";

    @TempDir
    Path dir;
    EmbeddedStore store;
    final List<String> scope = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        store = EmbeddedStore.open(dir, InstantSource.system());
        // every organization has rows at every second, a millisecond apart from the others': each
        // statement's own first page would fill the whole page
        try (Connection c = Fixtures.rawConnection(dir); PreparedStatement s = c.prepareStatement("INSERT INTO trace_recipients "
                + "(network_id, organization_id, recipient_key, recipient, sender, sender_key, message_id, subject, size, "
                + "received_at, status, status_at, status_seq) VALUES (?, ?, 'x@big.example', 'x@big.example', 'a@b.example', "
                + "'a@b.example', '<m>', 's', 1, ?, 'DELIVERED', ?, 0)")) {
            c.setAutoCommit(false);
            for (int o = 0; o < ORGANIZATIONS; o++) {
                String org = String.format("org-%04d", o);
                scope.add(org);
                for (int i = 0; i < PER_ORGANIZATION; i++) {
                    s.setString(1, NetworkMessageId.random().toString());
                    s.setString(2, org);
                    s.setLong(3, T0.minusSeconds(i).toEpochMilli() - o);
                    s.setLong(4, T0.toEpochMilli());
                    s.addBatch();
                }
            }
            s.executeBatch();
            c.commit();
            c.createStatement().execute("ANALYZE");
        }
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static OrganizationScope.Condition atOrBefore(long receivedAt) {
        return new OrganizationScope.Condition(" AND received_at >= ?", List.of(receivedAt));
    }

    @Test
    void aPageOverManyStatementsHoldsAtMostTwoPagesAndReadsOnlyRowsThatCanBeInIt() throws Exception {
        OrganizationScope.Plan plan = OrganizationScope.page(SELECT, scope, "", List.of(), "received_at DESC", LIMIT + 1);
        assertThat(plan.chunks()).hasSize(ORGANIZATIONS / OrganizationScope.MERGED);
        AtomicInteger read = new AtomicInteger();
        List<Integer> held = new ArrayList<>();
        List<Long> page;
        try (Connection c = Fixtures.rawConnection(dir)) {
            page = OrganizationScope.read(c, plan, rs -> {
                read.incrementAndGet();
                return rs.getLong(1);
            }, Comparator.reverseOrder(), OrganizationScopeTest::atOrBefore, held::add);
        }
        List<Long> expected = new ArrayList<>();
        try (Connection c = Fixtures.rawConnection(dir);
             ResultSet rs = c.createStatement().executeQuery("SELECT received_at FROM trace_recipients ORDER BY received_at DESC LIMIT " + (LIMIT + 1))) {
            while (rs.next()) expected.add(rs.getLong(1));
        }
        assertThat(page).as("the page one statement gives").containsExactlyElementsOf(expected);
        assertThat(held).as("rows held after each statement").hasSize(plan.chunks().size()).allMatch(n -> n <= 2 * (LIMIT + 1));
        // unbounded, each statement would read a whole page, 5 x 201; bounded by the page's last row, the
        // second reads only its organizations' rows newer than that (10 seconds of 20), the third half as many...
        assertThat(read.get()).as("rows read").isLessThan(plan.chunks().size() * (LIMIT + 1) * 2 / 3);
    }

    @Test
    void aBoundedStatementStillSeeksEachOrganizationsPartOfTheIndex() {
        OrganizationScope.Plan plan = OrganizationScope.page(SELECT, scope, "", List.of(), "received_at DESC", LIMIT + 1);
        for (List<String> chunk : plan.chunks()) {
            OrganizationScope.Statement s = plan.statement(chunk, atOrBefore(T0.minusSeconds(3).toEpochMilli()));
            assertThat(Paging.plan(dir, s.sql(), s.args())).filteredOn(line -> line.startsWith("SEARCH trace_recipients USING ")
                    && line.contains("INDEX trace_recipients_org (organization_id=? AND received_at>?)"))
                    .hasSize(chunk.size());
        }
    }
}
