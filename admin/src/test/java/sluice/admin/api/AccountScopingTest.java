package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;
import sluice.core.account.AdminRole;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Accounts are scoped like everything else: an organization administrator of Contoso manages the
 * accounts of Contoso only and cannot make a global administrator; a helpdesk account changes nothing.
 * The callers here are stored accounts using their own API tokens, as automation would.
 */
class AccountScopingTest {

    private static final String PASSWORD = "correct horse battery";

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");
    private final String contosoAdminId = api.user("c-admin", AdminRole.ORG_ADMIN, PASSWORD, contoso);
    private final String contosoDeskId = api.user("c-desk", AdminRole.HELPDESK, PASSWORD, contoso);
    private final String fabrikamDeskId = api.user("f-desk", AdminRole.HELPDESK, PASSWORD, fabrikam);
    private final String bothDeskId = api.user("both-desk", AdminRole.HELPDESK, PASSWORD, contoso, fabrikam);
    private final String rootId = api.user("root", AdminRole.GLOBAL_ADMIN, PASSWORD);
    private final String contosoAdmin = api.userToken(contosoAdminId);
    private final String contosoDesk = api.userToken(contosoDeskId);
    private final String fabrikamDeskToken = api.userToken(fabrikamDeskId);

    @AfterEach
    void stop() {
        api.close();
    }

    private AdminFixture.Reply as(String token, String method, String path, String body) {
        return api.send(method, path, token, body);
    }

    @Test
    void anOrganizationAdministratorSeesOnlyAccountsEntirelyWithinItsOrganizations() {
        assertThat(as(contosoAdmin, "GET", "/api/v1/users", null).ids()).containsExactlyInAnyOrder(contosoAdminId, contosoDeskId);
        assertThat(api.get("/api/v1/users").ids()).hasSize(5);
        for (String other : List.of(fabrikamDeskId, bothDeskId, rootId)) {
            assertThat(as(contosoAdmin, "GET", "/api/v1/users/" + other, null).status()).isEqualTo(404);
            assertThat(as(contosoAdmin, "PATCH", "/api/v1/users/" + other, "{\"enabled\": false}").status()).isEqualTo(404);
            assertThat(as(contosoAdmin, "DELETE", "/api/v1/users/" + other, null).status()).isEqualTo(404);
            assertThat(as(contosoAdmin, "POST", "/api/v1/users/" + other + "/password", "{\"password\": \"0123456789abc\"}")
                    .status()).isEqualTo(404);
        }
        assertThat(as(contosoAdmin, "GET", "/api/v1/users?organizationId=" + fabrikam, null).status()).isEqualTo(404);
        assertThat(api.users.user(fabrikamDeskId).orElseThrow().enabled()).isTrue();
    }

    @Test
    void anOrganizationAdministratorCreatesAccountsInItsOwnOrganizationOnlyAndNeverAGlobalAdministrator() {
        var own = as(contosoAdmin, "POST", "/api/v1/users", """
                {"username": "c-new", "role": "Helpdesk", "organizationIds": ["%s"]}""".formatted(contoso));
        var theirs = as(contosoAdmin, "POST", "/api/v1/users", """
                {"username": "f-new", "role": "OrgAdmin", "organizationIds": ["%s"]}""".formatted(fabrikam));
        var global = as(contosoAdmin, "POST", "/api/v1/users", """
                {"username": "root2", "role": "GlobalAdmin", "organizationIds": []}""");
        var promote = as(contosoAdmin, "PATCH", "/api/v1/users/" + contosoDeskId, "{\"role\": \"GlobalAdmin\", \"organizationIds\": []}");
        var widen = as(contosoAdmin, "PATCH", "/api/v1/users/" + contosoDeskId, "{\"organizationIds\": [\"%s\", \"%s\"]}"
                .formatted(contoso, fabrikam));

        assertThat(own.status()).isEqualTo(201);
        assertThat(theirs.status()).isEqualTo(400);
        assertThat(theirs.json().get("errors").get(0).get("detail").asText()).isEqualTo("no such organization: " + fabrikam);
        assertThat(global.status()).isEqualTo(403);
        assertThat(promote.status()).isEqualTo(403);
        assertThat(widen.status()).isEqualTo(400);
        assertThat(api.users.userByName("f-new")).isEmpty();
        assertThat(api.users.user(contosoDeskId).orElseThrow().role()).isEqualTo(AdminRole.HELPDESK);
    }

