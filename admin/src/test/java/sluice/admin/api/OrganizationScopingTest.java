package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.org.Mailbox;
import sluice.core.trace.TraceEvent;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.admin.testing.AdminFixture.NOW;
import static sluice.admin.testing.Samples.event;
import static sluice.admin.testing.Samples.queued;

/**
 * An organization administrator of Contoso can neither read nor change anything of Fabrikam, and cannot
 * even tell it exists; a helpdesk user of Contoso can read Contoso but change nothing.
 */
class OrganizationScopingTest {

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");
    private final String contosoDomain = api.domain(contoso, "contoso.example");
    private final String fabrikamDomain = api.domain(fabrikam, "fabrikam.example");
    private final String contosoMailbox = mailbox("m-contoso", contoso, "ann@contoso.example");
    private final String fabrikamMailbox = mailbox("m-fabrikam", fabrikam, "bob@fabrikam.example");
    private final NetworkMessageId toBoth = NetworkMessageId.random();
    private final NetworkMessageId toFabrikam = NetworkMessageId.random();
    private final QueueId contosoQueued = QueueId.next(NOW.minusSeconds(30));
    private final QueueId fabrikamQueued = QueueId.next(NOW.minusSeconds(20));
    private final QueueId relayQueued = QueueId.next(NOW.minusSeconds(10));
    private final String orgAdmin = api.tokenFor(Role.ORG_ADMIN, contoso);
    private final String helpdesk = api.tokenFor(Role.HELPDESK, contoso);

