package sluice.admin.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;
import sluice.admin.testing.Browser;
import sluice.admin.testing.Samples;
import sluice.core.mail.QueueId;
import sluice.core.account.AdminRole;
import sluice.core.account.AuditEntry;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** A sequence of changes through the API, each recorded once with who, where, what and no secrets. */
class AuditTrailTest {

    private static final String PASSWORD = "correct horse battery";
    private static final String MAILBOX_PASSWORD = "mailbox-secret-pw";
    private static final String NEW_USER_PASSWORD = "new-user-password-123";

    private final AdminFixture api = new AdminFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    private String id(AdminFixture.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isBetween(200, 299);
        return reply.json().get("id").asText();
    }

    @Test
    void aDayOfAdministrationIsRecordedInOrderWithSecretsRedacted() {
        String org = id(api.post("/api/v1/organizations", "{\"name\": \"Contoso\"}"));
        String domain = id(api.post("/api/v1/domains", "{\"organizationId\": \"%s\", \"domainName\": \"contoso.example\"}".formatted(org)));
        id(api.post("/api/v1/mailboxes", """
                {"organizationId": "%s", "address": "ann@contoso.example", "password": "%s"}""".formatted(org, MAILBOX_PASSWORD)));
        String connector = id(api.post("/api/v1/connectors/outbound", """
                {"organizationId": "%s", "name": "Out", "connectorType": "Partner", "recipientDomains": ["fabrikam.example"],
                 "smartHosts": ["192.0.2.1"]}""".formatted(org)));
        api.patch("/api/v1/connectors/outbound/" + connector, "{\"enabled\": false, \"comment\": \"paused\"}");
        api.patch("/api/v1/policies/anti-spam/" + org, "{\"spamScl\": 4}");
        String user = id(api.post("/api/v1/users", """
                {"username": "ann", "role": "OrgAdmin", "organizationIds": ["%s"], "password": "%s"}""".formatted(org, NEW_USER_PASSWORD)));
        Browser ann = Browser.login(api, "ann", NEW_USER_PASSWORD);
        var token = ann.send("POST", "/api/v1/tokens", "{\"name\": \"ci\", \"currentPassword\": \"%s\"}".formatted(NEW_USER_PASSWORD));
        String secret = token.json().get("secret").asText();
        api.post("/api/v1/users/" + user + "/password", "{\"password\": \"%s\"}".formatted(PASSWORD));
        ann = Browser.login(api, "ann", PASSWORD); // the reset ended her session
        assertThat(ann.send("DELETE", "/api/v1/connectors/outbound/" + connector, null).status()).isEqualTo(204);
        api.post("/api/v1/domains", "{\"organizationId\": \"%s\", \"domainName\": \"contoso.example\"}".formatted(org)); // 409: not recorded

        JsonNode items = api.get("/api/v1/audit").json().get("items");
        List<String> actions = items.valueStream().map(e -> e.get("action").asText()).toList().reversed();
        assertThat(actions).containsExactly("organization.create", "domain.create", "mailbox.create",
                "connector.outbound.create", "connector.outbound.update", "policy.anti-spam.update", "user.create",
                "token.create", "user.password", "connector.outbound.delete");

        JsonNode update = entry(items, "connector.outbound.update");
        assertThat(update.get("actor").asText()).isEqualTo("bootstrap token");
        assertThat(update.get("organizationId").asText()).isEqualTo(org);
        assertThat(update.get("targetId").asText()).isEqualTo(connector);
        assertThat(update.get("at").asText()).isEqualTo(AdminFixture.NOW.toString());
        assertThat(update.get("details").toString()).isEqualTo(
                "{\"comment\":{\"from\":null,\"to\":\"paused\"},\"enabled\":{\"from\":true,\"to\":false}}");
        assertThat(entry(items, "policy.anti-spam.update").get("details").get("spamScl").get("to").asInt()).isEqualTo(4);
        assertThat(entry(items, "organization.create").get("organizationId").asText()).isEqualTo(org);
        assertThat(entry(items, "domain.create").get("details").get("domainName").asText()).isEqualTo("contoso.example");

        JsonNode deleted = entry(items, "connector.outbound.delete");
        assertThat(deleted.get("actor").asText()).isEqualTo("ann");
        assertThat(deleted.get("details").get("name").asText()).isEqualTo("Out");
        assertThat(entry(items, "token.create").get("details").get("secret").asText()).isEqualTo("***");
        assertThat(entry(items, "user.password").get("details").get("password").asText()).isEqualTo("***");
        assertThat(entry(items, "user.password").get("organizationId").asText()).isEqualTo(org);
        assertThat(entry(items, "user.create").get("targetId").asText()).isEqualTo(user);

        String everything = api.auditLog.all().toString() + items;
        assertThat(everything).doesNotContain(MAILBOX_PASSWORD, NEW_USER_PASSWORD, PASSWORD, secret, ann.csrfToken);
    }

