package sluice.store.trace;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.NetworkMessageId;
import sluice.core.trace.Trace.MessageSummary;
import sluice.core.trace.Trace.Page;
import sluice.core.trace.Trace.Position;
import sluice.core.trace.Trace.Query;
import sluice.core.trace.TraceEvent;
import sluice.core.trace.TraceEvent.Type;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;
import sluice.store.Paging;
import sluice.store.db.OrganizationScope;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administrator walks through every result of a trace search page by page, as EOP's
 * Get-MessageTrace -Page does, but by position (keyset) rather than by page number: no row twice, none
 * missed, even where many rows share a received time, and mail arriving meanwhile does not shift the
 * pages still to come.
 */
class TracePagingTest {
    static final Instant T0 = Instant.parse("2025-10-01T12:00:00Z");
    @TempDir
    Path dir;
    EmbeddedStore store;
    SqlTrace trace;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir, InstantSource.system());
        trace = store.trace();
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void receive(NetworkMessageId id, Instant at, String org, String recipient) {
        trace.record(new TraceEvent(at, Type.RECEIVE, id, null, "<" + id + "@mail.example>", org, "alice@contoso.com",
                recipient, "hello", 100, null, null, null, null));
    }

    /**
     * Six messages received in the same millisecond, each to three recipients (one of them in two
     * organizations' copies under one network message id, one of no organization), and three more at
     * their own times: 22 rows, 19 of them tied on received_at.
     */
    private void mailbag() {
        for (int m = 0; m < 6; m++) {
            NetworkMessageId id = NetworkMessageId.random();
            for (String r : List.of("Bob@fabrikam.com", "carol@fabrikam.com", "dave@fabrikam.com"))
                receive(id, T0, m == 0 ? null : "org-" + (m % 2 + 1), r);
            if (m == 1) receive(id, T0, "org-1", "bob@fabrikam.com"); // the other organization's copy, same recipient
        }
        for (int s = 1; s <= 2; s++) receive(NetworkMessageId.random(), T0.plusSeconds(s), "org-1", "erin@fabrikam.com");
        receive(NetworkMessageId.random(), T0.minusSeconds(5), "org-2", "frank@fabrikam.com");
        trace.flush();
    }

    private static Query all(List<String> scope, int limit) {
        return new Query(scope, null, null, null, null, null, null, limit);
    }

    /** Every page of {@code q}, following {@code next} until it is null. */
    private List<Page> walk(Query q) {
        return Paging.walk(trace.page(q), Page::next, next -> trace.page(q.startingAfter(next)));
    }

    private static List<MessageSummary> items(List<Page> pages) {
        return pages.stream().flatMap(p -> p.items().stream()).toList();
    }

    private static String row(MessageSummary s) {
        return s.networkMessageId() + "/" + s.organizationId() + "/" + s.recipient();
    }

    @Test
    void pagesReturnEveryRowOnceInTheSearchOrderAcrossTiedReceivedTimes() {
        mailbag();
        List<MessageSummary> everything = trace.search(all(null, 1000));
        assertThat(everything).hasSize(22);
        assertThat(everything).as("newest first, ties by network id, organization, recipient")
                .isSortedAccordingTo(Comparator.comparing(MessageSummary::received).reversed()
                        .thenComparing(MessageSummary::networkMessageId)
                        .thenComparing(s -> s.organizationId() == null ? "" : s.organizationId())
                        .thenComparing(s -> s.recipient().toLowerCase(Locale.ROOT)));

        for (int limit : List.of(1, 2, 3, 4, 5, 7, 11, 21, 22, 23)) {
            List<Page> pages = walk(all(null, limit));
            assertThat(items(pages)).as("limit " + limit).extracting(TracePagingTest::row)
                    .doesNotHaveDuplicates().containsExactlyElementsOf(everything.stream().map(TracePagingTest::row).toList());
            assertThat(pages).as("limit " + limit + ": full pages, then the rest")
                    .allSatisfy(p -> assertThat(p.items().size()).isLessThanOrEqualTo(limit));
            assertThat(pages).hasSize(Math.max(1, (22 + limit - 1) / limit));
            assertThat(pages.getLast().next()).isNull();
        }
    }

    @Test
    void aPageEndingExactlyAtTheLastRowSaysThereIsNoMore() {
        mailbag();
        Page only = trace.page(all(null, 22));
        assertThat(only.items()).hasSize(22);
        assertThat(only.next()).isNull();
        Page first = trace.page(all(null, 21));
        assertThat(first.next()).isNotNull();
        assertThat(trace.page(all(null, 21).startingAfter(first.next())).items()).hasSize(1);
    }

    @Test
    void theNextPositionIsTheLastRowsWholeSortKey() {
        mailbag();
        Page first = trace.page(all(null, 2));
        MessageSummary last = first.items().getLast();
        assertThat(first.next()).isEqualTo(new Position(last.received(), last.networkMessageId(),
                last.organizationId() == null ? "" : last.organizationId(), last.recipient().toLowerCase(Locale.ROOT)));
    }

    @Test
    void mailArrivingBetweenPagesDoesNotShiftTheLaterPages() {
        mailbag();
        List<String> before = trace.search(all(null, 1000)).stream().map(TracePagingTest::row).toList();
        Page first = trace.page(all(null, 5));

        // new mail: newer than everything, and a late event of a message already listed
        receive(NetworkMessageId.random(), T0.plusSeconds(60), "org-1", "new@fabrikam.com");
        receive(NetworkMessageId.random(), T0.plusSeconds(3), null, "newer@fabrikam.com");
        trace.flush();

        List<String> rest = new ArrayList<>();
        Position next = first.next();
        while (next != null) {
            Page page = trace.page(all(null, 5).startingAfter(next));
            page.items().forEach(s -> rest.add(row(s)));
            next = page.next();
        }
        assertThat(rest).containsExactlyElementsOf(before.subList(5, before.size()));
    }

    @Test
    void aPositionFromAnotherOrganizationsRowShowsOnlyTheCallersOwnRows() {
        mailbag();
        List<MessageSummary> orgOne = items(walk(all(List.of("org-1"), 3)));
        assertThat(orgOne).isNotEmpty().allSatisfy(s -> assertThat(s.organizationId()).isEqualTo("org-1"));
        Position ofOrgOne = trace.page(all(List.of("org-1"), 3)).next();
        assertThat(ofOrgOne.organizationId()).isEqualTo("org-1");

        List<MessageSummary> orgTwoAll = trace.search(all(List.of("org-2"), 1000));
        List<MessageSummary> orgTwoAfter = items(walk(all(List.of("org-2"), 2).startingAfter(ofOrgOne)));

        assertThat(orgTwoAfter).isNotEmpty().allSatisfy(s -> assertThat(s.organizationId()).isEqualTo("org-2"));
        assertThat(orgTwoAfter).as("org-2's rows after that place in the order, and nothing else")
                .containsExactlyElementsOf(orgTwoAll.stream().filter(s -> after(s, ofOrgOne)).toList());
        // a made-up position of no organization's row positions only, too
        Position forged = new Position(T0.plusSeconds(1), "ffffffff-ffff-ffff-ffff-ffffffffffff", "org-1", "zzz");
        assertThat(items(walk(all(List.of("org-2"), 2).startingAfter(forged)))).extracting(MessageSummary::organizationId)
                .containsOnly("org-2");
    }

    private static boolean after(MessageSummary s, Position p) {
        int time = s.received().compareTo(p.received());
        if (time != 0) return time < 0;
        int c = s.networkMessageId().compareTo(p.networkMessageId());
        if (c == 0) c = (s.organizationId() == null ? "" : s.organizationId()).compareTo(p.organizationId());
        if (c == 0) c = s.recipient().toLowerCase(Locale.ROOT).compareTo(p.recipientKey());
        return c > 0;
    }

    @Test
    void filtersStillApplyOnEveryPage() {
        mailbag();
        List<MessageSummary> bobs = items(walk(new Query(null, null, "bob@fabrikam.com", null, null, null, null, 2)));
        assertThat(bobs).hasSize(7).allSatisfy(s -> assertThat(s.recipient()).isEqualToIgnoringCase("bob@fabrikam.com"));
    }

    /**
     * The next page is an index seek on the time to the position, with a sort of the rows tied on it
     * only, never a scan of the table or a sort of everything before the limit applies.
     */
    @Test
    void theNextPageSeeksTheTimeIndex() {
        mailbag();
        Position p = trace.page(all(null, 2)).next();
        assertThat(plan(all(null, 2).startingAfter(p)))
                .anyMatch(line -> line.startsWith("SEARCH trace_recipients USING INDEX trace_recipients_received (received_at<?)"))
                .noneMatch(line -> line.startsWith("SCAN trace_recipients"))
                .noneMatch(line -> line.equals("USE TEMP B-TREE FOR ORDER BY"));
        assertThat(plan(all(List.of("org-1"), 2).startingAfter(p)))
                .anyMatch(line -> line.startsWith("SEARCH trace_recipients USING INDEX trace_recipients_org (organization_id=? AND received_at<?)"))
                .noneMatch(line -> line.equals("USE TEMP B-TREE FOR ORDER BY"));
    }

    /**
     * A scope of several organizations: each one's part seeks its (organization_id, received_at) index
     * and stops at the limit, the parts merged in order, rather than every scoped row in the range
     * sorted before the limit applies, on every page. A wildcard sender is matched on the way.
     */
    @Test
    void aPageOfSeveralOrganizationsSeeksEachOnesPartOfTheIndex() {
        mailbag();
        Position p = trace.page(all(List.of("org-1", "org-2"), 2)).next();
        for (Query q : List.of(all(List.of("org-1", "org-2"), 2),
                new Query(List.of("org-1", "org-2"), "*@contoso.com", null, null, null, null, null, 2))) {
            Paging.assertSeeksEachOrganization(plan(q.startingAfter(p)), "trace_recipients",
                    "SEARCH trace_recipients USING INDEX trace_recipients_org (organization_id=? AND received_at<?)", 2);
        }
    }

    /**
     * Past {@link OrganizationScope#MERGED} organizations, a page is asked in chunks of that many, each
     * organization seeking its own part of the index: beside a tenant with thousands of rows in the
     * range, out of scope, a page of small tenants reads none of them (a review measured a page of 21
     * small tenants beside 300,000 rows at 200 ms when the time index was walked instead).
     */
    @Test
    void aPageOfManyOrganizationsSeeksEachOnesPartOfTheIndexBesideALargeTenant() throws Exception {
        mailbag();
        try (Connection c = Fixtures.rawConnection(dir);
             PreparedStatement s = c.prepareStatement("INSERT INTO trace_recipients (network_id, organization_id, recipient_key, "
                     + "recipient, sender, sender_key, message_id, subject, size, received_at, status, status_at, status_seq) "
                     + "VALUES (?, 'org-big', 'x@big.example', 'x@big.example', 'a@b.example', 'a@b.example', '<m>', 's', 1, ?, "
                     + "'DELIVERED', ?, 0)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < 5000; i++) {
                s.setString(1, NetworkMessageId.random().toString());
                s.setLong(2, T0.minusSeconds(i).toEpochMilli());
                s.setLong(3, T0.minusSeconds(i).toEpochMilli());
                s.addBatch();
            }
            s.executeBatch();
            c.commit();
            c.createStatement().execute("ANALYZE");
        }
        for (int size : List.of(OrganizationScope.MERGED + 1, 40, 41, 300)) {
            List<String> scope = Paging.organizations("org-2", "org-1", size);
            Position p = trace.page(all(scope, 2)).next();
            for (Query q : List.of(all(scope, 2), all(scope, 2).startingAfter(p),
                    new Query(scope, null, null, T0.minus(Duration.ofDays(2)), T0.plusSeconds(1), null, null, 100))) {
                Paging.assertSeeksEachOrganizationInChunks(Paging.plans(dir, TraceSearch.select(q).statements()), "trace_recipients",
                        "SEARCH trace_recipients USING INDEX trace_recipients_org (organization_id=?", "trace_recipients_received", size);
            }
        }
    }

    /**
     * Keys tied on everything before them come in SQLite's BINARY order, the bytes of their UTF-8: U+E000
     * before U+1D518, which Java's String.compareTo puts the other way (a surrogate pair is below
     * U+E000 in UTF-16). One statement orders them in SQLite; a scope of more than
     * {@link OrganizationScope#MERGED} organizations asks the two organizations in different
     * statements, merged in Java, and must give the same order, page after page.
     */
    @Test
    void tiedRowsComeInUtf8ByteOrderFromSqliteAndFromTheMergeOfSeveralStatements() {
        String astral = "\uD835\uDD18", privateUse = "\uE000";
        assertThat(astral.compareTo(privateUse)).as("UTF-16 order differs").isNegative();
        NetworkMessageId id = NetworkMessageId.random();
        for (String org : List.of("org-" + astral, "org-" + privateUse))
            for (String recipient : List.of(astral + "@contoso.example", privateUse + "@contoso.example"))
                receive(id, T0, org, recipient);
        trace.flush();
        List<String> expected = List.of("org-" + privateUse + "/" + privateUse, "org-" + privateUse + "/" + astral,
                "org-" + astral + "/" + privateUse, "org-" + astral + "/" + astral);
        List<String> scope = Paging.organizations("org-" + astral, "org-" + privateUse, OrganizationScope.MERGED + 1);
        for (Query q : List.of(all(null, 1000), all(scope, 1000), all(List.of("org-" + astral, "org-" + privateUse), 1000))) {
            assertThat(trace.search(q)).as(String.valueOf(q.organizationIds()))
                    .extracting(s -> s.organizationId() + "/" + s.recipient().substring(0, s.recipient().indexOf('@')))
                    .containsExactlyElementsOf(expected);
        }
        for (int limit : List.of(1, 2, 3)) {
            assertThat(items(walk(all(scope, limit))))
                    .extracting(s -> s.organizationId() + "/" + s.recipient().substring(0, s.recipient().indexOf('@')))
                    .as("limit " + limit).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void scopesOfSeveralOrganizationsWalkTheirRowsOnceInOrder() {
        mailbag();
        receive(NetworkMessageId.random(), T0, "org-3", "gina@fabrikam.com");
        trace.flush();
        List<String> everything = trace.search(all(null, 1000)).stream().map(TracePagingTest::row).toList();
        List<List<String>> scopes = new ArrayList<>(List.of(List.of("org-1", "org-2"), List.of("org-2", "org-1", "org-2")));
        scopes.addAll(Paging.largeScopes("org-2", "org-1"));
        for (List<String> scope : scopes) {
            List<String> expected = everything.stream().filter(r -> r.contains("/org-1/") || r.contains("/org-2/")).toList();
            assertThat(trace.search(all(scope, 1000))).extracting(TracePagingTest::row).as(scope.toString())
                    .containsExactlyElementsOf(expected);
            for (int limit : List.of(1, 2, 3, 5, 18, 19, 20)) {
                assertThat(items(walk(all(scope, limit)))).extracting(TracePagingTest::row).as(scope + " limit " + limit)
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void aPageOverSeveralStatementsAsksForAtMostTheMergedLimit() {
        List<String> twenty = Paging.organizations("org-2", "org-1", OrganizationScope.MERGED);
        List<String> more = Paging.organizations("org-2", "org-1", OrganizationScope.MERGED + 1);
        assertThat(TraceSearch.select(all(twenty, 5000)).limit()).isEqualTo(5000);
        assertThat(TraceSearch.select(all(null, 5000)).limit()).isEqualTo(5000);
        assertThat(TraceSearch.select(all(more, 5000)).limit()).isEqualTo(OrganizationScope.MERGED_LIMIT);
        assertThat(TraceSearch.select(all(more, 20)).limit()).isEqualTo(20);
    }

    private List<String> plan(Query q) {
        List<List<String>> plans = Paging.plans(dir, TraceSearch.select(q).statements());
        assertThat(plans).hasSize(1);
        return plans.getFirst();
    }
}
