package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;
import sluice.core.mail.QueueId;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.admin.testing.AdminFixture.NOW;
import static sluice.admin.testing.Samples.queued;

class QueueRoutesTest {

    private final AdminFixture api = new AdminFixture();
    private final String org = api.organization("Contoso");
    private final QueueId first = QueueId.next(NOW.minusSeconds(600));
    private final QueueId second = QueueId.next(NOW.minusSeconds(300));

    {
        api.queue.add(queued(first, org, "ann@partner.example", NOW.plus(Duration.ofMinutes(10))));
        api.queue.add(queued(second, null, "bob@partner.example", NOW.plus(Duration.ofMinutes(20))));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theQueueListsOldestFirstWithPerRecipientState() {
        var reply = api.get("/api/v1/queue");

        assertThat(reply.ids()).containsExactly(first.toString(), second.toString());
        var r = reply.json().get("items").get(0).get("recipients").get(0);
        assertThat(r.get("address").asText()).isEqualTo("ann@partner.example");
        assertThat(r.get("state").asText()).isEqualTo("Queued");
        assertThat(r.get("attempts").asInt()).isEqualTo(2);
        assertThat(r.get("nextAttemptAt").asText()).isEqualTo("2025-06-01T12:10:00Z");
        assertThat(r.get("lastReply").asText()).isEqualTo("451 4.7.0 Try again later");
        assertThat(api.get("/api/v1/queue?limit=1").ids()).containsExactly(first.toString());
        assertThat(api.get("/api/v1/queue?organizationId=" + org).ids()).containsExactly(first.toString());
    }

    @Test
    void oneMessageCanBeReadAndRetriedNow() {
        assertThat(api.get("/api/v1/queue/" + first).json().get("organizationId").asText()).isEqualTo(org);
        // ids are hex; lower case typed by a person works too
        assertThat(api.get("/api/v1/queue/" + first.toString().toLowerCase()).status()).isEqualTo(200);

        assertThat(api.post("/api/v1/queue/" + first + "/retry", null).status()).isEqualTo(204);

        assertThat(api.queue.get(first).orElseThrow().recipients().getFirst().nextAttemptAt()).isEqualTo(NOW);
    }

    @Test
    void aMessageCanBeSuspendedAndResumedButNotTwice() {
        String path = "/api/v1/queue/" + first;
        assertThat(api.post(path + "/suspend", null).status()).isEqualTo(204);
        assertThat(api.get(path).json().at("/recipients/0/state").asText()).isEqualTo("Suspended");
        var again = api.post(path + "/suspend", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("nothing to suspend");

        assertThat(api.post(path + "/resume", null).status()).isEqualTo(204);
        assertThat(api.get(path).json().at("/recipients/0/state").asText()).isEqualTo("Queued");
        assertThat(api.queue.get(first).orElseThrow().recipients().getFirst().nextAttemptAt()).isEqualTo(NOW);
        assertThat(api.post(path + "/resume", null).status()).isEqualTo(409);
        assertThat(api.post("/api/v1/queue/" + QueueId.next(NOW) + "/suspend", null).status()).isEqualTo(404);
    }

    @Test
    void helpdeskCannotSuspendAndOtherTenantsCannotSeeTheMessage() {
        String helpdesk = api.tokenFor(sluice.admin.auth.Role.HELPDESK, org);
        assertThat(api.send("POST", "/api/v1/queue/" + first + "/suspend", helpdesk, null).status()).isEqualTo(403);
        String other = api.tokenFor(sluice.admin.auth.Role.ORG_ADMIN, api.organization("Fabrikam"));
        assertThat(api.send("POST", "/api/v1/queue/" + first + "/suspend", other, null).status()).isEqualTo(404);
        assertThat(api.queue.get(first).orElseThrow().recipients().getFirst().state().name()).isEqualTo("QUEUED");
    }

    @Test
    void removalSendsAnNdrOnlyWhenAsked() {
        assertThat(api.delete("/api/v1/queue/" + first + "?ndr=true").status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/queue/" + second).status()).isEqualTo(204);

        assertThat(api.queue.removals()).containsExactly(first + " with NDR", second + " without NDR");
        assertThat(api.get("/api/v1/queue/" + first).status()).isEqualTo(404);
    }

    @Test
    void removalWhileADeliveryAttemptRunsIsAConflictToRetry() {
        api.queue.attempting(first);
        var busy = api.delete("/api/v1/queue/" + first + "?ndr=true");
        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.json().get("detail").asText())
                .isEqualTo("Message " + first + " is being delivered right now; try again in a moment.");
        assertThat(api.queue.removals()).isEmpty();
    }

    @Test
    void unknownOrMalformedIdsAndBadParametersAreRefused() {
        QueueId gone = QueueId.next(NOW);
        assertThat(api.get("/api/v1/queue/" + gone).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/queue/" + gone + "/retry", null).status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/queue/" + gone).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/queue/xyz").json().get("detail").asText())
                .isEqualTo("'xyz' is not a queue id (20 upper-case hex digits).");
        assertThat(api.delete("/api/v1/queue/" + first + "?ndr=maybe").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/queue?limit=-1").status()).isEqualTo(400);
        assertThat(api.queue.removals()).isEmpty();
    }
}
