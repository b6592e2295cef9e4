package sluice.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.mail.NetworkMessageId;
import sluice.core.trace.TraceEvent;
import sluice.core.trace.TraceEvent.Type;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.admin.testing.AdminFixture.NOW;

/** The dashboard's mail flow: every hour of the range present, counted per step, scoped like the trace. */
class StatsRoutesTest {

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");

    @AfterEach
    void stop() {
        api.close();
    }

    private void event(Instant at, Type type, String org, String detail) {
        api.trace.record(new TraceEvent(at, type, NetworkMessageId.random(), null, null, org, "a@b.example", "c@d.example",
                null, 10, null, null, null, detail));
    }

    @Test
    void everyHourOfTheRangeIsCountedPerStep() {
        Instant thisHour = NOW; // 12:00:00: the hour in progress has just begun
        event(thisHour, Type.RECEIVE, contoso, null);
        event(thisHour, Type.DELIVER, contoso, null);
        event(thisHour.plusSeconds(1), Type.RECEIVE, contoso, null); // in the future: not yet
        event(thisHour.minus(Duration.ofHours(3)), Type.RECEIVE, contoso, null);
        event(thisHour.minus(Duration.ofHours(3)), Type.DEFER, contoso, null);
        event(thisHour.minus(Duration.ofHours(3)), Type.FAIL, contoso, "expired: host down");
        event(thisHour.minus(Duration.ofHours(3)), Type.FAIL, contoso, TraceEvent.REJECTED + "malware");
        event(thisHour.minus(Duration.ofHours(3)), Type.QUARANTINE, contoso, null);
        event(thisHour.minus(Duration.ofHours(3)), Type.FILTER, contoso, null);
        event(thisHour.minus(Duration.ofHours(30)), Type.RECEIVE, contoso, null); // outside 24 h
        event(thisHour, Type.RECEIVE, fabrikam, null);

        JsonNode flow = api.get("/api/v1/stats/mailflow?organizationId=" + contoso).json();

        assertThat(flow.get("hours")).hasSize(24);
        assertThat(flow.at("/hours/0/hour").asText()).isEqualTo("2025-05-31T13:00:00Z");
        assertThat(flow.at("/hours/23/hour").asText()).isEqualTo("2025-06-01T12:00:00Z");
        assertThat(flow.at("/hours/23/counts/received").asLong()).isEqualTo(1);
        assertThat(flow.at("/hours/23/counts/delivered").asLong()).isEqualTo(1);
        JsonNode nine = flow.at("/hours/20/counts");
        assertThat(nine.get("received").asLong()).isEqualTo(1);
        assertThat(nine.get("deferred").asLong()).isEqualTo(1);
        assertThat(nine.get("failed").asLong()).isEqualTo(1);
        assertThat(nine.get("rejected").asLong()).isEqualTo(1);
        assertThat(nine.get("quarantined").asLong()).isEqualTo(1);
        assertThat(flow.at("/totals/received").asLong()).isEqualTo(2);
        assertThat(api.get("/api/v1/stats/mailflow").json().at("/totals/received").asLong()).as("all organizations").isEqualTo(3);
        assertThat(api.get("/api/v1/stats/mailflow?hours=48&organizationId=" + contoso).json().at("/totals/received").asLong())
                .isEqualTo(3);
    }

    @Test
    void anOrganizationAdministratorSeesOnlyTheirOwnMailFlow() {
        event(NOW, Type.RECEIVE, contoso, null);
        event(NOW, Type.RECEIVE, fabrikam, null);
        event(NOW, Type.RECEIVE, null, null);
        String ann = api.tokenFor(Role.ORG_ADMIN, contoso);

        assertThat(api.send("GET", "/api/v1/stats/mailflow", ann, null).json().at("/totals/received").asLong()).isEqualTo(1);
        assertThat(api.send("GET", "/api/v1/stats/mailflow?organizationId=" + fabrikam, ann, null).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/stats/mailflow").json().at("/totals/received").asLong()).isEqualTo(3);
        assertThat(api.get("/api/v1/stats/mailflow?hours=0").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/stats/mailflow?hours=169").status()).isEqualTo(400);
    }
}
