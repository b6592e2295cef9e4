package sluice.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.filter.dkim.DkimKeys;
import sluice.core.mail.Domain;
import sluice.core.org.DkimSigningKey;

import java.security.KeyPair;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Contoso held contoso.example and signed its mail with a key; it deleted the domain, and Fabrikam
 * verified it and enabled a key of its own. Contoso's key went with the domain (and the audit log
 * says so); a key left behind by an earlier version can be neither enabled nor rotated; Fabrikam's key
 * stays the one that signs.
 */
class DkimKeysFollowTheirDomainTest {

    private static final Domain CONTOSO = Domain.of("contoso.example");

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");
    private final String contosoAdmin = api.tokenFor(Role.ORG_ADMIN, contoso);

    @AfterEach
    void stop() {
        api.close();
    }

    private String enabledKey(String token, String domainName) {
        var created = api.send("POST", "/api/v1/dkim", token, "{\"domainName\": \"" + domainName + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(api.send("PATCH", "/api/v1/dkim/" + id, token, "{\"enabled\": true}").status()).isEqualTo(200);
        return id;
    }

    @Test
    void deletingAnAcceptedDomainDeletesTheOrganizationsKeysForItAndTheAuditLogSaysSo() {
        String domain = api.domain(contoso, "contoso.example");
        api.domain(contoso, "contoso.test");
        String gone = enabledKey(contosoAdmin, "contoso.example");
        String kept = enabledKey(contosoAdmin, "contoso.test");

        assertThat(api.send("DELETE", "/api/v1/domains/" + domain, contosoAdmin, null).status()).isEqualTo(204);

        assertThat(api.send("GET", "/api/v1/dkim/" + gone, contosoAdmin, null).status()).isEqualTo(404);
        assertThat(api.send("GET", "/api/v1/dkim", contosoAdmin, null).ids()).containsExactly(kept);
        JsonNode entries = api.send("GET", "/api/v1/audit", contosoAdmin, null).json().get("items");
        JsonNode deletion = entries.valueStream().filter(e -> e.get("action").asText().equals("dkim.delete")).findFirst().orElseThrow();
        assertThat(deletion.get("targetId").asText()).isEqualTo(gone);
        assertThat(deletion.get("organizationId").asText()).isEqualTo(contoso);
        assertThat(deletion.get("actor").asText()).isEqualTo(entries.get(0).get("actor").asText());
        assertThat(deletion.get("details").get("domainName").asText()).isEqualTo("contoso.example");
        assertThat(deletion.get("details").get("reason").asText())
                .isEqualTo("deleted with the accepted domain contoso.example (" + domain + ")");
        assertThat(entries.get(0).get("action").asText()).isEqualTo("domain.delete");

        api.domain(fabrikam, "contoso.example");
        String fabrikams = enabledKey(api.tokenFor(Role.ORG_ADMIN, fabrikam), "contoso.example");
        assertThat(api.dkimKeys.activeFor(fabrikam, CONTOSO)).map(DkimSigningKey::id).contains(fabrikams);
    }

    @Test
    void aKeyLeftBehindCanNeitherBeEnabledNorRotatedButCanBeDeleted() {
        api.domain(fabrikam, "contoso.example");
        String fabrikams = enabledKey(api.tokenFor(Role.ORG_ADMIN, fabrikam), "contoso.example");
        KeyPair pair = DkimKeys.generate(DkimKeys.KeyType.ED25519);
        String stale = api.dkimKeys.create(new DkimSigningKey("", contoso, CONTOSO, "old", "ED25519", DkimKeys.toPem(pair.getPrivate()),
                DkimKeys.dnsRecord(pair.getPublic()), false, AdminFixture.NOW)).id();

        var enable = api.send("PATCH", "/api/v1/dkim/" + stale, contosoAdmin, "{\"enabled\": true}");
        var rotate = api.send("POST", "/api/v1/dkim/" + stale + "/rotate", contosoAdmin, null);

        assertThat(enable.status()).isEqualTo(409);
        assertThat(enable.json().get("detail").asText()).isEqualTo("contoso.example is no longer an accepted domain of this "
                + "organization, so its DKIM key cannot be enabled or rotated. Delete the key; to sign for the domain again, "
                + "add the domain and create a new key.");
        assertThat(rotate.status()).isEqualTo(409);
        assertThat(rotate.json().get("detail").asText()).isEqualTo(enable.json().get("detail").asText());
        assertThat(api.dkimKeys.keys(contoso)).singleElement().satisfies(k -> assertThat(k.enabled()).isFalse());
        assertThat(api.dkimKeys.activeFor(fabrikam, CONTOSO)).map(DkimSigningKey::id).contains(fabrikams);

        assertThat(api.send("PATCH", "/api/v1/dkim/" + stale, contosoAdmin, "{\"enabled\": false}").status()).isEqualTo(200);
        assertThat(api.send("DELETE", "/api/v1/dkim/" + stale, contosoAdmin, null).status()).isEqualTo(204);
        assertThat(api.dkimKeys.keys(contoso)).isEmpty();
    }
}
