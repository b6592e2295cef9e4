package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.account.AdminRole;
import sluice.core.account.AuditEntry;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A refused inbound connector change tells an organization administrator something about other organizations
 * (someone else's connector covers this range). One request at a time, a tenant could map them: each refusal
 * is recorded in the audit log, by rule and not by what the others hold, and an organization gets at most 10
 * a minute, whichever of its administrators asks, then 429 with Retry-After.
 */
class RefusedConnectorChangesTest {

    private static final String BASE = "/api/v1/connectors/inbound";

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");
    private final String fabrikamsServers;
    private final String admin = api.tokenFor(Role.ORG_ADMIN, contoso);

    RefusedConnectorChangesTest() {
        var reply = api.post(BASE, """
                {"organizationId": "%s", "name": "Fabrikam's servers", "connectorType": "OnPremises", "senderIpAddresses": ["192.0.2.0/24"]}
                """.formatted(fabrikam));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        fabrikamsServers = reply.json().get("id").asText();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private AdminFixture.Reply create(String token, String fields) {
        return api.send("POST", BASE, token, "{\"organizationId\": \"%s\", \"name\": \"n%s\", \"connectorType\": \"OnPremises\", %s}"
                .formatted(contoso, UUID.randomUUID(), fields));
    }

    private List<AuditEntry> refusals() {
        return api.auditLog.all().stream().filter(e -> e.action().endsWith(".refused")).toList();
    }

    @Test
    void aRefusedChangeIsAuditedByItsRuleWithoutWhatAnotherOrganizationHolds() {
        assertThat(create(admin, "\"senderIpAddresses\": [\"198.51.100.0/24\", \"192.0.2.10\"]").status()).isEqualTo(400);
        var mine = create(admin, "\"senderIpAddresses\": [\"198.51.100.0/24\"]");
        assertThat(mine.status()).as(mine.body()).isEqualTo(201);
        String id = mine.json().get("id").asText();
        var widened = api.send("PATCH", BASE + "/" + id, admin,
                "{\"senderIpAddresses\": [\"10.0.0.0/8\"], \"tlsSenderCertificateName\": \"mail.fabrikam.example\"}");
        assertThat(widened.status()).isEqualTo(400);

        assertThat(refusals()).extracting(AuditEntry::action, AuditEntry::organizationId, AuditEntry::targetId, AuditEntry::details)
                .containsExactly(
                        tuple("connector.inbound.create.refused", contoso, null,
                                "{\"refused\":[\"sender range overlaps another organization's connector\"]}"),
                        tuple("connector.inbound.update.refused", contoso, id,
                                "{\"refused\":[\"sender range wider than allowed\","
                                        + "\"certificate name outside the organization's accepted domains\"]}"));
        assertThat(refusals()).allSatisfy(e -> assertThat(e.actor()).startsWith("ORG_ADMIN"));
        assertThat(api.auditLog.all()).filteredOn(e -> contoso.equals(e.organizationId())).extracting(AuditEntry::toString)
                .noneMatch(s -> s.contains("192.0.2") || s.contains(fabrikamsServers) || s.contains(fabrikam))
                .as("the successful create is audited as always").anyMatch(s -> s.contains("action=connector.inbound.create,"));
    }

    @Test
    void aSmartHostRefusedAsThisNodeIsAuditedAndCountedWithTheInboundRefusals() {
        String outbound = "/api/v1/connectors/outbound";
        String body = "{\"organizationId\": \"%s\", \"name\": \"n%s\", \"connectorType\": \"OnPremises\", \"isTransportRuleScoped\": true, \"smartHosts\": [\"%s\"]}";
        var refused = api.send("POST", outbound, admin, body.formatted(contoso, UUID.randomUUID(), "127.0.0.1:2525"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        var mine = api.send("POST", outbound, admin, body.formatted(contoso, UUID.randomUUID(), "198.51.100.7"));
        assertThat(mine.status()).as(mine.body()).isEqualTo(201);
        String id = mine.json().get("id").asText();
        assertThat(api.send("PATCH", outbound + "/" + id, admin, "{\"smartHosts\": [\"[::1]\"]}").status()).isEqualTo(400);
        assertThat(refusals()).extracting(AuditEntry::action, AuditEntry::organizationId, AuditEntry::targetId, AuditEntry::details)
                .containsExactly(
                        tuple("connector.outbound.create.refused", contoso, null, "{\"refused\":[\"smart host is this node itself\"]}"),
                        tuple("connector.outbound.update.refused", contoso, id, "{\"refused\":[\"smart host is this node itself\"]}"));

        for (int i = 0; i < 8; i++)
            assertThat(create(admin, "\"senderIpAddresses\": [\"192.0.2.%d\"]".formatted(i)).status()).as("refusal " + i).isEqualTo(400);
        assertThat(api.send("POST", outbound, admin, body.formatted(contoso, UUID.randomUUID(), "127.0.0.2")).status())
                .as("one budget for both directions").isEqualTo(429);
        assertThat(api.send("PATCH", outbound + "/" + id, admin, "{\"comment\": \"x\"}").status())
                .as("any outbound change, while the organization waits").isEqualTo(429);
        assertThat(api.post(outbound, body.formatted(contoso, UUID.randomUUID(), "127.0.0.1:10025").replace("}", ", \"localHopsAllowed\": true}"))
                .status()).as("a global administrator is not limited").isEqualTo(201);
        assertThat(refusals()).hasSize(10);
    }

    @Test
    void renamingOneselfOrCreatingMoreAdministratorsGivesNoFreshBudget() {
        String mallory = api.user("mallory", AdminRole.ORG_ADMIN, null, contoso);
        String token = api.userToken(mallory);
        for (int i = 0; i < 10; i++)
            assertThat(create(token, "\"senderIpAddresses\": [\"192.0.2.%d\"]".formatted(i)).status()).as("refusal " + i).isEqualTo(400);
        assertThat(create(token, "\"senderIpAddresses\": [\"192.0.2.50\"]").status()).isEqualTo(429);

        String rename = "{\"username\": \"mallory2\"}";
        assertThat(api.send("PATCH", "/api/v1/users/" + mallory, token, rename).status())
                .as("setting a name spends the same budget (NameRefusals)").isEqualTo(429);
        var renamed = api.patch("/api/v1/users/" + mallory, rename);
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(create(token, "\"senderIpAddresses\": [\"192.0.2.51\"]").status()).as("after a rename").isEqualTo(429);

        var sock = api.post("/api/v1/users",
                "{\"username\": \"sock1\", \"role\": \"OrgAdmin\", \"organizationIds\": [\"%s\"]}".formatted(contoso));
        assertThat(sock.status()).as(sock.body()).isEqualTo(201);
        String sockToken = api.userToken(sock.json().get("id").asText());
        assertThat(create(sockToken, "\"senderIpAddresses\": [\"192.0.2.52\"]").status()).as("a new administrator").isEqualTo(429);
        assertThat(refusals()).hasSize(10);
    }

    @Test
    void requestsRacingPastTheCheckGet429OnceTheBudgetIsSpentNotTheReason() throws Exception {
        for (int i = 0; i < 9; i++)
            assertThat(create(admin, "\"senderIpAddresses\": [\"192.0.2.%d\"]".formatted(i)).status()).as("refusal " + i).isEqualTo(400);
        // Two requests, both past the throttle's first check (9 of 10), meet where the ranges are compared.
        CyclicBarrier bothChecked = new CyclicBarrier(2);
        api.connectors.beforeAllInbound = () -> {
            try {
                bothChecked.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        List<Integer> statuses;
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var first = threads.submit(() -> create(admin, "\"senderIpAddresses\": [\"192.0.2.100\"]").status());
            var second = threads.submit(() -> create(admin, "\"senderIpAddresses\": [\"192.0.2.101\"]").status());
            statuses = List.of(first.get(), second.get());
        }
        assertThat(statuses).as("one refusal was left: one reason, one 429").containsExactlyInAnyOrder(400, 429);
        assertThat(refusals()).hasSize(10);
    }

    @Test
    void afterTenRefusalsInAMinuteTheAccountGets429UntilTheOldestIsAMinuteOld() {
        for (int i = 0; i < 10; i++) {
            api.clock.advance(Duration.ofSeconds(1));
            assertThat(create(admin, "\"senderIpAddresses\": [\"192.0.2.%d\"]".formatted(i)).status()).as("refusal " + i).isEqualTo(400);
        }

        var throttled = create(admin, "\"senderIpAddresses\": [\"192.0.2.77\"]");
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.header("Retry-After")).isEqualTo("51"); // the first refusal was 9 seconds ago
        assertThat(throttled.header("Content-Type")).startsWith("application/problem+json");
        assertThat(throttled.json().get("detail").asText()).isEqualTo("Too many refused changes; try again in 51 seconds.");
        assertThat(create(admin, "\"senderIpAddresses\": [\"198.51.100.0/24\"]").status())
                .as("any connector change, while the account waits").isEqualTo(429);
        assertThat(api.connectors.allInbound()).hasSize(1);
        assertThat(refusals()).as("the 429 answered no question: nothing more to record").hasSize(10);

        String colleague = api.tokenFor(Role.ORG_ADMIN, contoso);
        assertThat(create(colleague, "\"senderIpAddresses\": [\"198.51.100.0/24\"]").status())
                .as("per organization: its other administrators wait too").isEqualTo(429);
        String fabrikamsAdmin = api.tokenFor(Role.ORG_ADMIN, fabrikam);
        assertThat(api.send("POST", BASE, fabrikamsAdmin, """
                {"organizationId": "%s", "name": "own", "connectorType": "OnPremises", "senderIpAddresses": ["198.51.100.0/24"]}
                """.formatted(fabrikam)).status()).as("another organization is not").isEqualTo(201);
        assertThat(api.post(BASE, "{\"organizationId\": \"%s\", \"name\": \"wide\", \"connectorType\": \"OnPremises\", \"senderIpAddresses\": [\"10.0.0.0/8\"]}"
                .formatted(contoso)).status()).as("a global administrator is not limited").isEqualTo(201);

        api.clock.advance(Duration.ofSeconds(50));
        assertThat(create(admin, "\"senderIpAddresses\": [\"203.0.113.0/24\"]").header("Retry-After")).isEqualTo("1");
        api.clock.advance(Duration.ofSeconds(1));
        assertThat(create(admin, "\"senderIpAddresses\": [\"203.0.113.0/24\"]").status()).as("the window moved on").isEqualTo(201);
    }
}