    @Test
    void actionsOnAQueuedMessageBelongToItsOrganization() {
        String org = api.organization("Contoso");
        QueueId queued = QueueId.next(AdminFixture.NOW.minusSeconds(30));
        api.queue.add(Samples.queued(queued, org, "x@partner.example", AdminFixture.NOW.plusSeconds(60)));

        assertThat(api.post("/api/v1/queue/" + queued + "/retry", null).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/queue/" + queued + "?ndr=true").status()).isEqualTo(204);

        assertThat(api.auditLog.all()).extracting(AuditEntry::action, AuditEntry::organizationId, AuditEntry::targetId)
                .containsExactly(tuple("queue.retry", org, queued.toString()), tuple("queue.delete", org, queued.toString()));
    }

    @Test
    void readsLoginsAndRefusedChangesAreNotRecorded() {
        api.user("ann", AdminRole.GLOBAL_ADMIN, PASSWORD);
        Browser ann = Browser.login(api, "ann", PASSWORD);
        api.get("/api/v1/organizations");
        ann.send("PATCH", "/api/v1/organizations/nope", "{\"name\": \"x\"}");
        ann.send("DELETE", "/api/v1/session", null);

        assertThat(api.auditLog.all()).isEmpty();
    }

    @Test
    void aFailingAuditLogDoesNotFailTheChangeAlreadyMade() {
        api.auditLog.failing = true;
        var created = api.post("/api/v1/organizations", "{\"name\": \"Contoso\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(api.directory.organizations()).hasSize(1);
    }

    @Test
    void anActorTheCallerCannotSeeIsShownByALabelNotByUsername() {
        String contoso = api.organization("Contoso");
        String fabrikam = api.organization("Fabrikam");
        String root = api.userToken(api.user("root-admin", AdminRole.GLOBAL_ADMIN, null));
        String both = api.userToken(api.user("erin.both", AdminRole.ORG_ADMIN, null, contoso, fabrikam));
        String ann = api.userToken(api.user("ann", AdminRole.ORG_ADMIN, null, contoso));
        api.send("PATCH", "/api/v1/organizations/" + contoso, root, "{\"rejectDirectSend\": true}");
        api.send("PATCH", "/api/v1/organizations/" + contoso, both, "{\"rejectDirectSend\": false}");
        api.send("PATCH", "/api/v1/organizations/" + contoso, ann, "{\"rejectDirectSend\": true}");
        String helpdesk = api.userToken(api.user("dave", AdminRole.HELPDESK, null, contoso));

        var seen = api.send("GET", "/api/v1/audit", helpdesk, null);
        assertThat(seen.body()).doesNotContain("root-admin").doesNotContain("erin.both");
        assertThat(seen.json().get("items").valueStream().map(e -> e.get("actor").asText()))
                .containsExactly("ann", "Administrator outside your scope", "Global administrator");
        assertThat(api.send("GET", "/api/v1/audit", root, null).json().get("items").valueStream().map(e -> e.get("actor").asText()))
                .as("a global administrator sees every name").containsExactly("ann", "erin.both", "root-admin");
        assertThat(api.auditLog.all()).extracting(AuditEntry::actor).as("the record keeps the name")
                .containsExactly("root-admin", "erin.both", "ann");
    }

    @Test
    void theLogIsFilteredByOrganizationTimeAndLimit() {
        String a = id(api.post("/api/v1/organizations", "{\"name\": \"A\"}"));
        api.clock.advance(java.time.Duration.ofHours(1));
        String b = id(api.post("/api/v1/organizations", "{\"name\": \"B\"}"));
        api.patch("/api/v1/organizations/" + b, "{\"name\": \"B2\"}");

        assertThat(targets("/api/v1/audit?organizationId=" + a)).containsExactly(a);
        assertThat(targets("/api/v1/audit?from=" + AdminFixture.NOW.plusSeconds(60))).containsExactly(b, b);
        assertThat(targets("/api/v1/audit?to=" + AdminFixture.NOW.plusSeconds(60))).containsExactly(a);
        assertThat(targets("/api/v1/audit?limit=1")).containsExactly(b);
        assertThat(api.get("/api/v1/audit?from=2025-06-02T00:00:00Z&to=2025-06-01T00:00:00Z").status()).isEqualTo(400);
        assertThat(api.get("/api/v1/audit?limit=0").status()).isEqualTo(400);
        assertThat(api.auditLog.all()).extracting(AuditEntry::action)
                .containsExactly("organization.create", "organization.create", "organization.update");
    }

    @Test
    void anOrganizationsLogIsReadWhileTheLogHoldsGlobalEntries() {
        String contoso = api.organization("Contoso");
        String token = api.userToken(api.user("ann", AdminRole.ORG_ADMIN, null, contoso));
        api.patch("/api/v1/organizations/" + contoso, "{\"name\": \"Contoso Ltd\"}");
        api.post("/api/v1/users", "{\"username\": \"root\", \"role\": \"GlobalAdmin\"}");
        assertThat(api.auditLog.all()).anySatisfy(e -> assertThat(e.organizationId()).isNull());

        var reply = api.send("GET", "/api/v1/audit", token, null);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        assertThat(reply.json().get("items").valueStream().map(e -> e.get("action").asText()))
                .containsExactly("organization.update");
    }

    private List<String> targets(String path) {
        return api.get(path).json().get("items").valueStream().map(e -> e.get("targetId").asText()).toList();
    }

    private static JsonNode entry(JsonNode items, String action) {
        return items.valueStream().filter(e -> e.get("action").asText().equals(action)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + action + " in " + items));
    }
}
