package sluice.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SystemRoutesTest {

    private final AdminFixture api = new AdminFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void healthyNodeAnswersUp() {
        var reply = api.send("GET", "/healthz", null, null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        assertThat(reply.body()).isEqualTo("{\"status\":\"UP\"}");
    }

    @Test
    void unhealthyNodeAnswers503WithTheReason() {
        api.health = () -> Health.unhealthy(Map.of("store", "unreachable"));

        var reply = api.send("GET", "/healthz", null, null);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.json().get("status").asText()).isEqualTo("DOWN");
        assertThat(reply.json().get("details").get("store").asText()).isEqualTo("unreachable");
    }

    @Test
    void aHealthCheckThatThrowsCountsAsDownWithoutLeakingTheException() {
        api.health = () -> { throw new IllegalStateException("db password=hunter2"); };

        var reply = api.send("GET", "/healthz", null, null);

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.body()).doesNotContain("hunter2");
    }

    @Test
    void metricsArePrometheusTextIncludingTheAdminRequestTimer() {
        api.get("/api/v1/organizations");

        var reply = api.send("GET", "/metrics", null, null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(reply.body()).contains("sluice_admin_requests_seconds_count{method=\"GET\",route=\"/api/v1/organizations\",status=\"200\"} 1");
    }

    @Test
    void inventedMethodsShareOneMetricTagSoUnauthenticatedClientsCannotGrowTheRegistry() {
        for (int i = 0; i < 20; i++) assertThat(api.send("BREW" + i, "/api/v1/organizations", null, null).status()).isEqualTo(401);
        assertThat(api.send("PROPFIND", "/", null, null).status()).isEqualTo(405);

        var timers = api.metrics.find("sluice.admin.requests").timers();

        assertThat(timers).extracting(t -> t.getId().getTag("method")).containsOnly("OTHER");
        assertThat(timers.stream().mapToLong(t -> t.count()).sum()).isEqualTo(21);
    }

    @Test
    void theRouteListNamesEveryResource() {
        assertThat(api.server().routes()).contains(
                "GET /healthz", "GET /metrics",
                "GET /api/v1/organizations", "POST /api/v1/organizations", "PATCH /api/v1/organizations/{id}",
                "DELETE /api/v1/domains/{id}", "GET /api/v1/mailboxes/{id}",
                "GET /api/v1/trace", "GET /api/v1/trace/{networkMessageId}",
                "GET /api/v1/queue", "POST /api/v1/queue/{id}/retry", "DELETE /api/v1/queue/{id}",
                "POST /api/v1/connectors/inbound", "PATCH /api/v1/connectors/inbound/{id}",
                "GET /api/v1/connectors/outbound", "DELETE /api/v1/connectors/outbound/{id}",
                "POST /api/v1/connectors/outbound/{id}/validate");
    }
}
