package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.mail.Domain;

import static org.assertj.core.api.Assertions.assertThat;

class DkimRoutesTest {

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");

    {
        api.domain(contoso, "contoso.example");
        api.domain(fabrikam, "fabrikam.example");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void aKeyIsCreatedDisabledShowsItsRecordAndRotatesToANewSelector() {
        var created = api.post("/api/v1/dkim", "{\"domainName\": \"contoso.example\", \"keyType\": \"Ed25519\"}");
        assertThat(created.status()).isEqualTo(201);
        var key = created.json();
        String id = key.get("id").asText();
        assertThat(key.get("enabled").asBoolean()).isFalse();
        assertThat(key.get("keyType").asText()).isEqualTo("Ed25519");
        assertThat(key.get("dnsName").asText()).matches("sluice-\\d{8}-[0-9a-f]{4}\\._domainkey\\.contoso\\.example");
        assertThat(key.get("dnsRecord").asText()).startsWith("v=DKIM1; k=ed25519; p=");
        assertThat(created.body()).doesNotContain("PRIVATE");
        assertThat(api.dkimKeys.activeFor(contoso, Domain.of("contoso.example"))).isEmpty();

        assertThat(api.patch("/api/v1/dkim/" + id, "{\"enabled\": true}").json().get("enabled").asBoolean()).isTrue();
        var rotated = api.post("/api/v1/dkim/" + id + "/rotate", "{\"keyType\": \"Rsa2048\"}");
        assertThat(rotated.status()).isEqualTo(201);
        assertThat(rotated.json().get("dnsRecord").asText()).startsWith("v=DKIM1; k=rsa; p=");
        assertThat(api.get("/api/v1/dkim/" + id).json().get("enabled").asBoolean()).as("old key off").isFalse();
        assertThat(api.dkimKeys.activeFor(contoso, Domain.of("contoso.example"))).map(k -> k.id())
                .contains(rotated.json().get("id").asText());
        assertThat(api.get("/api/v1/dkim?organizationId=" + contoso).ids()).hasSize(2);
        assertThat(api.delete("/api/v1/dkim/" + id).status()).isEqualTo(204);
    }

    @Test
    void onlyAcceptedDomainsOfTheOrganizationGetKeysAndBadInputIsReported() {
        var bad = api.post("/api/v1/dkim", "{\"domainName\": \"elsewhere.example\", \"keyType\": \"Dsa\", \"selector\": \"Bad_Sel\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("#/domainName", "#/keyType", "#/selector");
        var wrongOrg = api.post("/api/v1/dkim", "{\"organizationId\": \"" + contoso + "\", \"domainName\": \"fabrikam.example\"}");
        assertThat(wrongOrg.status()).isEqualTo(400);
    }

    @Test
    void keysAreScopedToTheCallersOrganizationAndHelpdeskMayOnlyRead() {
        String fabrikamKey = api.post("/api/v1/dkim", "{\"domainName\": \"fabrikam.example\"}").json().get("id").asText();
        String orgAdmin = api.tokenFor(Role.ORG_ADMIN, contoso);
        String helpdesk = api.tokenFor(Role.HELPDESK, contoso);
        assertThat(api.send("GET", "/api/v1/dkim/" + fabrikamKey, orgAdmin, null).status()).isEqualTo(404);
        assertThat(api.send("PATCH", "/api/v1/dkim/" + fabrikamKey, orgAdmin, "{\"enabled\": true}").status()).isEqualTo(404);
        assertThat(api.send("POST", "/api/v1/dkim", orgAdmin, "{\"domainName\": \"fabrikam.example\"}").status()).isEqualTo(400);
        var own = api.send("POST", "/api/v1/dkim", orgAdmin, "{\"domainName\": \"contoso.example\"}");
        assertThat(own.status()).isEqualTo(201);
        String ownId = own.json().get("id").asText();
        assertThat(api.send("GET", "/api/v1/dkim", orgAdmin, null).ids()).containsExactly(ownId);
        assertThat(api.send("GET", "/api/v1/dkim/" + ownId, helpdesk, null).status()).isEqualTo(200);
        assertThat(api.send("POST", "/api/v1/dkim/" + ownId + "/rotate", helpdesk, null).status()).isEqualTo(403);
        assertThat(api.send("DELETE", "/api/v1/dkim/" + ownId, helpdesk, null).status()).isEqualTo(403);
    }
}
