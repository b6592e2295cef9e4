package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.account.AuditEntry;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.OutboundConnector;
import sluice.core.mail.HostPort;
import sluice.core.rule.RulePredicates;
import sluice.core.rule.TransportRule;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /api/v1/rules}: EOP's fields, validation as 400 problems, priorities, scope and audit. */
class RuleRoutesTest {

    private static final String BASE = "/api/v1/rules";

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");

    @AfterEach
    void stop() {
        api.close();
    }

    private String connector(String org, String name) {
        return api.connectors.createOutbound(new OutboundConnector("", org, name, ConnectorType.PARTNER, true, null, List.of(),
                false, List.of(HostPort.parse("192.0.2.1")), false, OutboundConnector.TlsSettings.NONE, null, true, false, null, true)).id();
    }

    private AdminFixture.Reply create(String org, String name, String rest) {
        return api.post(BASE, """
                {"organizationId": "%s", "name": "%s", %s}""".formatted(org, name, rest));
    }

    private String created(String org, String name, String rest) {
        var reply = create(org, name, rest);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    @Test
    void createReadChangeAndDeleteWithEopFields() {
        String conn = connector(contoso, "Partner via rule");
        var reply = create(contoso, "Invoices to partner", """
                "comment": "finance",
                "conditions": {"senderDomainIs": ["Fabrikam.example"], "fromScope": "NotInOrganization",
                               "subjectContainsWords": ["Invoice"], "headerMatchesPatterns": {"name": "X-Campaign", "patterns": ["^promo"]}},
                "exceptions": {"attachmentExtensionMatchesWords": [".exe"]},
                "actions": {"prependSubject": "[Invoice] ", "setHeader": {"name": "X-Routed", "value": "partner"},
                            "routeUsingConnector": "%s", "stopProcessingRules": true}""".formatted(conn));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        String id = reply.json().get("id").asText();
        assertThat(reply.headers().firstValue("Location")).contains(BASE + "/" + id);
        var body = reply.json();
        assertThat(body.get("priority").asInt()).isZero();
        assertThat(body.get("enabled").asBoolean()).isTrue();
        assertThat(body.get("conditions").get("senderDomainIs").get(0).asText()).isEqualTo("fabrikam.example");
        assertThat(body.get("conditions").get("fromScope").asText()).isEqualTo("NotInOrganization");
        assertThat(body.get("exceptions").get("attachmentExtensionMatchesWords").get(0).asText()).isEqualTo("exe");
        assertThat(body.get("actions").get("routeUsingConnector").asText()).as("shown by name").isEqualTo("Partner via rule");
        assertThat(api.rules.rule(body.get("id").asText()).orElseThrow().actions().routeUsingConnector()).as("kept by id").isEqualTo(conn);

        TransportRule stored = api.rules.rule(id).orElseThrow();
        assertThat(stored.conditions().fromScope()).isEqualTo(RulePredicates.Scope.NOT_IN_ORGANIZATION);
        assertThat(stored.actions().names()).containsExactly("setHeader", "prependSubject", "routeUsingConnector", "stopProcessingRules");

        var disabled = api.patch(BASE + "/" + id, "{\"enabled\": false, \"actions\": {\"deleteMessage\": true}}");
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(api.rules.rule(id).orElseThrow().enabled()).isFalse();
        assertThat(api.rules.rule(id).orElseThrow().actions().names()).containsExactly("deleteMessage");
        assertThat(api.rules.rule(id).orElseThrow().conditions()).as("kept").isEqualTo(stored.conditions());

        assertThat(api.get(BASE + "?organizationId=" + contoso).ids()).containsExactly(id);
        assertThat(api.get(BASE + "/" + id).json().get("name").asText()).isEqualTo("Invoices to partner");
        assertThat(api.delete(BASE + "/" + id).status()).isEqualTo(204);
        assertThat(api.get(BASE + "/" + id).status()).isEqualTo(404);
    }

    @Test
    void aConnectorARuleRoutesThroughCannotBeDeletedUntilTheRuleLetsGo() {
        String conn = connector(contoso, "Scoped partner");
        String rule = created(contoso, "To partner", "\"actions\": {\"routeUsingConnector\": \"%s\"}".formatted(conn));
        var refused = api.delete("/api/v1/connectors/outbound/" + conn);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("To partner");
        assertThat(api.connectors.outboundConnector(conn)).isPresent();

        assertThat(api.delete(BASE + "/" + rule).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/connectors/outbound/" + conn).status()).isEqualTo(204);
    }

    @Test
    void priorityInsertsAndRenumbers() {
        String a = created(contoso, "a", "\"actions\": {\"prependSubject\": \"a\"}");
        String b = created(contoso, "b", "\"actions\": {\"prependSubject\": \"b\"}");
        String c = created(contoso, "c", "\"priority\": 0, \"actions\": {\"prependSubject\": \"c\"}");
        assertThat(api.get(BASE + "?organizationId=" + contoso).ids()).containsExactly(c, a, b);
        assertThat(api.patch(BASE + "/" + b, "{\"priority\": 1}").json().get("priority").asInt()).isEqualTo(1);
        assertThat(api.get(BASE + "?organizationId=" + contoso).ids()).containsExactly(c, b, a);
        assertThat(api.rules.rules(contoso)).extracting(TransportRule::priority).containsExactly(0, 1, 2);
    }

    @Test
    void invalidRulesAreA400NamingTheField() {
        var noActions = create(contoso, "x", "\"conditions\": {}");
        assertThat(noActions.status()).isEqualTo(400);
        assertThat(noActions.body()).contains("#/actions", "is required");

        var empty = create(contoso, "x", "\"actions\": {\"stopProcessingRules\": true}");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.body()).contains("#/actions", "at least one action");

        var regex = create(contoso, "x", """
                "conditions": {"headerMatchesPatterns": {"name": "Subject", "patterns": ["(unclosed"]}},
                "actions": {"deleteMessage": true}""");
        assertThat(regex.status()).isEqualTo(400);
        assertThat(regex.body()).contains("#/conditions/headerMatchesPatterns", "not a regular expression");

        var longPattern = create(contoso, "x", """
                "conditions": {"headerMatchesPatterns": {"name": "Subject", "patterns": ["%s"]}}, "actions": {"deleteMessage": true}"""
                .formatted("a".repeat(129)));
        assertThat(longPattern.body()).contains("at most 128 characters");

        var scope = create(contoso, "x", "\"conditions\": {\"fromScope\": \"Elsewhere\"}, \"actions\": {\"deleteMessage\": true}");
        assertThat(scope.body()).contains("#/conditions/fromScope", "InOrganization, NotInOrganization");

        var code = create(contoso, "x", "\"actions\": {\"rejectMessage\": {\"reasonText\": \"no\", \"enhancedStatusCode\": \"5.7.64\"}}");
        assertThat(code.body()).contains("#/actions/rejectMessage", "5.7.900");

        var ownHeader = create(contoso, "x", "\"actions\": {\"setHeader\": {\"name\": \"X-Sluice-Antispam-Report\", \"value\": \"SCL:-1\"}}");
        assertThat(ownHeader.body()).contains("#/actions/setHeader", "Sluice's own");
        var messageId = create(contoso, "x", "\"actions\": {\"setHeader\": {\"name\": \"Message-ID\", \"value\": \"<ä@x.example>\"}}");
        assertThat(messageId.status()).isEqualTo(400);
        assertThat(messageId.body()).contains("#/actions/setHeader", "structured field");
        var from = create(contoso, "x", "\"actions\": {\"setHeader\": {\"name\": \"From\", \"value\": \"\\\"Jörg <j@x.example>\"}}");
        assertThat(from.status()).isEqualTo(400);
        assertThat(from.body()).contains("#/actions/setHeader", "address list");

        var unknown = create(contoso, "x", "\"actions\": {\"routeUsingConnector\": \"no-such-connector\"}");
        assertThat(unknown.body()).contains("#/actions/routeUsingConnector", "no outbound connector");
        String theirs = connector(fabrikam, "theirs");
        var foreign = create(contoso, "x", "\"actions\": {\"routeUsingConnector\": \"%s\"}".formatted(theirs));
        assertThat(foreign.status()).as("another organization's connector").isEqualTo(400);
        assertThat(create(contoso, "x", "\"actions\": {\"routeUsingConnector\": \"theirs\"}").status()).as("by name too").isEqualTo(400);
        connector(contoso, "ours");
        assertThat(create(contoso, "by name", "\"actions\": {\"routeUsingConnector\": \"OURS\"}").status()).isEqualTo(201);

        var badAddress = create(contoso, "x", "\"actions\": {\"redirectTo\": [\"not-an-address\"]}");
        assertThat(badAddress.body()).contains("redirectTo");

        created(contoso, "taken", "\"actions\": {\"quarantine\": true}");
        assertThat(create(contoso, "TAKEN", "\"actions\": {\"quarantine\": true}").status()).isEqualTo(409);
        assertThat(api.rules.rules(contoso)).hasSize(2);
    }

    @Test
    void organizationAdminsSeeOnlyTheirOwnRulesAndHelpdeskOnlyReads() {
        String ours = created(contoso, "ours", "\"actions\": {\"quarantine\": true}");
        String theirs = created(fabrikam, "theirs", "\"actions\": {\"quarantine\": true}");
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        String helpdesk = api.tokenFor(Role.HELPDESK, contoso);

        var list = api.send("GET", BASE, admin, null);
        assertThat(list.ids()).containsExactly(ours);
        assertThat(api.send("GET", BASE + "/" + theirs, admin, null).status()).isEqualTo(404);
        assertThat(api.send("PATCH", BASE + "/" + theirs, admin, "{\"enabled\": false}").status()).isEqualTo(404);
        assertThat(api.send("DELETE", BASE + "/" + theirs, admin, null).status()).isEqualTo(404);
        assertThat(api.send("POST", BASE, admin, """
                {"organizationId": "%s", "name": "sneaky", "actions": {"deleteMessage": true}}""".formatted(fabrikam)).status())
                .isEqualTo(400);
        assertThat(api.rules.rules(fabrikam)).hasSize(1).allMatch(TransportRule::enabled);
        assertThat(api.send("PATCH", BASE + "/" + ours, admin, "{\"enabled\": false}").status()).isEqualTo(200);

        assertThat(api.send("GET", BASE + "/" + ours, helpdesk, null).status()).isEqualTo(200);
        assertThat(api.send("PATCH", BASE + "/" + ours, helpdesk, "{\"enabled\": true}").status()).isEqualTo(403);
        assertThat(api.send("DELETE", BASE + "/" + ours, helpdesk, null).status()).isEqualTo(403);
        assertThat(api.send("POST", BASE, helpdesk, """
                {"organizationId": "%s", "name": "h", "actions": {"deleteMessage": true}}""".formatted(contoso)).status()).isEqualTo(403);
        assertThat(api.rules.rule(ours).orElseThrow().enabled()).isFalse();
    }

    @Test
    void aRuleForAnotherOrganizationDoesNotTellWhichConnectorsItHas() {
        connector(fabrikam, "Fabrikam partner");
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        String rule = """
                {"organizationId": "%s", "name": "probe", "actions": {"routeUsingConnector": "%s"}}""";

        var existing = api.send("POST", BASE, admin, rule.formatted(fabrikam, "Fabrikam partner"));
        var missing = api.send("POST", BASE, admin, rule.formatted(fabrikam, "No such connector"));
        var unknownOrg = api.send("POST", BASE, admin, rule.formatted("no-such-org", "No such connector"));

        assertThat(existing.status()).isEqualTo(400);
        assertThat(existing.json().get("errors")).isEqualTo(missing.json().get("errors")).isEqualTo(unknownOrg.json().get("errors"));
        assertThat(existing.json().get("errors").toString()).contains("organizationId").doesNotContain("routeUsingConnector");
    }

    @Test
    void anOrganizationOutOfScopeIsRefusedWithoutWaitingForItsLock() throws Exception {
        String helpdesk = api.tokenFor(Role.HELPDESK, contoso);
        var answer = new java.util.concurrent.CompletableFuture<Integer>();
        // While another change holds fabrikam's lock, a caller who may not change fabrikam gets its
        // answer at once: it never reaches the lock (nor puts an id of its choosing into it).
        OrganizationLock.with(fabrikam, () -> {
            Thread.ofVirtual().start(() -> answer.complete(api.send("POST", BASE, helpdesk, """
                    {"organizationId": "%s", "name": "h", "actions": {"deleteMessage": true}}""".formatted(fabrikam)).status()));
            try {
                return answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the request waited for another organization's lock", e);
            }
        });

        assertThat(answer.get()).isEqualTo(400);
    }

    @Test
    void aRuleCannotDeliverIntoAnotherOrganizationsDomains() {
        api.domain(contoso, "contoso.example");
        api.domain(fabrikam, "fabrikam.example");

        var bcc = create(contoso, "copy out", "\"actions\": {\"addBcc\": [\"audit@contoso.example\", \"spy@Fabrikam.example\"]}");
        var redirect = create(contoso, "send over", "\"actions\": {\"redirectTo\": [\"inbox@fabrikam.example\"]}");

        assertThat(bcc.status()).as("refused for a global administrator too").isEqualTo(400);
        assertThat(bcc.json().get("errors")).singleElement().satisfies(e -> {
            assertThat(e.get("pointer").asText()).isEqualTo("#/actions/addBcc");
            assertThat(e.get("detail").asText()).startsWith("spy@fabrikam.example is in a domain another organization accepts");
        });
        assertThat(redirect.status()).isEqualTo(400);
        assertThat(redirect.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/actions/redirectTo");
        assertThat(api.rules.rules(contoso)).isEmpty();

        String ok = created(contoso, "journal", "\"actions\": {\"addBcc\": [\"audit@contoso.example\", \"archive@outside.example\"]}");
        var patched = api.patch(BASE + "/" + ok, "{\"actions\": {\"redirectTo\": [\"x@fabrikam.example\"]}}");
        assertThat(patched.status()).isEqualTo(400);
        assertThat(api.rules.rule(ok).orElseThrow().actions().addBcc()).containsExactly("audit@contoso.example", "archive@outside.example");
    }

    /**
     * A review found that a Contoso rule could make its mail look like Fabrikam's (another organization on the node):
     * From and Sender name only the organization's own domains, Reply-To none of another organization's.
     */
    @Test
    void aRuleSetsFromOnlyToItsOwnDomainsAndReplyToNoOtherOrganizations() {
        api.domain(contoso, "contoso.example");
        api.domain(fabrikam, "fabrikam.example");
        for (String field : List.of("{\"name\": \"From\", \"value\": \"Fabrikam CEO <ceo@fabrikam.example>\"}",
                "{\"name\": \"sender\", \"value\": \"desk@outside.example\"}",
                "{\"name\": \"Reply-To\", \"value\": \"Desk <desk@contoso.example>, ceo@Fabrikam.example\"}")) {
            var reply = create(contoso, "spoof", "\"actions\": {\"setHeader\": " + field + "}");
            assertThat(reply.status()).as(field).isEqualTo(400);
            assertThat(reply.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/actions/setHeader");
        }
        assertThat(api.rules.rules(contoso)).isEmpty();
        created(contoso, "desk", "\"actions\": {\"setHeader\": {\"name\": \"From\", \"value\": \"Desk <desk@contoso.example>\"}}");
        created(contoso, "replies", "\"actions\": {\"setHeader\": {\"name\": \"Reply-To\", \"value\": \"x@outside.example\"}}");
    }

    @Test
    void aRuleFromBeforeTheCrossOrganizationCheckCanStillBeDisabled() {
        api.domain(fabrikam, "fabrikam.example");
        String old = api.rules.create(new TransportRule("", contoso, "old", 0, true, null, RulePredicates.NONE, RulePredicates.NONE,
                new sluice.core.rule.RuleActions(null, false, false, List.of(), List.of("spy@fabrikam.example"), null, null, null,
                        null, false))).id();

        assertThat(api.patch(BASE + "/" + old, "{\"enabled\": false}").status()).isEqualTo(200);
        assertThat(api.rules.rule(old).orElseThrow().enabled()).isFalse();
    }

    @Test
    void everyChangeIsAudited() {
        String id = created(contoso, "audited", "\"actions\": {\"prependSubject\": \"[A] \"}");
        api.patch(BASE + "/" + id, "{\"name\": \"renamed\"}");
        api.delete(BASE + "/" + id);
        assertThat(api.auditLog.all()).extracting(AuditEntry::action).containsExactly("rule.create", "rule.update", "rule.delete");
        assertThat(api.auditLog.all()).allSatisfy(e -> {
            assertThat(e.organizationId()).isEqualTo(contoso);
            assertThat(e.targetId()).isEqualTo(id);
        });
        assertThat(api.auditLog.all().get(1).details()).contains("renamed");
    }
}
