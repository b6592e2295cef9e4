package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;
import sluice.core.mail.NetworkMessageId;
import sluice.core.trace.Trace;
import sluice.core.trace.TraceEvent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.admin.testing.AdminFixture.NOW;
import static sluice.admin.testing.Samples.event;

class TraceRoutesTest {

    private final AdminFixture api = new AdminFixture();
    private final String org = api.organization("Contoso");
    private final NetworkMessageId delivered = NetworkMessageId.random();
    private final NetworkMessageId deferred = NetworkMessageId.random();

    {
        Instant t = NOW.minus(Duration.ofHours(1));
        api.trace.record(event(delivered, TraceEvent.Type.RECEIVE, t, org, "a@outside.example", "ann@contoso.example"));
        api.trace.record(event(delivered, TraceEvent.Type.DELIVER, t.plusSeconds(1), org, "a@outside.example", "ann@contoso.example"));
        api.trace.record(event(deferred, TraceEvent.Type.RECEIVE, t.plusSeconds(60), org, "b@outside.example", "bob@contoso.example"));
        api.trace.record(event(deferred, TraceEvent.Type.DEFER, t.plusSeconds(61), org, "b@outside.example", "bob@contoso.example"));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aSearchWithoutParametersCoversTheLast48HoursNewestFirst() {
        var reply = api.get("/api/v1/trace");

        assertThat(reply.status()).isEqualTo(200);
        var items = reply.json().get("items");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).get("networkMessageId").asText()).isEqualTo(deferred.toString());
        assertThat(items.get(0).get("status").asText()).isEqualTo("Pending");
        assertThat(items.get(1).get("status").asText()).isEqualTo("Delivered");
        assertThat(items.get(1).get("received").asText()).isEqualTo("2025-06-01T11:00:00Z");
        assertThat(items.get(1).get("subject").asText()).isEqualTo("Quarterly report");
        var q = api.trace.lastQuery();
        assertThat(q.from()).isEqualTo(NOW.minus(Duration.ofHours(48)));
        assertThat(q.to()).isEqualTo(NOW);
        assertThat(q.limit()).isEqualTo(100);
        assertThat(q.organizationIds()).isNull();
    }

    @Test
    void everyFilterIsPassedToTheStore() {
        var reply = api.get("/api/v1/trace?sender=a@outside.example&recipient=ann@contoso.example&status=delivered"
                + "&from=2025-06-01T10:00:00Z&to=2025-06-01T11:30:00Z&messageId=%3C" + delivered + "@mail.example%3E&limit=5");

        assertThat(reply.json().get("items")).hasSize(1);
        assertThat(api.trace.lastQuery()).isEqualTo(new Trace.Query(null, "a@outside.example", "ann@contoso.example",
                Instant.parse("2025-06-01T10:00:00Z"), Instant.parse("2025-06-01T11:30:00Z"), Trace.Status.DELIVERED,
                "<" + delivered + "@mail.example>", 5));
    }

    @Test
    void badParametersAre400() {
        assertThat(api.get("/api/v1/trace?limit=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/trace?limit=1001").json().get("detail").asText())
                .isEqualTo("Query parameter 'limit' must be a whole number from 1 to 1000.");
        assertThat(api.get("/api/v1/trace?from=yesterday").json().get("detail").asText())
                .startsWith("Query parameter 'from' must be an ISO-8601 instant");
        assertThat(api.get("/api/v1/trace?from=2025-06-02T00:00:00Z&to=2025-06-01T00:00:00Z").json().get("detail").asText())
                .isEqualTo("'from' must not be after 'to'.");
        assertThat(api.get("/api/v1/trace?status=Lost").json().get("detail").asText())
                .isEqualTo("Query parameter 'status' must be one of Received, Pending, Delivered, Failed, Quarantined, Expanded.");
    }

    /** Instant.parse takes years up to a billion; the store keeps epoch milliseconds, and 'from' defaults to 48 hours before 'to'. */
    @Test
    void instantsOutsideTheYears0000To9999Are400() {
        for (String bad : List.of("-1000000000-01-01T00:00:00Z", "+1000000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z",
                "-0001-12-31T23:59:59Z")) {
            for (String parameter : List.of("to", "from")) {
                var reply = api.get("/api/v1/trace?" + parameter + "=" + URLEncoder.encode(bad, StandardCharsets.UTF_8));
                assertThat(reply.status()).as(parameter + "=" + bad).isEqualTo(400);
                assertThat(reply.json().get("detail").asText())
                        .isEqualTo("Query parameter '" + parameter + "' must be an instant in the years 0000 to 9999.");
            }
        }
        assertThat(api.get("/api/v1/trace?from=0000-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z").json().get("items")).hasSize(2);
        assertThat(api.get("/api/v1/trace?to=0000-01-01T00:00:00Z").status()).isEqualTo(200);
    }

    @Test
    void aMessageReceivedAtTheEndOfTheRangeBelongsToTheNextRange() {
        String received = "2025-06-01T11:01:00Z";
        assertThat(api.get("/api/v1/trace?to=" + received).json().get("items")).extracting(i -> i.get("networkMessageId").asText())
                .containsExactly(delivered.toString());
        assertThat(api.get("/api/v1/trace?from=" + received).json().get("items")).extracting(i -> i.get("networkMessageId").asText())
                .containsExactly(deferred.toString());
    }

    /**
     * Recipients tied on the rest of the key come in UTF-8 byte order, as SQLite compares text: U+E000 before
     * U+1D518. This runs against the in-memory double, so it checks the double and the routes; that SQLite
     * orders them so, and the merge of several statements too, is TracePagingTest's (store).
     */
    @Test
    void tiedRowsComeInUtf8ByteOrder() {
        NetworkMessageId id = NetworkMessageId.random();
        for (String recipient : List.of("\uD835\uDD18@contoso.example", "\uE000@contoso.example"))
            api.trace.record(event(id, TraceEvent.Type.RECEIVE, NOW.minusSeconds(5), org, "a@outside.example", recipient));
        var first = api.get("/api/v1/trace?limit=1");
        assertThat(first.json().get("items").get(0).get("recipient").asText()).isEqualTo("\uE000@contoso.example");
        var second = api.get(first.json().get("next").asText());
        assertThat(second.json().get("items").get(0).get("recipient").asText()).isEqualTo("\uD835\uDD18@contoso.example");
    }

    @Test
    void theEventsOfAMessageComeOldestFirstWithTheirDetails() {
        var reply = api.get("/api/v1/trace/" + delivered);

        assertThat(reply.status()).isEqualTo(200);
        var json = reply.json();
        assertThat(json.get("networkMessageId").asText()).isEqualTo(delivered.toString());
        var events = json.get("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(0).get("type").asText()).isEqualTo("Receive");
        assertThat(events.get(0).get("clientAddress").asText()).isEqualTo("192.0.2.7");
        assertThat(events.get(0).get("tls").asText()).isEqualTo("TLSv1.3 TLS_AES_256_GCM_SHA384");
        assertThat(events.get(1).get("type").asText()).isEqualTo("Deliver");
        assertThat(events.get(1).get("remoteReply").asText()).isEqualTo("250 2.0.0 Ok");
        assertThat(events.get(1).get("at").asText()).isEqualTo("2025-06-01T11:00:01Z");
    }

    @Test
    void anUnknownMessageIs404AndANonUuidIs400() {
        assertThat(api.get("/api/v1/trace/" + NetworkMessageId.random()).status()).isEqualTo(404);
        var bad = api.get("/api/v1/trace/not-a-uuid");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asText()).isEqualTo("'not-a-uuid' is not a network message id (a UUID).");
    }
}
