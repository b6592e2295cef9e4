package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;
import sluice.admin.testing.Browser;
import sluice.core.account.AdminRole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class UserRoutesTest {

    private static final String BASE = "/api/v1/users";
    private static final String PASSWORD = "correct horse battery";

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theBootstrapTokenCreatesAnOrganizationAdministratorWhoCanLogInAndThePasswordIsNeverAnswered() {
        var created = api.post(BASE, """
                {"username": "Ann", "displayName": "Ann Admin", "role": "OrgAdmin", "organizationIds": ["%s"],
                 "password": "%s"}""".formatted(contoso, PASSWORD));

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).isEqualTo(BASE + "/" + id);
        assertThat(created.body()).isEqualTo("""
                {"id":"%s","username":"Ann","displayName":"Ann Admin","role":"OrgAdmin","organizationIds":["%s"],\
                "enabled":true,"passwordSet":true}""".formatted(id, contoso));
        assertThat(api.users.user(id).orElseThrow().passwordHash()).startsWith("$argon2id$");
        assertThat(Browser.login(api, "ann", PASSWORD).send("GET", "/api/v1/organizations", null).ids()).containsExactly(contoso);
        assertThat(api.bodies()).noneMatch(b -> b.contains(PASSWORD) || b.contains("argon2"));
    }

    @Test
    void usernamesAreUniqueRegardlessOfCase() {
        api.user("ann", AdminRole.HELPDESK, null, contoso);
        var again = api.post(BASE, """
                {"username": "ANN", "role": "Helpdesk", "organizationIds": ["%s"]}""".formatted(contoso));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("detail").asText()).contains("ANN");
    }

    @Test
    void anOrganizationAdministratorIsNotToldWhetherOrWhereAUsernameIsTaken() {
        String fabrikam = api.organization("Fabrikam");
        api.user("root-admin", AdminRole.GLOBAL_ADMIN, null);
        api.user("bob.fabrikam", AdminRole.ORG_ADMIN, null, fabrikam);
        api.user("carol", AdminRole.HELPDESK, null, contoso);
        String helpdesk = api.user("dave", AdminRole.HELPDESK, null, contoso);
        String ann = api.userToken(api.user("ann", AdminRole.ORG_ADMIN, null, contoso));
        String create = """
                {"username": "%s", "role": "Helpdesk", "organizationIds": ["%s"]}""";

        var replies = java.util.List.of(
                api.send("POST", BASE, ann, create.formatted("ROOT-admin", contoso)),
                api.send("POST", BASE, ann, create.formatted("BOB.fabrikam", contoso)),
                api.send("POST", BASE, ann, create.formatted("Carol", contoso)),
                api.send("PATCH", BASE + "/" + helpdesk, ann, "{\"username\": \"Bob.Fabrikam\"}"));

        for (var reply : replies) {
            assertThat(reply.status()).isEqualTo(409);
            assertThat(reply.json().get("detail").asText()).isEqualTo("That username is unavailable; choose another.");
            assertThat(reply.body()).doesNotContainIgnoringCase("root").doesNotContainIgnoringCase("bob")
                    .doesNotContainIgnoringCase("carol").doesNotContain("exists");
        }
        assertThat(api.users.user(helpdesk).orElseThrow().username()).isEqualTo("dave");
        String refused = "{\"refused\":[\"username unavailable\"]}";
        assertThat(api.auditLog.all()).extracting(e -> e.action(), e -> e.organizationId(), e -> e.targetId(), e -> e.details())
                .containsExactly(tuple("user.create.refused", contoso, null, refused), tuple("user.create.refused", contoso, null, refused),
                        tuple("user.create.refused", contoso, null, refused), tuple("user.update.refused", contoso, helpdesk, refused));
    }

    @Test
    void probingForUsernamesIsThrottledPerOrganizationOfTheCaller() {
        String fabrikam = api.organization("Fabrikam");
        api.user("bob.fabrikam", AdminRole.ORG_ADMIN, null, fabrikam);
        String dave = api.user("dave", AdminRole.HELPDESK, null, contoso);
        String ann = api.userToken(api.user("ann", AdminRole.ORG_ADMIN, null, contoso));
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++)
            statuses.add(api.send("PATCH", BASE + "/" + dave, ann, "{\"username\": \"bob.fabrikam\"}").status());

        assertThat(statuses.subList(0, 10)).containsOnly(409);
        assertThat(statuses.subList(10, 50)).containsOnly(429);
        var free = api.send("PATCH", BASE + "/" + dave, ann, "{\"username\": \"nobody-1\"}");
        assertThat(free.status()).as("a free name is no answer either, while the organization waits").isEqualTo(429);
        assertThat(free.header("Retry-After")).isEqualTo("60");
        var created = api.send("POST", BASE, ann, """
                {"username": "nobody-2", "role": "Helpdesk", "organizationIds": ["%s"]}""".formatted(contoso));
        assertThat(created.status()).as("a create names an account too").isEqualTo(429);
        assertThat(api.send("PATCH", BASE + "/" + dave, ann, "{\"enabled\": false}").status())
                .as("a change that sets no name goes on").isEqualTo(200);
        assertThat(api.auditLog.all()).filteredOn(e -> e.action().endsWith(".refused")).hasSize(10);
        assertThat(api.patch(BASE + "/" + dave, "{\"username\": \"bob.fabrikam\"}").json().get("detail").asText())
                .as("a global administrator is told, unthrottled").contains("bob.fabrikam");

        api.clock.advance(java.time.Duration.ofMinutes(1));
        assertThat(api.send("PATCH", BASE + "/" + dave, ann, "{\"username\": \"nobody-1\"}").status()).isEqualTo(200);
    }

    @Test
    void aRefusalIsRecordedUnderEveryOrganizationItIsCountedAgainst() {
        String northwind = api.organization("Northwind");
        String fabrikam = api.organization("Fabrikam");
        api.user("bob.fabrikam", AdminRole.ORG_ADMIN, null, fabrikam);
        String erin = api.userToken(api.user("erin.both", AdminRole.ORG_ADMIN, null, contoso, northwind));
        String ann = api.userToken(api.user("ann", AdminRole.ORG_ADMIN, null, contoso));
        for (int i = 0; i < 10; i++)
            assertThat(api.send("POST", BASE, erin, """
                    {"username": "bob.fabrikam", "role": "Helpdesk", "organizationIds": ["%s", "%s"]}""".formatted(contoso, northwind))
                    .status()).isEqualTo(409);

        assertThat(api.send("POST", BASE, ann, """
                {"username": "carol", "role": "Helpdesk", "organizationIds": ["%s"]}""".formatted(contoso)).status()).isEqualTo(429);
        assertThat(api.auditLog.all()).filteredOn(e -> e.action().equals("user.create.refused"))
                .extracting(e -> e.organizationId()).containsOnly(contoso, northwind).hasSize(20);
        var annReads = api.send("GET", "/api/v1/audit", ann, null);
        assertThat(annReads.json().get("items").valueStream().map(e -> e.get("action").asText()))
                .as("Contoso's other administrator sees why Contoso is throttled").hasSize(10).containsOnly("user.create.refused");
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        var reply = api.post(BASE, """
                {"username": "ann smith", "role": "Emperor", "organizationIds": ["nope"], "password": "short"}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").findValuesAsText("pointer"))
                .containsExactlyInAnyOrder("#/role", "#/organizationIds", "#/password");
        assertThat(reply.body()).contains("12 to 256 characters").doesNotContain("short\"");

        var badName = api.post(BASE, """
                {"username": "ann smith", "role": "Helpdesk", "organizationIds": ["%s"]}""".formatted(contoso));
        assertThat(badName.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/username");
        var scopedGlobal = api.post(BASE, """
                {"username": "root", "role": "GlobalAdmin", "organizationIds": ["%s"]}""".formatted(contoso));
        assertThat(scopedGlobal.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/organizationIds");
        var unscoped = api.post(BASE, """
                {"username": "desk", "role": "Helpdesk"}""");
        assertThat(unscoped.json().get("errors").get(0).get("detail").asText()).isEqualTo("must name at least one organization");
    }

    @Test
    void patchChangesRoleAndEnabledAndDeleteRemovesTheAccountWithItsTokens() {
        String id = api.user("ann", AdminRole.HELPDESK, PASSWORD, contoso);
        String token = api.userToken(id);

        var patched = api.patch(BASE + "/" + id, "{\"role\": \"OrgAdmin\", \"enabled\": false}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("role").asText()).isEqualTo("OrgAdmin");
        assertThat(patched.json().get("enabled").asBoolean()).isFalse();
        assertThat(patched.json().get("organizationIds").get(0).asText()).isEqualTo(contoso);

        assertThat(api.delete(BASE + "/" + id).status()).isEqualTo(204);
        assertThat(api.get(BASE + "/" + id).status()).isEqualTo(404);
        assertThat(api.users.tokens(null)).isEmpty();
        assertThat(api.send("GET", "/api/v1/organizations", token, null).status()).isEqualTo(401);
    }

    @Test
    void anAdministratorResetsAPasswordAndAUserChangingItsOwnMustGiveTheCurrentOne() {
        String id = api.user("ann", AdminRole.ORG_ADMIN, PASSWORD, contoso);

        assertThat(api.post(BASE + "/" + id + "/password", "{\"password\": \"a brand new secret\"}").status()).isEqualTo(204);
        assertThat(Browser.loginReply(api, "ann", PASSWORD).status()).isEqualTo(401);
        Browser ann = Browser.login(api, "ann", "a brand new secret");

        var withoutCurrent = ann.send("POST", BASE + "/" + id + "/password", "{\"password\": \"yet another secret\"}");
        assertThat(withoutCurrent.status()).isEqualTo(400);
        assertThat(withoutCurrent.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/currentPassword");
        var withCurrent = ann.send("POST", BASE + "/" + id + "/password",
                "{\"password\": \"yet another secret\", \"currentPassword\": \"a brand new secret\"}");
        assertThat(withCurrent.status()).isEqualTo(204);
        Browser.login(api, "ann", "yet another secret");
    }

    @Test
    void noOneDeletesOrDisablesTheirOwnAccount() {
        String id = api.user("root", AdminRole.GLOBAL_ADMIN, PASSWORD);
        Browser root = Browser.login(api, "root", PASSWORD);

        assertThat(root.send("DELETE", BASE + "/" + id, null).status()).isEqualTo(409);
        assertThat(root.send("PATCH", BASE + "/" + id, "{\"enabled\": false}").status()).isEqualTo(400);
        assertThat(api.users.user(id).orElseThrow().enabled()).isTrue();
    }
}