    {
        var t = NOW.minusSeconds(3600);
        api.trace.record(event(toBoth, TraceEvent.Type.RECEIVE, t, contoso, "x@outside.example", "ann@contoso.example"));
        api.trace.record(event(toBoth, TraceEvent.Type.RECEIVE, t, fabrikam, "x@outside.example", "bob@fabrikam.example"));
        api.trace.record(event(toFabrikam, TraceEvent.Type.RECEIVE, t, fabrikam, "y@outside.example", "bob@fabrikam.example"));
        api.queue.add(queued(contosoQueued, contoso, "c@partner.example", NOW.plusSeconds(60)));
        api.queue.add(queued(fabrikamQueued, fabrikam, "f@partner.example", NOW.plusSeconds(60)));
        api.queue.add(queued(relayQueued, null, "r@partner.example", NOW.plusSeconds(60)));
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private String mailbox(String id, String org, String address) {
        return api.directory.createMailbox(new Mailbox(id, org, Address.parse(address), List.of(), "x", null, 0)).id();
    }

    private AdminFixture.Reply as(String token, String method, String path, String body) {
        return api.send(method, path, token, body);
    }

    @Test
    void listsShowOnlyTheCallersOrganization() {
        assertThat(as(orgAdmin, "GET", "/api/v1/organizations", null).ids()).containsExactly(contoso);
        assertThat(as(orgAdmin, "GET", "/api/v1/domains", null).ids()).containsExactly(contosoDomain);
        assertThat(as(orgAdmin, "GET", "/api/v1/mailboxes", null).ids()).containsExactly(contosoMailbox);
        assertThat(as(orgAdmin, "GET", "/api/v1/queue", null).ids()).containsExactly(contosoQueued.toString());
        var trace = as(orgAdmin, "GET", "/api/v1/trace", null).json().get("items");
        assertThat(trace).hasSize(1);
        assertThat(trace.get(0).get("recipient").asText()).isEqualTo("ann@contoso.example");
        assertThat(api.trace.lastQuery().organizationIds()).containsExactly(contoso);
    }

    @Test
    void anotherOrganizationsObjectsAreNotFoundForEveryMethod() {
        for (String path : List.of("/api/v1/organizations/" + fabrikam, "/api/v1/domains/" + fabrikamDomain,
                "/api/v1/mailboxes/" + fabrikamMailbox, "/api/v1/queue/" + fabrikamQueued, "/api/v1/queue/" + relayQueued)) {
            assertThat(as(orgAdmin, "GET", path, null).status()).as("GET " + path).isEqualTo(404);
            assertThat(as(orgAdmin, "DELETE", path, null).status()).as("DELETE " + path).isEqualTo(404);
        }
        for (String path : List.of("/api/v1/organizations/" + fabrikam, "/api/v1/domains/" + fabrikamDomain,
                "/api/v1/mailboxes/" + fabrikamMailbox))
            assertThat(as(orgAdmin, "PATCH", path, "{}").status()).as("PATCH " + path).isEqualTo(404);
        assertThat(as(orgAdmin, "POST", "/api/v1/queue/" + fabrikamQueued + "/retry", null).status()).isEqualTo(404);
        assertThat(as(orgAdmin, "GET", "/api/v1/trace/" + toFabrikam, null).status()).isEqualTo(404);
        assertThat(as(orgAdmin, "GET", "/api/v1/domains?organizationId=" + fabrikam, null).status()).isEqualTo(404);
        assertThat(as(orgAdmin, "GET", "/api/v1/mailboxes?organizationId=" + fabrikam, null).status()).isEqualTo(404);
        assertThat(as(orgAdmin, "GET", "/api/v1/trace?organizationId=" + fabrikam, null).status()).isEqualTo(404);
        assertThat(as(orgAdmin, "GET", "/api/v1/queue?organizationId=" + fabrikam, null).status()).isEqualTo(404);

        assertThat(api.directory.organization(fabrikam)).isPresent();
        assertThat(api.directory.acceptedDomain(fabrikamDomain)).isPresent();
        assertThat(api.directory.mailbox(fabrikamMailbox)).isPresent();
        assertThat(api.queue.removals()).isEmpty();
    }

    @Test
    void outOfScopeReadsExactlyLikeAbsent() {
        var other = as(orgAdmin, "GET", "/api/v1/domains/" + fabrikamDomain, null).json();
        var absent = as(orgAdmin, "GET", "/api/v1/domains/no-such-id", null).json();

        assertThat(other.get("detail").asText().replace(fabrikamDomain, "ID"))
                .isEqualTo(absent.get("detail").asText().replace("no-such-id", "ID"));
    }

    @Test
    void nothingCanBeCreatedInAnotherOrganization() {
        var domain = as(orgAdmin, "POST", "/api/v1/domains",
                "{\"organizationId\": \"%s\", \"domainName\": \"new.example\"}".formatted(fabrikam));
        var mailbox = as(orgAdmin, "POST", "/api/v1/mailboxes",
                "{\"organizationId\": \"%s\", \"address\": \"eve@fabrikam.example\"}".formatted(fabrikam));
        var intoTheirDomain = as(orgAdmin, "POST", "/api/v1/mailboxes",
                "{\"organizationId\": \"%s\", \"address\": \"eve@fabrikam.example\"}".formatted(contoso));

        assertThat(domain.status()).isEqualTo(400);
        assertThat(domain.json().get("errors").get(0).get("detail").asText()).isEqualTo("no such organization");
        assertThat(mailbox.status()).isEqualTo(400);
        assertThat(intoTheirDomain.status()).isEqualTo(400);
        assertThat(api.directory.acceptedDomains(fabrikam)).hasSize(1);
        assertThat(api.directory.mailboxes(fabrikam)).hasSize(1);
        assertThat(api.directory.mailboxes(contoso)).hasSize(1);
    }

    @Test
    void onlyAGlobalAdministratorCreatesOrDeletesOrganizations() {
        assertThat(as(orgAdmin, "POST", "/api/v1/organizations", "{\"name\": \"Mine\"}").status()).isEqualTo(403);
        assertThat(as(orgAdmin, "DELETE", "/api/v1/organizations/" + contoso, null).status()).isEqualTo(403);
        assertThat(as(orgAdmin, "PATCH", "/api/v1/organizations/" + contoso, "{\"name\": \"Contoso Ltd\"}").status()).isEqualTo(200);
    }

    @Test
    void theOrganizationAdministratorManagesItsOwnOrganization() {
        var domain = as(orgAdmin, "POST", "/api/v1/domains",
                "{\"organizationId\": \"%s\", \"domainName\": \"sales.contoso.example\"}".formatted(contoso));
        var mailbox = as(orgAdmin, "POST", "/api/v1/mailboxes",
                "{\"organizationId\": \"%s\", \"address\": \"carl@sales.contoso.example\"}".formatted(contoso));

        assertThat(domain.status()).isEqualTo(201);
        assertThat(mailbox.status()).isEqualTo(201);
        assertThat(as(orgAdmin, "POST", "/api/v1/queue/" + contosoQueued + "/retry", null).status()).isEqualTo(204);
        assertThat(as(orgAdmin, "GET", "/api/v1/trace/" + toBoth, null).status()).isEqualTo(200);
    }

    @Test
    void aMessageToSeveralOrganizationsShowsOnlyTheCallersEvents() {
        var events = as(orgAdmin, "GET", "/api/v1/trace/" + toBoth, null).json().get("events");

        assertThat(events).hasSize(1);
        assertThat(events.get(0).get("recipient").asText()).isEqualTo("ann@contoso.example");
        assertThat(api.get("/api/v1/trace/" + toBoth).json().get("events")).hasSize(2);
    }

    @Test
    void helpdeskReadsItsOrganizationButChangesNothing() {
        assertThat(as(helpdesk, "GET", "/api/v1/domains/" + contosoDomain, null).status()).isEqualTo(200);
        assertThat(as(helpdesk, "GET", "/api/v1/mailboxes/" + contosoMailbox, null).status()).isEqualTo(200);
        assertThat(as(helpdesk, "GET", "/api/v1/queue/" + contosoQueued, null).status()).isEqualTo(200);
        assertThat(as(helpdesk, "GET", "/api/v1/trace", null).json().get("items")).hasSize(1);

        var refused = List.of(
                as(helpdesk, "PATCH", "/api/v1/organizations/" + contoso, "{\"name\": \"X\"}"),
                as(helpdesk, "POST", "/api/v1/domains", "{\"organizationId\": \"%s\", \"domainName\": \"h.example\"}".formatted(contoso)),
                as(helpdesk, "PATCH", "/api/v1/domains/" + contosoDomain, "{\"domainType\": \"InternalRelay\"}"),
                as(helpdesk, "DELETE", "/api/v1/domains/" + contosoDomain, null),
                as(helpdesk, "POST", "/api/v1/mailboxes", "{\"organizationId\": \"%s\", \"address\": \"h@contoso.example\"}".formatted(contoso)),
                as(helpdesk, "PATCH", "/api/v1/mailboxes/" + contosoMailbox, "{\"password\": \"new-password-1\"}"),
                as(helpdesk, "DELETE", "/api/v1/mailboxes/" + contosoMailbox, null),
                as(helpdesk, "POST", "/api/v1/queue/" + contosoQueued + "/retry", null),
                as(helpdesk, "DELETE", "/api/v1/queue/" + contosoQueued + "?ndr=true", null));
        assertThat(refused).allSatisfy(r -> {
            assertThat(r.status()).as(r.body()).isEqualTo(403);
            assertThat(r.json().get("detail").asText()).isEqualTo("Your role (HELPDESK) may not change this.");
        });
        assertThat(api.directory.organization(contoso).orElseThrow().name()).isEqualTo("Contoso");
        assertThat(api.directory.acceptedDomains(contoso)).hasSize(1);
        assertThat(api.directory.mailbox(contosoMailbox).orElseThrow().passwordHash()).isNull();
        assertThat(api.queue.removals()).isEmpty();
    }
}
