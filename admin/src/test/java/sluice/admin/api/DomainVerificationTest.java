package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.mail.Domain;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An organization administrator cannot make a domain accepted by naming it: it stays pending until a
 * TXT record with its token is published at the domain. Otherwise one tenant could claim a domain
 * that other tenants send to (or a subdomain of theirs) and receive that mail.
 */
class DomainVerificationTest {

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");
    private final String contosoAdmin = api.tokenFor(Role.ORG_ADMIN, contoso);
    private final String fabrikamAdmin = api.tokenFor(Role.ORG_ADMIN, fabrikam);
    private final String contosoDesk = api.tokenFor(Role.HELPDESK, contoso);

    @AfterEach
    void stop() {
        api.close();
    }

    private AdminFixture.Reply add(String token, String org, String domain) {
        return api.send("POST", "/api/v1/domains", token, "{\"organizationId\": \"%s\", \"domainName\": \"%s\"}".formatted(org, domain));
    }

    private AdminFixture.Reply verify(String token, String id) {
        return api.send("POST", "/api/v1/domains/" + id + "/verify", token, null);
    }

    @Test
    void anOrganizationAdministratorsDomainIsPendingUntilItsTxtRecordIsPublished() {
        var added = add(contosoAdmin, contoso, "gmail.com");
        assertThat(added.status()).isEqualTo(201);
        String id = added.json().get("id").asText();
        String record = added.json().get("verificationRecord").asText();
        assertThat(added.json().get("status").asText()).isEqualTo("PendingVerification");
        assertThat(record).matches("sluice-verification=[0-9a-f]{32}");
        assertThat(api.directory.acceptedDomainFor(Domain.of("gmail.com"))).as("routes nothing while pending").isEmpty();
        assertThat(api.send("POST", "/api/v1/mailboxes", contosoAdmin,
                "{\"organizationId\": \"%s\", \"address\": \"x@gmail.com\"}".formatted(contoso)).status()).isEqualTo(400);
        assertThat(api.send("GET", "/api/v1/domains", contosoAdmin, null).ids()).containsExactly(id);

        var missing = verify(contosoAdmin, id);
        assertThat(missing.status()).isEqualTo(409);
        assertThat(missing.json().get("detail").asText()).contains(record, "gmail.com");
        api.txt.put("gmail.com", List.of("v=spf1 -all", "sluice-verification=0000"));
        assertThat(verify(contosoAdmin, id).status()).as("someone else's token").isEqualTo(409);
        api.dnsDown.add("gmail.com");
        var down = verify(contosoAdmin, id);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).isPresent();
        assertThat(api.directory.acceptedDomainFor(Domain.of("gmail.com"))).isEmpty();

        api.dnsDown.clear();
        api.txt.put("gmail.com", List.of("v=spf1 -all", record));
        var verified = verify(contosoAdmin, id);
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.json().get("status").asText()).isEqualTo("Verified");
        assertThat(verified.json().get("verificationRecord").isNull()).isTrue();
        assertThat(api.directory.acceptedDomainFor(Domain.of("gmail.com")).orElseThrow().organizationId()).isEqualTo(contoso);
        assertThat(api.pendingDomains.pending(contoso)).isEmpty();
        assertThat(verify(contosoAdmin, id).json().get("detail").asText()).contains("no accepted domain");
        assertThat(verify(contosoAdmin, verified.json().get("id").asText()).json().get("detail").asText()).contains("verified already");
    }

    @Test
    void aSubdomainOfAnOwnAcceptedDomainNeedsNoRecordButAnotherOrganizationsDoes() {
        api.domain(contoso, "contoso.example");
        var own = add(contosoAdmin, contoso, "sales.contoso.example");
        assertThat(own.status()).isEqualTo(201);
        assertThat(own.json().get("status").asText()).isEqualTo("Verified");

        var theirs = add(fabrikamAdmin, fabrikam, "hr.contoso.example");
        assertThat(theirs.json().get("status").asText()).as("Contoso's DNS decides, not Fabrikam's admin").isEqualTo("PendingVerification");
        assertThat(api.directory.acceptedDomainFor(Domain.of("hr.contoso.example"))).isEmpty();
        assertThat(add(fabrikamAdmin, fabrikam, "contoso.example").status()).as("taken").isEqualTo(409);
    }

    @Test
    void severalOrganizationsMayHaveADomainPendingAndTheFirstToPublishGetsIt() {
        var a = add(contosoAdmin, contoso, "shared.example").json();
        var b = add(fabrikamAdmin, fabrikam, "shared.example").json();
        assertThat(add(contosoAdmin, contoso, "shared.example").status()).as("twice in one organization").isEqualTo(409);
        assertThat(api.send("GET", "/api/v1/domains/" + b.get("id").asText(), contosoAdmin, null).status())
                .as("another organization's pending domain is invisible").isEqualTo(404);
        assertThat(verify(contosoAdmin, b.get("id").asText()).status()).isEqualTo(404);

        api.txt.put("shared.example", List.of(b.get("verificationRecord").asText()));
        assertThat(verify(contosoAdmin, a.get("id").asText()).status()).as("Fabrikam's record does not prove Contoso's claim").isEqualTo(409);
        assertThat(verify(fabrikamAdmin, b.get("id").asText()).status()).isEqualTo(200);
        api.txt.put("shared.example", List.of(a.get("verificationRecord").asText()));
        assertThat(verify(contosoAdmin, a.get("id").asText()).status()).as("already Fabrikam's").isEqualTo(409);
        assertThat(api.directory.acceptedDomainFor(Domain.of("shared.example")).orElseThrow().organizationId()).isEqualTo(fabrikam);
    }

    @Test
    void aGlobalAdministratorsDomainCountsAtOnceButNobodyOwnsAPublicSuffix() {
        var added = api.post("/api/v1/domains", "{\"organizationId\": \"%s\", \"domainName\": \"contoso.example\"}".formatted(contoso));
        assertThat(added.json().get("status").asText()).isEqualTo("Verified");
        for (String suffix : List.of("com", "co.uk", "example")) {
            var refused = api.post("/api/v1/domains", "{\"organizationId\": \"%s\", \"domainName\": \"%s\"}".formatted(contoso, suffix));
            assertThat(refused.status()).as(suffix).isEqualTo(400);
            assertThat(refused.json().get("errors").get(0).get("detail").asText()).contains("public suffix");
        }
    }

    @Test
    void helpdeskCannotVerifyOrDeleteAndAPendingDomainCanBeDeletedButNotChanged() {
        String id = add(contosoAdmin, contoso, "new.example").json().get("id").asText();
        assertThat(verify(contosoDesk, id).status()).isEqualTo(403);
        assertThat(api.send("DELETE", "/api/v1/domains/" + id, contosoDesk, null).status()).isEqualTo(403);
        assertThat(api.send("PATCH", "/api/v1/domains/" + id, contosoAdmin, "{\"domainType\": \"InternalRelay\"}").status()).isEqualTo(409);
        assertThat(api.send("DELETE", "/api/v1/domains/" + id, contosoAdmin, null).status()).isEqualTo(204);
        assertThat(api.pendingDomains.pending(contoso)).isEmpty();
    }
}
