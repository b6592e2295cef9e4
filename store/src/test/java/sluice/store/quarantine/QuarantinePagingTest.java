package sluice.store.quarantine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.quarantine.DsnRequest;
import sluice.core.quarantine.Quarantine;
import sluice.core.quarantine.Quarantine.Page;
import sluice.core.quarantine.Quarantine.Position;
import sluice.core.quarantine.QuarantineEntry;
import sluice.core.quarantine.QuarantineReason;
import sluice.core.quarantine.QuarantinedMessage;
import sluice.store.EmbeddedStore;
import sluice.store.Paging;
import sluice.store.Fixtures;
import sluice.store.db.OrganizationScope;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Walking a quarantine search page by page: every entry once, in order, within the caller's scope. */
class QuarantinePagingTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dir;
    private EmbeddedStore store;
    private SqlQuarantine quarantine;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir, InstantSource.fixed(T0));
        quarantine = store.quarantine();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private QuarantineEntry hold(String org, Instant received) {
        byte[] content = "Subject: held\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        var entry = new QuarantineEntry(QueueId.next(received).value(), org, NetworkMessageId.random(), received,
                received.plus(Duration.ofDays(15)), "spam@bulk.example", List.of(Address.parse("bob@contoso.example")),
                QuarantineReason.SPAM, "score 9", "held", null, content.length, QueuedMessage.Origin.INTERNET, false, null, null,
                null, DsnRequest.none(1), List.of(), null, null, false);
        quarantine.save(new QuarantinedMessage(entry, content));
        return entry;
    }

    /** Ten entries held in the same millisecond, alternating between two organizations, and three at their own times. */
    private void mailbag() {
        for (int i = 0; i < 10; i++) hold(i % 2 == 0 ? "org-a" : "org-b", T0);
        hold("org-a", T0.plusSeconds(1));
        hold("org-b", T0.minusSeconds(1));
        hold(null, T0.minusSeconds(2));
    }

    private static Quarantine.Query all(List<String> scope, int limit) {
        return new Quarantine.Query(scope, null, null, null, null, null, limit);
    }

    private List<Page> walk(Quarantine.Query q) {
        return Paging.walk(quarantine.page(q), Page::next, next -> quarantine.page(q.startingAfter(next)));
    }

    private static List<String> ids(List<Page> pages) {
        return pages.stream().flatMap(p -> p.items().stream()).map(QuarantineEntry::id).toList();
    }

    @Test
    void pagesReturnEveryEntryOnceNewestFirstWithTiesByIdDescending() {
        mailbag();
        List<QuarantineEntry> everything = quarantine.search(all(null, 1000));
        assertThat(everything).hasSize(13).isSortedAccordingTo(
                Comparator.comparing(QuarantineEntry::receivedAt).thenComparing(QuarantineEntry::id).reversed());
        List<String> expected = everything.stream().map(QuarantineEntry::id).toList();

        for (int limit : List.of(1, 2, 3, 4, 6, 12, 13, 14)) {
            List<Page> pages = walk(all(null, limit));
            assertThat(ids(pages)).as("limit " + limit).doesNotHaveDuplicates().containsExactlyElementsOf(expected);
            assertThat(pages).as("limit " + limit).hasSize(Math.max(1, (13 + limit - 1) / limit));
            assertThat(pages.getLast().next()).isNull();
        }
        Page first = quarantine.page(all(null, 3));
        assertThat(first.next()).isEqualTo(Position.of(first.items().getLast()));
    }

    @Test
    void entriesHeldBetweenPagesDoNotShiftTheLaterPages() {
        mailbag();
        List<String> before = ids(List.of(quarantine.page(all(null, 1000))));
        Page first = quarantine.page(all(null, 4));
        hold("org-a", T0.plusSeconds(30));
        hold("org-b", T0.plusSeconds(2));

        List<String> rest = ids(walk(all(null, 4).startingAfter(first.next())));
        assertThat(rest).containsExactlyElementsOf(before.subList(4, before.size()));
    }

    @Test
    void aPositionFromAnotherOrganizationsEntryShowsOnlyTheCallersOwnEntries() {
        mailbag();
        Position ofA = quarantine.page(all(List.of("org-a"), 2)).next();
        assertThat(quarantine.entry(ofA.id()).orElseThrow().organizationId()).isEqualTo("org-a");

        List<Page> pages = walk(all(List.of("org-b"), 2).startingAfter(ofA));
        List<String> orgBAfter = quarantine.search(all(List.of("org-b"), 1000)).stream()
                .filter(e -> e.receivedAt().isBefore(ofA.received())
                        || e.receivedAt().equals(ofA.received()) && e.id().compareTo(ofA.id()) < 0)
                .map(QuarantineEntry::id).toList();
        assertThat(orgBAfter).isNotEmpty();
        assertThat(ids(pages)).containsExactlyElementsOf(orgBAfter);
        assertThat(pages).flatExtracting(Page::items).extracting(QuarantineEntry::organizationId).containsOnly("org-b");
    }

    @Test
    void aDamagedEntryAtTheEndOfAPageNeitherEndsTheWalkNorRepeats() throws Exception {
        mailbag();
        List<String> before = ids(List.of(quarantine.page(all(null, 1000))));
        String damaged = before.get(2);
        try (Connection c = Fixtures.rawConnection(dir); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE quarantine SET reason = 'NONSENSE' WHERE id = '" + damaged + "'");
        }
        List<Page> pages = walk(all(null, 3));
        assertThat(pages.getFirst().items()).hasSize(2);
        assertThat(ids(pages)).containsExactlyElementsOf(before.stream().filter(id -> !id.equals(damaged)).toList());
    }

    /** The next page seeks the time index to the position and stops at the limit; the table is never scanned whole. */
    @Test
    void theNextPageSeeksTheTimeIndex() {
        mailbag();
        Position p = quarantine.page(all(null, 2)).next();
        assertThat(plan(all(null, 2).startingAfter(p)))
                .anyMatch(line -> line.startsWith("SEARCH quarantine USING INDEX quarantine_received (received_at<?)"))
                .noneMatch(line -> line.startsWith("SCAN quarantine"))
                .noneMatch(line -> line.equals("USE TEMP B-TREE FOR ORDER BY"));
        assertThat(plan(all(List.of("org-a"), 2).startingAfter(p)))
                .anyMatch(line -> line.startsWith("SEARCH quarantine USING INDEX quarantine_org (organization_id=? AND received_at<?)"))
                .noneMatch(line -> line.equals("USE TEMP B-TREE FOR ORDER BY"));
    }

    /**
     * A scope of several organizations: each one's part seeks its (organization_id, received_at) index
     * and stops at the limit, the parts merged in order, rather than every scoped entry in the range
     * sorted before the limit applies, on every page. A wildcard sender is matched on the way.
     */
    @Test
    void aPageOfSeveralOrganizationsSeeksEachOnesPartOfTheIndex() {
        mailbag();
        Position p = quarantine.page(all(List.of("org-a", "org-b"), 2)).next();
        for (Quarantine.Query q : List.of(all(List.of("org-a", "org-b"), 2),
                new Quarantine.Query(List.of("org-a", "org-b"), "*@bulk.example", null, null, null, null, 2))) {
            Paging.assertSeeksEachOrganization(plan(q.startingAfter(p)), "quarantine",
                    "SEARCH quarantine USING INDEX quarantine_org (organization_id=? AND received_at<?)", 2);
        }
    }

    /**
     * Past {@link OrganizationScope#MERGED} organizations, a page is asked in chunks of that many, each
     * organization seeking its own part of the index: beside a tenant with thousands of entries, out
     * of scope, even the first page with no time range reads none of them.
     */
    @Test
    void aPageOfManyOrganizationsSeeksEachOnesPartOfTheIndexBesideALargeTenant() throws Exception {
        mailbag();
        try (Connection c = Fixtures.rawConnection(dir); Statement s = c.createStatement()) {
            s.execute("INSERT INTO quarantine (" + QuarantineRows.COLUMNS + ", sender_key, content_crc, content) "
                    + "SELECT 'big-' || printf('%06d', n), 'org-big', network_id, received_at - n, expires_at, sender, reason, details, "
                    + "subject, message_id, size, origin, internal, client_address, helo_name, released_by, released_at, dsn_ret, "
                    + "dsn_envid, transport_rule_connector, smtp_utf8, sender_key, content_crc, content FROM quarantine, "
                    + "(WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < 5000) SELECT n FROM k) "
                    + "WHERE id = (SELECT MIN(id) FROM quarantine)");
            s.execute("ANALYZE");
            try (var rs = s.executeQuery("SELECT COUNT(*) FROM quarantine WHERE organization_id = 'org-big'")) {
                assertThat(rs.getInt(1)).isEqualTo(5000);
            }
        }
        for (int size : List.of(OrganizationScope.MERGED + 1, 40, 41, 300)) {
            List<String> scope = Paging.organizations("org-b", "org-a", size);
            Position p = quarantine.page(all(scope, 2)).next();
            for (Quarantine.Query q : List.of(all(scope, 2), all(scope, 2).startingAfter(p))) {
                Paging.assertSeeksEachOrganizationInChunks(Paging.plans(dir, SqlQuarantine.select(q).statements()), "quarantine",
                        "SEARCH quarantine USING INDEX quarantine_org (organization_id=?", "quarantine_received", size);
            }
        }
    }

    @Test
    void scopesOfSeveralOrganizationsWalkTheirEntriesOnceInOrder() {
        mailbag();
        hold("org-c", T0);
        List<String> expected = quarantine.search(all(null, 1000)).stream()
                .filter(e -> "org-a".equals(e.organizationId()) || "org-b".equals(e.organizationId())).map(QuarantineEntry::id).toList();
        assertThat(expected).hasSize(12);
        List<List<String>> scopes = new ArrayList<>(List.of(List.of("org-a", "org-b"), List.of("org-b", "org-a", "org-b")));
        scopes.addAll(Paging.largeScopes("org-b", "org-a"));
        for (List<String> scope : scopes) {
            for (int limit : List.of(1, 2, 3, 5, 11, 12, 13)) {
                assertThat(ids(walk(all(scope, limit)))).as(scope + " limit " + limit).containsExactlyElementsOf(expected);
            }
        }
    }

    private List<String> plan(Quarantine.Query q) {
        List<List<String>> plans = Paging.plans(dir, SqlQuarantine.select(q).statements());
        assertThat(plans).hasSize(1);
        return plans.getFirst();
    }
}
