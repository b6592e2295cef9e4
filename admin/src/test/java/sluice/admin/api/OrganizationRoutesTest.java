package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;
import sluice.core.account.AdminRole;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class OrganizationRoutesTest {

    private final AdminFixture api = new AdminFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void createReadRenameAndDeleteAnOrganization() {
        var created = api.post("/api/v1/organizations", "{\"name\": \" Contoso \", \"rejectDirectSend\": true}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).isEqualTo("/api/v1/organizations/" + id);
        assertThat(created.body()).isEqualTo("{\"id\":\"" + id + "\",\"name\":\"Contoso\",\"rejectDirectSend\":true}");

        assertThat(api.get("/api/v1/organizations").ids()).containsExactly(id);
        assertThat(api.get("/api/v1/organizations/" + id).json().get("name").asText()).isEqualTo("Contoso");

        var renamed = api.patch("/api/v1/organizations/" + id, "{\"name\": \"Contoso Ltd\"}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("name").asText()).isEqualTo("Contoso Ltd");
        assertThat(renamed.json().get("rejectDirectSend").asBoolean()).isTrue();

        assertThat(api.delete("/api/v1/organizations/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/organizations/" + id).status()).isEqualTo(404);
    }

    @Test
    void aBlankNameIsAFieldError() {
        var reply = api.post("/api/v1/organizations", "{\"name\": \"  \"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/name");
        assertThat(reply.json().get("errors").get(0).get("detail").asText()).isEqualTo("must not be blank");
        assertThat(api.post("/api/v1/organizations", "{}").json().get("errors").get(0).get("detail").asText())
                .isEqualTo("is required");
    }

    @Test
    void aTakenNameIsAConflict() {
        api.organization("Contoso");

        var reply = api.post("/api/v1/organizations", "{\"name\": \"contoso\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("detail").asText()).contains("already exists");
    }

    @Test
    void anOrganizationAdministratorIsNotToldThatAnotherOrganizationHoldsAName() {
        String contoso = api.organization("Contoso");
        String northwind = api.organization("Northwind");
        api.organization("Fabrikam Secret Tenant");
        String ann = api.userToken(api.user("ann", AdminRole.ORG_ADMIN, null, contoso, northwind));

        var elsewhere = api.send("PATCH", "/api/v1/organizations/" + contoso, ann, "{\"name\": \"fabrikam secret tenant\"}");
        var ownOther = api.send("PATCH", "/api/v1/organizations/" + contoso, ann, "{\"name\": \"Northwind\"}");

        for (var reply : java.util.List.of(elsewhere, ownOther)) {
            assertThat(reply.status()).isEqualTo(409);
            assertThat(reply.json().get("detail").asText()).isEqualTo("That name cannot be used; choose another.");
            assertThat(reply.body()).doesNotContainIgnoringCase("fabrikam").doesNotContain("Northwind").doesNotContain("exists");
        }
        assertThat(api.directory.organization(contoso).orElseThrow().name()).isEqualTo("Contoso");
        assertThat(api.auditLog.all()).extracting(e -> e.action(), e -> e.organizationId(), e -> e.targetId(), e -> e.details())
                .as("recorded under each organization of the caller, whose budget it spends")
                .containsExactlyInAnyOrder(tuple("organization.update.refused", contoso, contoso, "{\"refused\":[\"name unavailable\"]}"),
                        tuple("organization.update.refused", northwind, contoso, "{\"refused\":[\"name unavailable\"]}"),
                        tuple("organization.update.refused", contoso, contoso, "{\"refused\":[\"name unavailable\"]}"),
                        tuple("organization.update.refused", northwind, contoso, "{\"refused\":[\"name unavailable\"]}"));
        assertThat(api.auditLog.all()).allSatisfy(e -> assertThat(e.actor()).isEqualTo("ann"));
    }

    @Test
    void probingForOrganizationNamesIsThrottledAcrossTheCallersOrganizations() {
        String contoso = api.organization("Contoso");
        String northwind = api.organization("Northwind");
        api.organization("Fabrikam Secret Tenant");
        String ann = api.userToken(api.user("ann", AdminRole.ORG_ADMIN, null, contoso, northwind));
        for (int i = 0; i < 10; i++)
            assertThat(api.send("PATCH", "/api/v1/organizations/" + contoso, ann, "{\"name\": \"Fabrikam Secret Tenant\"}").status())
                    .as("refusal " + i).isEqualTo(409);

        assertThat(api.send("PATCH", "/api/v1/organizations/" + northwind, ann, "{\"name\": \"Fabrikam Secret Tenant\"}").status())
                .as("counted against every organization of the caller, not the one renamed").isEqualTo(429);
        assertThat(api.send("PATCH", "/api/v1/organizations/" + contoso, ann, "{\"name\": \"Contoso Ltd\"}").status())
                .as("a free name, while the caller waits").isEqualTo(429);
        assertThat(api.send("PATCH", "/api/v1/organizations/" + contoso, ann, "{\"rejectDirectSend\": true}").status())
                .as("a change that sets no name").isEqualTo(200);
        assertThat(api.patch("/api/v1/organizations/" + contoso, "{\"name\": \"Fabrikam Secret Tenant\"}").status())
                .as("a global administrator is not limited").isEqualTo(409);
        assertThat(api.auditLog.all()).filteredOn(e -> e.action().endsWith(".refused"))
                .as("ten refusals, each in both organizations' logs").hasSize(20);
    }

    @Test
    void aGlobalAdministratorIsToldTheNameIsTaken() {
        String contoso = api.organization("Contoso");
        api.organization("Fabrikam");

        var reply = api.patch("/api/v1/organizations/" + contoso, "{\"name\": \"Fabrikam\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("detail").asText()).contains("Fabrikam").contains("already exists");
    }

    @Test
    void anUnknownOrganizationIs404ForEveryMethod() {
        assertThat(api.get("/api/v1/organizations/nope").status()).isEqualTo(404);
        assertThat(api.patch("/api/v1/organizations/nope", "{\"name\": \"x\"}").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/organizations/nope").status()).isEqualTo(404);
    }

    @Test
    void anOrganizationWithDomainsCannotBeDeleted() {
        String org = api.organization("Contoso");
        api.domain(org, "contoso.example");

        var reply = api.delete("/api/v1/organizations/" + org);

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("detail").asText()).contains("delete them first");
        assertThat(api.directory.organization(org)).isPresent();
    }
}
