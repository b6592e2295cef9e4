package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.mail.Address;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Mailbox;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DomainRoutesTest {

    private final AdminFixture api = new AdminFixture();
    private final String org = api.organization("Contoso");

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void createListGetChangeAndDeleteAnAcceptedDomain() {
        var created = api.post("/api/v1/domains", """
                {"organizationId": "%s", "domainName": "Contoso.EXAMPLE.", "domainType": "InternalRelay", "matchSubdomains": true}
                """.formatted(org));
        assertThat(created.status()).isEqualTo(201);
        var d = created.json();
        String id = d.get("id").asText();
        assertThat(d.get("domainName").asText()).isEqualTo("contoso.example");
        assertThat(d.get("domainType").asText()).isEqualTo("InternalRelay");
        assertThat(d.get("matchSubdomains").asBoolean()).isTrue();
        assertThat(d.get("organizationId").asText()).isEqualTo(org);

        assertThat(api.get("/api/v1/domains?organizationId=" + org).ids()).containsExactly(id);
        assertThat(api.get("/api/v1/domains").ids()).containsExactly(id);
        assertThat(api.get("/api/v1/domains/" + id).json().get("domainName").asText()).isEqualTo("contoso.example");

        var changed = api.patch("/api/v1/domains/" + id, "{\"domainType\": \"Authoritative\"}");
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().get("domainType").asText()).isEqualTo("Authoritative");
        assertThat(changed.json().get("matchSubdomains").asBoolean()).isFalse();
        assertThat(api.directory.acceptedDomain(id).orElseThrow().type()).isEqualTo(AcceptedDomain.Type.AUTHORITATIVE);

        assertThat(api.delete("/api/v1/domains/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/domains/" + id).status()).isEqualTo(404);
    }

    @Test
    void theDomainTypeDefaultsToAuthoritative() {
        var created = api.post("/api/v1/domains", "{\"organizationId\": \"%s\", \"domainName\": \"contoso.example\"}".formatted(org));

        assertThat(created.json().get("domainType").asText()).isEqualTo("Authoritative");
    }

    @Test
    void everyInvalidFieldIsReportedAtOnce() {
        var reply = api.post("/api/v1/domains", """
                {"organizationId": "nope", "domainName": "bad..name", "domainType": "Relay"}
                """);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").toString())
                .contains("{\"pointer\":\"#/organizationId\",\"detail\":\"no such organization\"}")
                .contains("{\"pointer\":\"#/domainName\",\"detail\":\"invalid domain: bad..name\"}")
                .contains("{\"pointer\":\"#/domainType\",\"detail\":\"must be one of Authoritative, InternalRelay\"}");
    }

    @Test
    void matchSubdomainsIsOnlyForInternalRelay() {
        var reply = api.post("/api/v1/domains", """
                {"organizationId": "%s", "domainName": "contoso.example", "domainType": "Authoritative", "matchSubdomains": true}
                """.formatted(org));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/matchSubdomains");
    }

    @Test
    void aDomainAlreadyAcceptedIsAConflict() {
        api.domain(api.organization("Fabrikam"), "contoso.example");

        var reply = api.post("/api/v1/domains", "{\"organizationId\": \"%s\", \"domainName\": \"contoso.example\"}".formatted(org));

        assertThat(reply.status()).isEqualTo(409);
    }

    @Test
    void theNameOfADomainCannotBeChanged() {
        String id = api.domain(org, "contoso.example");

        var reply = api.patch("/api/v1/domains/" + id, "{\"domainName\": \"fabrikam.example\"}");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("detail").asText()).startsWith("Unknown field 'domainName'");
    }

    @Test
    void aDomainThatMailboxesUseCannotBeDeleted() {
        String id = api.domain(org, "contoso.example");
        api.directory.createMailbox(new Mailbox("m1", org, Address.parse("ann@contoso.example"), List.of(), "Ann", null, 0));

        var reply = api.delete("/api/v1/domains/" + id);

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("detail").asText()).isEqualTo("Mailboxes still use contoso.example; change or delete them first.");
    }

    /** Subdomains and certificate names it vouched for must not outlive it, or they stay with this tenant when it moves. */
    @Test
    void aDomainThatVouchesForSubdomainsOrCertificateNamesCannotBeDeletedFirst() {
        String parent = api.domain(org, "contoso.example");
        String admin = api.tokenFor(Role.ORG_ADMIN, org);
        var sub = api.send("POST", "/api/v1/domains", admin, "{\"organizationId\": \"%s\", \"domainName\": \"relay.contoso.example\"}".formatted(org));
        assertThat(sub.status()).as(sub.body()).isEqualTo(201);
        var connector = api.send("POST", "/api/v1/connectors/inbound", admin, """
                {"organizationId": "%s", "name": "Our servers", "connectorType": "OnPremises", "tlsSenderCertificateName": "*.contoso.example"}
                """.formatted(org));
        assertThat(connector.status()).as(connector.body()).isEqualTo(201);

        var first = api.send("DELETE", "/api/v1/domains/" + parent, admin, null);
        assertThat(first.status()).isEqualTo(409);
        assertThat(first.json().get("detail").asText()).isEqualTo(
                "The organization's accepted domains relay.contoso.example are under contoso.example, which vouches for them; delete them first.");
        assertThat(api.send("DELETE", "/api/v1/domains/" + sub.json().get("id").asText(), admin, null).status()).isEqualTo(204);
        var second = api.send("DELETE", "/api/v1/domains/" + parent, admin, null);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("detail").asText()).isEqualTo(
                "Inbound connectors 'Our servers' accept servers' certificates for names in contoso.example; change or delete them first.");
        assertThat(api.send("DELETE", "/api/v1/connectors/inbound/" + connector.json().get("id").asText(), admin, null).status()).isEqualTo(204);
        assertThat(api.send("DELETE", "/api/v1/domains/" + parent, admin, null).status()).isEqualTo(204);
    }

    @Test
    void aSubdomainCoveredByAnotherAcceptedDomainDoesNotHoldItsParent() {
        api.domain(org, "contoso.example");
        String middle = api.domain(org, "eu.contoso.example");
        api.domain(org, "mail.eu.contoso.example");
        assertThat(api.delete("/api/v1/domains/" + middle).status()).as("contoso.example still vouches for mail.eu").isEqualTo(204);
    }

    @Test
    void listingTheDomainsOfAnUnknownOrganizationIs404() {
        assertThat(api.get("/api/v1/domains?organizationId=nope").status()).isEqualTo(404);
    }
}
