package sluice.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.quarantine.Quarantine;
import sluice.core.quarantine.QuarantineReason;
import sluice.core.trace.Trace;
import sluice.core.trace.TraceEvent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.admin.testing.AdminFixture.NOW;
import static sluice.admin.testing.Samples.event;

/**
 * An administrator walks through every result of a trace or quarantine search by following each
 * page's {@code next} link; a cursor it did not get from us is a 400 problem, and a cursor never
 * shows another organization's mail.
 */
class SearchPagingTest {

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");
    private final String contosoAdmin = api.tokenFor(Role.ORG_ADMIN, contoso);

    {
        // seven recipients at one instant (two messages), in two organizations, and one an hour earlier
        Instant t = NOW.minus(Duration.ofHours(2));
        for (String org : List.of(contoso, fabrikam)) {
            NetworkMessageId id = NetworkMessageId.random();
            List<String> recipients = org.equals(contoso) ? List.of("ann", "bob", "carol", "dave") : List.of("ann", "bob", "carol");
            for (String r : recipients)
                api.trace.record(event(id, TraceEvent.Type.RECEIVE, t, org, "x@outside.example", r + "@example.com"));
        }
        api.trace.record(event(NetworkMessageId.random(), TraceEvent.Type.RECEIVE, t.minus(Duration.ofHours(1)), contoso,
                "y@outside.example", "erin@example.com"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** Every page, from {@code path} on, by the next links; asserts each page's shape on the way. */
    private List<JsonNode> walk(String token, String path) {
        List<JsonNode> pages = new ArrayList<>();
        String next = path;
        while (next != null) {
            var reply = api.send("GET", next, token, null);
            assertThat(reply.status()).as(next).isEqualTo(200);
            JsonNode page = reply.json();
            pages.add(page);
            assertThat(page.has("next")).as("next goes with nextCursor").isEqualTo(page.has("nextCursor"));
            next = page.has("next") ? page.get("next").asText() : null;
            if (next != null) assertThat(next).contains("cursor=" + URLEncoder.encode(page.get("nextCursor").asText(), StandardCharsets.UTF_8));
            assertThat(pages).as("the walk ends").hasSizeLessThan(50);
        }
        return pages;
    }

    private static List<String> rows(List<JsonNode> pages, String... fields) {
        List<String> out = new ArrayList<>();
        for (JsonNode page : pages)
            for (JsonNode item : page.get("items")) {
                StringBuilder row = new StringBuilder();
                for (String f : fields) row.append(item.path(f).asText()).append(' ');
                out.add(row.toString().strip());
            }
        return out;
    }

    @Test
    void followingNextWalksTheWholeTraceOnceAndTheLastPageHasNoNext() {
        List<String> everything = rows(List.of(api.get("/api/v1/trace").json()), "networkMessageId", "recipient");
        assertThat(everything).hasSize(8);
        assertThat(api.get("/api/v1/trace").json().has("next")).as("one page holds it all").isFalse();

        List<JsonNode> pages = walk(AdminFixture.ADMIN, "/api/v1/trace?limit=3");
        assertThat(pages).hasSize(3);
        assertThat(pages).extracting(p -> p.get("items").size()).containsExactly(3, 3, 2);
        assertThat(rows(pages, "networkMessageId", "recipient")).containsExactlyElementsOf(everything);
        assertThat(pages.getLast().has("nextCursor")).isFalse();
        assertThat(pages.getLast().has("next")).isFalse();
    }

    @Test
    void theNextLinkKeepsTheFiltersAndTheTimeRangeTheFirstPageResolved() {
        JsonNode first = api.get("/api/v1/trace?limit=2&sender=x@outside.example").json();
        String next = first.get("next").asText();
        assertThat(next).startsWith("/api/v1/trace?sender=x%40outside.example&from=2025-05-30T12%3A00%3A00Z"
                + "&to=2025-06-01T12%3A00%3A00Z&limit=2&cursor=");

        // two days later the default range would no longer cover the mail; the link's range still does
        api.clock.advance(Duration.ofHours(47));
        List<JsonNode> rest = walk(AdminFixture.ADMIN, next);
        assertThat(rows(rest, "recipient")).hasSize(5);
        assertThat(rows(rest, "sender")).containsOnly("x@outside.example");
    }

    @Test
    void aCursorOfAPageOfAnotherOrganizationsRowsShowsTheCallerOnlyItsOwn() {
        // the global administrator's first page ends on some row; an organization's administrator reuses its cursor
        JsonNode global = api.get("/api/v1/trace?limit=1").json();
        String cursor = global.get("nextCursor").asText();
        List<JsonNode> pages = walk(contosoAdmin, "/api/v1/trace?limit=2&cursor=" + cursor);
        List<String> seen = rows(pages, "organizationId");
        assertThat(seen).isNotEmpty().containsOnly(contoso);
        // a whole walk of its own is exactly its own rows
        assertThat(rows(walk(contosoAdmin, "/api/v1/trace?limit=2"), "organizationId")).hasSize(5).containsOnly(contoso);
    }

    @Test
    void aCursorNotWrittenByThisSearchIs400AndNeverAServerError() {
        String valid = api.get("/api/v1/trace?limit=1").json().get("nextCursor").asText();
        String quarantineCursor = PageCursor.encode("quarantine", List.of("1", "0123456789ABCDEF0123"));
        List<String> bad = List.of(
                "not-a-cursor!", "%00", "AAAA", b64("null"), b64("{}"), b64("[]"), b64("[\"trace\"]"),
                b64("[\"trace\",\"1\",\"" + NetworkMessageId.random() + "\",\"\"]"),
                b64("[\"trace\",1,\"" + NetworkMessageId.random() + "\",\"\",\"\"]"),
                b64("[\"trace\",\"-1\",\"" + NetworkMessageId.random() + "\",\"\",\"\"]"),
                b64("[\"trace\",\"1e3\",\"" + NetworkMessageId.random() + "\",\"\",\"\"]"),
                b64("[\"trace\",\"1\",\"not-a-uuid\",\"\",\"\"]"),
                b64("[\"trace\",\"99999999999999999999\",\"" + NetworkMessageId.random() + "\",\"\",\"\"]"),
                b64(" [\"trace\",\"1\",\"" + NetworkMessageId.random() + "\",\"\",\"\"]"),
                valid + "=", valid + "A", valid.substring(1), quarantineCursor, "A".repeat(5000));
        for (String cursor : bad) {
            var reply = api.get("/api/v1/trace?cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            assertThat(reply.status()).as(cursor).isEqualTo(400);
            assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(reply.json().get("detail").asText()).as(cursor).isEqualTo("Query parameter 'cursor' is not a cursor of "
                    + "this search. Pass the nextCursor of the previous page unchanged, or follow its next link.");
        }
        assertThat(api.get("/api/v1/trace?cursor=" + valid).status()).isEqualTo(200);
        String forged = PageCursor.encode("trace", List.of("0", NetworkMessageId.random().toString(), "org", "x"));
        assertThat(api.get("/api/v1/trace?cursor=" + forged).ids()).as("well formed, past everything").isEmpty();
    }

    /**
     * Cursors in the very form the API writes but with parts it never writes: a time with a sign or a
     * leading zero (Long.parseLong reads both), a NUL or a half surrogate in the organization or the
     * recipient. Each is a 400. Any other character only positions, as a row may hold it.
     */
    @Test
    void aCursorWithPartsTheApiNeverWritesIs400() {
        String id = NetworkMessageId.random().toString();
        List<String> trace = List.of(
                PageCursor.encode("trace", List.of("01", id, contoso, "ann@example.com")),
                PageCursor.encode("trace", List.of("+1", id, contoso, "ann@example.com")),
                PageCursor.encode("trace", List.of("-0", id, contoso, "ann@example.com")),
                PageCursor.encode("trace", List.of("1", id, contoso + "\u0000", "ann@example.com")),
                PageCursor.encode("trace", List.of("1", id, contoso, "ann\u0000@example.com")),
                PageCursor.encode("trace", List.of("1", id, contoso, "ann\uD800@example.com")),
                PageCursor.encode("trace", List.of("1", id, "\uDC00" + contoso, "ann@example.com")));
        for (String cursor : trace) {
            var reply = api.get("/api/v1/trace?cursor=" + cursor);
            assertThat(reply.status()).as(cursor).isEqualTo(400);
            assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        }
        for (String time : List.of("01", "+1", "-0", "007"))
            assertThat(api.get("/api/v1/quarantine?cursor=" + PageCursor.encode("quarantine", List.of(time, "0123456789ABCDEF0123")))
                    .status()).as(time).isEqualTo(400);
        for (String recipient : List.of("ann@example.com", "a\u0085b@example.com", "ann\u0001@example.com", "Ann@example.com",
                "\uD835\uDD18@example.com"))
            assertThat(api.get("/api/v1/trace?cursor=" + PageCursor.encode("trace", List.of("1", id, contoso, recipient)))
                    .status()).as(recipient).isEqualTo(200);
        assertThat(api.get("/api/v1/quarantine?cursor=" + PageCursor.encode("quarantine", List.of("1", "0123456789ABCDEF0123")))
                .status()).isEqualTo(200);
    }

    /**
     * A recipient with a C1 control character, which an SMTPUTF8 address may hold: the cursor of the
     * page that ends on it leads on to the next page.
     */
    @Test
    void aRecipientWithAC1ControlCharacterDoesNotEndTheWalk() {
        String odd = "a\u0085b@example.com";
        Address.parse(odd);
        Instant t = NOW.minus(Duration.ofHours(2));
        api.trace.record(event(NetworkMessageId.random(), TraceEvent.Type.RECEIVE, t.plusSeconds(60), contoso, "x@outside.example", odd));
        JsonNode first = api.get("/api/v1/trace?limit=1").json();
        assertThat(first.get("items").get(0).get("recipient").asText()).isEqualTo(odd);
        var reply = api.send("GET", first.get("next").asText(), AdminFixture.ADMIN, null);
        assertThat(reply.status()).as("the server's own next link").isEqualTo(200);
        assertThat(rows(walk(AdminFixture.ADMIN, "/api/v1/trace?limit=1"), "recipient")).hasSize(9).contains(odd);
    }

    /**
     * A cursor names its row, so a page a broken store ended on a row out of the caller's scope is a
     * 500 with no detail, never a cursor that spells another organization's message and recipient.
     */
    @Test
    void aPageTheStoreEndedOnAnotherOrganizationsRowGivesNoCursorOfIt() {
        String id = NetworkMessageId.random().toString();
        for (String organization : List.of(fabrikam, "")) {
            api.trace.endNextPageAt(new Trace.Position(NOW.minusSeconds(60), id, organization, "ann@example.com"));
            var reply = api.send("GET", "/api/v1/trace", contosoAdmin, null);
            assertThat(reply.status()).as(organization).isEqualTo(500);
            assertThat(reply.body()).doesNotContain(id).doesNotContain("cursor");
        }
        api.trace.endNextPageAt(new Trace.Position(NOW.minusSeconds(60), id, contoso, "ann@example.com"));
        assertThat(api.send("GET", "/api/v1/trace", contosoAdmin, null).json().get("nextCursor").asText()).isNotEmpty();
        api.trace.endNextPageAt(new Trace.Position(NOW.minusSeconds(60), id, fabrikam, "ann@example.com"));
        assertThat(api.get("/api/v1/trace").json().has("nextCursor")).as("the global administrator sees it").isTrue();

        String held = hold(fabrikam, 60);
        Quarantine.Position ofFabrikam = new Quarantine.Position(NOW.minusSeconds(60), held);
        api.quarantineStore.endNextPageAt(ofFabrikam);
        var reply = api.send("GET", "/api/v1/quarantine", contosoAdmin, null);
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body()).doesNotContain(held).doesNotContain("cursor");
        api.quarantineStore.endNextPageAt(ofFabrikam);
        assertThat(api.get("/api/v1/quarantine").json().has("nextCursor")).as("the global administrator sees it").isTrue();
        // a position of no readable entry (the store skips a damaged one, still ending the page on it) passes
        api.quarantineStore.endNextPageAt(new Quarantine.Position(NOW.minusSeconds(60), "0123456789ABCDEF0123"));
        assertThat(api.send("GET", "/api/v1/quarantine", contosoAdmin, null).json().has("nextCursor")).isTrue();
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theLimitIsBoundedOnEveryPage() {
        String cursor = api.get("/api/v1/trace?limit=1").json().get("nextCursor").asText();
        for (String path : List.of("/api/v1/trace", "/api/v1/quarantine"))
            for (String limit : List.of("0", "1001", "-1", "ten")) {
                var reply = api.get(path + "?limit=" + limit + (path.endsWith("trace") ? "&cursor=" + cursor : ""));
                assertThat(reply.status()).as(path + " " + limit).isEqualTo(400);
                assertThat(reply.json().get("detail").asText()).isEqualTo("Query parameter 'limit' must be a whole number from 1 to 1000.");
            }
        assertThat(api.get("/api/v1/trace?limit=1000").json().get("items")).hasSize(8);
    }

    private String hold(String org, int secondsAgo) {
        byte[] content = "Subject: held\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        var m = new QueuedMessage(QueueId.next(NOW), NetworkMessageId.random(), NOW.minusSeconds(secondsAgo), "s@bulk.example", org,
                null, null, "192.0.2.1", "mx.example", content, QueuedMessage.Origin.INTERNET, false, null, false);
        var to = List.of(new QueuedRecipient(m.id(), 0, Address.parse("bob@example.com"), Set.of(), null,
                QueuedRecipient.State.QUEUED, 0, NOW, null, false));
        return api.quarantine.quarantine(m, to, QuarantineReason.SPAM, "score 9").id();
    }

    @Test
    void followingNextWalksTheWholeQuarantineOnceWithinTheCallersScope() {
        List<String> contosoIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            contosoIds.add(hold(contoso, 60));
            hold(fabrikam, 60);
        }
        List<String> everything = api.get("/api/v1/quarantine").ids();
        assertThat(everything).hasSize(10);

        List<JsonNode> pages = walk(AdminFixture.ADMIN, "/api/v1/quarantine?limit=4");
        assertThat(pages).extracting(p -> p.get("items").size()).containsExactly(4, 4, 2);
        assertThat(rows(pages, "id")).containsExactlyElementsOf(everything);
        assertThat(pages.getLast().has("next")).isFalse();

        String globalCursor = api.get("/api/v1/quarantine?limit=1").json().get("nextCursor").asText();
        List<String> contosoAfter = rows(walk(contosoAdmin, "/api/v1/quarantine?limit=2&cursor=" + globalCursor), "id");
        assertThat(contosoAfter).isNotEmpty().allMatch(contosoIds::contains);
        assertThat(rows(walk(contosoAdmin, "/api/v1/quarantine?limit=2"), "id")).containsExactlyInAnyOrderElementsOf(contosoIds);

        String traceCursor = api.get("/api/v1/trace?limit=1").json().get("nextCursor").asText();
        for (String cursor : List.of(traceCursor, "x", PageCursor.encode("quarantine", List.of("1", "not-an-id"))))
            assertThat(api.get("/api/v1/quarantine?cursor=" + cursor).status()).as(cursor).isEqualTo(400);
    }
}