    @Test
    void aHelpdeskAccountReadsItsOrganizationButChangesNothing() {
        String domain = api.domain(contoso, "contoso.example");
        assertThat(as(contosoDesk, "GET", "/api/v1/domains", null).ids()).containsExactly(domain);
        assertThat(as(contosoDesk, "GET", "/api/v1/users", null).ids()).contains(contosoDeskId);

        var changes = List.of(
                as(contosoDesk, "PATCH", "/api/v1/organizations/" + contoso, "{\"name\": \"Mine\"}"),
                as(contosoDesk, "POST", "/api/v1/domains", "{\"organizationId\": \"%s\", \"domainName\": \"x.example\"}".formatted(contoso)),
                as(contosoDesk, "DELETE", "/api/v1/domains/" + domain, null),
                as(contosoDesk, "POST", "/api/v1/users", "{\"username\": \"x\", \"role\": \"Helpdesk\", \"organizationIds\": [\"%s\"]}"
                        .formatted(contoso)),
                as(contosoDesk, "PATCH", "/api/v1/users/" + contosoAdminId, "{\"enabled\": false}"),
                as(contosoDesk, "PATCH", "/api/v1/policies/anti-spam/" + contoso, "{\"spamScl\": 9}"));

        assertThat(changes).allSatisfy(r -> assertThat(r.status()).as(r.body()).isEqualTo(403));
        assertThat(api.directory.acceptedDomain(domain)).isPresent();
        assertThat(api.users.user(contosoAdminId).orElseThrow().enabled()).isTrue();
        assertThat(api.auditLog.all()).isEmpty();
    }

    @Test
    void tokensOfOtherOrganizationsAccountsCanBeNeitherListedNorRevoked() {
        String fabrikamTokenId = api.users.tokens(fabrikamDeskId).getFirst().id();

        assertThat(as(contosoAdmin, "GET", "/api/v1/tokens?userId=" + fabrikamDeskId, null).status()).isEqualTo(404);
        assertThat(as(contosoAdmin, "GET", "/api/v1/tokens/" + fabrikamTokenId, null).status()).isEqualTo(404);
        assertThat(as(contosoAdmin, "DELETE", "/api/v1/tokens/" + fabrikamTokenId, null).status()).isEqualTo(404);
        assertThat(as(contosoAdmin, "GET", "/api/v1/tokens?all=true", null).status()).isEqualTo(403);
        assertThat(as(fabrikamDeskToken, "GET", "/api/v1/organizations", null).status()).isEqualTo(200);

        // Within its organization it manages: a Contoso helpdesk account's token can be revoked by Contoso's admin.
        String deskTokenId = api.users.tokens(contosoDeskId).getFirst().id();
        assertThat(as(contosoAdmin, "GET", "/api/v1/tokens?userId=" + contosoDeskId, null).ids()).containsExactly(deskTokenId);
        assertThat(as(contosoAdmin, "DELETE", "/api/v1/tokens/" + deskTokenId, null).status()).isEqualTo(204);
        assertThat(as(contosoDesk, "GET", "/api/v1/organizations", null).status()).isEqualTo(401);
    }

    @Test
    void theAuditLogShowsEachOrganizationOnlyItsOwnChanges() {
        api.post("/api/v1/domains", "{\"organizationId\": \"%s\", \"domainName\": \"contoso.example\"}".formatted(contoso));
        api.post("/api/v1/domains", "{\"organizationId\": \"%s\", \"domainName\": \"fabrikam.example\"}".formatted(fabrikam));

        var own = as(contosoDesk, "GET", "/api/v1/audit", null).json().get("items");
        assertThat(own).hasSize(1);
        assertThat(own.get(0).get("organizationId").asText()).isEqualTo(contoso);
        assertThat(as(contosoAdmin, "GET", "/api/v1/audit?organizationId=" + fabrikam, null).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/audit").json().get("items")).hasSize(2);
    }
}
