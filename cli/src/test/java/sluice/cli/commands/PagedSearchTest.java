package sluice.cli.commands;

import org.junit.jupiter.api.Test;
import sluice.cli.testing.FakeApi;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice trace search} and {@code sluice quarantine list} page through a long result: a page
 * that is not the last says the cursor of the next, {@code --cursor} asks for it, and {@code --all}
 * follows the server's next links to the end.
 */
class PagedSearchTest {

    private static final String RANGE = "from=2025-01-30T12%3A00%3A00Z&to=2025-02-01T12%3A00%3A00Z";

    private static String tracePage(String recipient, String nextCursor) {
        String row = "{\"received\":\"2025-02-01T10:00:00Z\",\"sender\":\"a@x.example\",\"recipient\":\"" + recipient
                + "\",\"subject\":\"hi\",\"status\":\"Delivered\",\"networkMessageId\":\"n-" + recipient + "\"}";
        return "{\"items\":[" + row + "]" + (nextCursor == null ? "" : ",\"nextCursor\":\"" + nextCursor
                + "\",\"next\":\"/api/v1/trace?" + RANGE + "&limit=1000&cursor=" + nextCursor + "\"") + "}";
    }

    @Test
    void aPageThatIsNotTheLastTellsTheCursorOfTheNext() throws Exception {
        try (FakeApi api = new FakeApi().on("GET /trace?limit=1", tracePage("ann@contoso.example", "C1"))
                .on("GET /trace?limit=1&cursor=C1", tracePage("bob@contoso.example", null))
                .on("GET /trace?" + RANGE + "&limit=1&cursor=C1", tracePage("bob@contoso.example", null))) {
            FakeApi.Run first = api.sluice("trace", "search", "--limit", "1");
            assertThat(first.exit()).as(first.toString()).isZero();
            assertThat(first.out()).contains("ann@contoso.example")
                    .endsWith("More results: repeat with --from 2025-01-30T12:00:00Z --to 2025-02-01T12:00:00Z --cursor C1 "
                            + "for the next page, or --all for all of them.\n");

            // the hint's range, not "the last 48 hours" of whenever it is repeated
            FakeApi.Run later = api.sluice("trace", "search", "--limit", "1", "--from", "2025-01-30T12:00:00Z",
                    "--to", "2025-02-01T12:00:00Z", "--cursor", "C1");
            assertThat(api.calls().getLast().request()).isEqualTo("GET /trace?" + RANGE + "&limit=1&cursor=C1");
            assertThat(later.out()).contains("bob@contoso.example");

            FakeApi.Run second = api.sluice("trace", "search", "--limit", "1", "--cursor", "C1");
            assertThat(second.out()).contains("bob@contoso.example").doesNotContain("More results");
        }
    }

    @Test
    void allFollowsTheNextLinksToTheLastPage() throws Exception {
        try (FakeApi api = new FakeApi().on("GET /trace?limit=1000", tracePage("ann@contoso.example", "C1"))
                .on("GET /trace?" + RANGE + "&limit=1000&cursor=C1", tracePage("bob@contoso.example", "C2"))
                .on("GET /trace?" + RANGE + "&limit=1000&cursor=C2", tracePage("carol@contoso.example", null))) {
            FakeApi.Run r = api.sluice("trace", "search", "--all", "-o", "json");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(api.calls()).extracting(FakeApi.Call::request).containsExactly("GET /trace?limit=1000",
                    "GET /trace?" + RANGE + "&limit=1000&cursor=C1", "GET /trace?" + RANGE + "&limit=1000&cursor=C2");
            assertThat(r.out()).contains("ann@contoso.example", "bob@contoso.example", "carol@contoso.example")
                    .doesNotContain("nextCursor");

            FakeApi.Run table = api.sluice("trace", "search", "--all");
            assertThat(table.out()).contains("ann@contoso.example", "carol@contoso.example").doesNotContain("More results");
        }
    }

    @Test
    void quarantineListPagesToo() throws Exception {
        String entry = "{\"id\":\"%s\",\"receivedAt\":\"2025-02-01T10:00:00Z\",\"sender\":\"s@bulk.example\","
                + "\"recipients\":[\"bob@contoso.example\"],\"subject\":\"x\",\"reason\":\"Spam\",\"expiresAt\":\"2025-02-16T10:00:00Z\"}";
        try (FakeApi api = new FakeApi()
                .on("GET /quarantine?reason=Spam&limit=50", "{\"items\":[" + entry.formatted("Q1") + "],\"nextCursor\":\"QC\","
                        + "\"next\":\"/api/v1/quarantine?reason=Spam&limit=50&cursor=QC\"}")
                .on("GET /quarantine?reason=Spam&limit=50&cursor=QC", "{\"items\":[" + entry.formatted("Q2") + "]}")) {
            FakeApi.Run one = api.sluice("quarantine", "list", "--reason", "Spam", "--limit", "50");
            assertThat(one.out()).contains("Q1").doesNotContain("Q2").contains("--cursor QC");

            FakeApi.Run all = api.sluice("quarantine", "list", "--reason", "Spam", "--limit", "50", "--all");
            assertThat(all.exit()).as(all.toString()).isZero();
            assertThat(all.out()).contains("Q1", "Q2").doesNotContain("More results");
        }
    }

    @Test
    void aNextLinkElsewhereOrInACircleStopsWithAnError() throws Exception {
        String loop = "{\"items\":[],\"nextCursor\":\"L\",\"next\":\"/api/v1/trace?limit=1000&cursor=L\"}";
        try (FakeApi api = new FakeApi().on("GET /trace?limit=1000", loop).on("GET /trace?limit=1000&cursor=L", loop)) {
            FakeApi.Run r = api.sluice("trace", "search", "--all");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("not a next page of this search");
            assertThat(api.calls()).hasSize(2);
        }
        String away = "{\"items\":[],\"nextCursor\":\"X\",\"next\":\"/api/v1/users?cursor=X\"}";
        try (FakeApi api = new FakeApi().on("GET /quarantine?limit=1000", away)) {
            FakeApi.Run r = api.sluice("quarantine", "list", "--all");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(api.calls()).hasSize(1);
        }
    }
}
