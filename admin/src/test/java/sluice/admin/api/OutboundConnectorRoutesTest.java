package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.connector.OutboundConnector.TlsSettings;
import sluice.core.mail.HostPort;
import sluice.smtp.testing.SmtpSink;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OutboundConnectorRoutesTest {

    private static final String BASE = "/api/v1/connectors/outbound";

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");

    @AfterEach
    void stop() {
        api.close();
    }

    private String toOnPremises(String org, String smartHost) {
        var reply = api.post(BASE, """
                {"organizationId": "%s", "name": "To on-premises", "connectorType": "OnPremises", "allAcceptedDomains": true,
                 "smartHosts": ["%s"], "localHopsAllowed": true}""".formatted(org, smartHost));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    @Test
    void createChangeAndDeleteAPartnerConnectorWithEopFields() {
        var created = api.post(BASE, """
                {"organizationId": "%s", "name": "To Fabrikam", "connectorType": "Partner",
                 "recipientDomains": ["fabrikam.example", "*.fabrikam.example"], "smartHosts": ["mail.fabrikam.example:2525"],
                 "tlsSettings": "DomainValidation", "tlsDomain": "Fabrikam.example"}""".formatted(contoso));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.body()).isEqualTo(("""
                {"id":"%s","organizationId":"%s","name":"To Fabrikam","connectorType":"Partner","enabled":true,"comment":null,\
                "recipientDomains":["fabrikam.example","*.fabrikam.example"],"allAcceptedDomains":false,\
                "smartHosts":["mail.fabrikam.example:2525"],"useMxRecord":false,"tlsSettings":"DomainValidation",\
                "tlsDomain":"fabrikam.example","isTransportRuleScoped":false,"routeAllMessagesViaOnPremises":false,\
                "lastValidation":null,"localHopsAllowed":false}""").formatted(id, contoso));

        // Switching to MX alone turns the smart hosts off; leaving DomainValidation drops its tlsDomain.
        var changed = api.patch(BASE + "/" + id, "{\"useMxRecord\": true, \"tlsSettings\": \"EncryptionOnly\"}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        var stored = api.connectors.outboundConnector(id).orElseThrow();
        assertThat(stored.smartHosts()).isEmpty();
        assertThat(stored.tlsSettings()).isEqualTo(TlsSettings.ENCRYPTION_ONLY);
        assertThat(stored.tlsDomain()).isNull();
        assertThat(api.patch(BASE + "/" + id, "{\"tlsSettings\": \"None\"}").json().get("tlsSettings").isNull()).isTrue();

        assertThat(api.get(BASE + "?organizationId=" + contoso).ids()).containsExactly(id);
        assertThat(api.delete(BASE + "/" + id).status()).isEqualTo(204);
        assertThat(api.get(BASE + "/" + id).status()).isEqualTo(404);
    }

    @Test
    void theTlsDomainIsADnsNameNotAnIpAddress() {
        for (String tlsDomain : List.of("192.0.2.1", "mail.2", "_srv.fabrikam.example")) {
            var reply = api.post(BASE, """
                    {"organizationId": "%s", "name": "x", "connectorType": "Partner", "recipientDomains": ["fabrikam.example"],
                     "useMxRecord": true, "tlsSettings": "DomainValidation", "tlsDomain": "%s"}""".formatted(contoso, tlsDomain));
            assertThat(reply.status()).as(tlsDomain + ": " + reply.body()).isEqualTo(400);
            assertThat(reply.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/tlsDomain");
        }
        assertThat(api.connectors.allOutbound()).isEmpty();
    }

    @Test
    void invalidCombinationsAreA400NamingTheRule() {
        var noDomain = api.post(BASE, """
                {"organizationId": "%s", "name": "x", "connectorType": "Partner", "recipientDomains": ["fabrikam.example"],
                 "useMxRecord": true, "tlsSettings": "DomainValidation"}""".formatted(contoso));
        assertThat(noDomain.status()).isEqualTo(400);
        assertThat(noDomain.json().get("detail").asText()).isEqualTo("tlsDomain goes with tlsSettings DomainValidation, and only with it");

        var both = api.post(BASE, """
                {"organizationId": "%s", "name": "x", "connectorType": "Partner", "recipientDomains": ["fabrikam.example"],
                 "useMxRecord": true, "smartHosts": ["192.0.2.1"]}""".formatted(contoso));
        assertThat(both.json().get("detail").asText()).isEqualTo("give either smartHosts or useMxRecord");

        var partnerAll = api.post(BASE, """
                {"organizationId": "%s", "name": "x", "connectorType": "Partner", "allAcceptedDomains": true, "useMxRecord": true}
                """.formatted(contoso));
        assertThat(partnerAll.json().get("detail").asText()).isEqualTo("allAcceptedDomains applies only to OnPremises connectors");

        var badValues = api.post(BASE, """
                {"organizationId": "%s", "name": "x", "connectorType": "Partner", "smartHosts": ["host:99999"],
                 "tlsSettings": "Strict", "lastValidation": null}""".formatted(contoso));
        assertThat(badValues.status()).isEqualTo(400);
        assertThat(badValues.json().get("detail").asText()).startsWith("Unknown field 'lastValidation'");
        assertThat(api.connectors.allOutbound()).isEmpty();
    }

    @Test
    void validationAgainstAnUnreachableSmartHostIsStoredAndReported() {
        String id = toOnPremises(contoso, "127.0.0.1:1");

        var reply = api.post(BASE + "/" + id + "/validate", null);

        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        var v = reply.json();
        assertThat(v.get("at").asText()).isEqualTo(AdminFixture.NOW.toString());
        assertThat(v.get("succeeded").asBoolean()).isFalse();
        assertThat(v.get("hosts").get(0).get("host").asText()).isEqualTo("127.0.0.1:1");
        assertThat(v.get("hosts").get(0).get("succeeded").asBoolean()).isFalse();
        assertThat(v.get("hosts").get(0).get("error").asText()).startsWith("[127.0.0.1]:1: connect: cannot connect to");
        assertThat(api.get(BASE + "/" + id).json().get("lastValidation")).isEqualTo(v);
        // Changing the next hop makes the old result meaningless.
        assertThat(api.patch(BASE + "/" + id, "{\"comment\": \"rack 3\"}").json().get("lastValidation")).isEqualTo(v);
        assertThat(api.patch(BASE + "/" + id, "{\"smartHosts\": [\"127.0.0.1:2\"]}").json().get("lastValidation").isNull()).isTrue();
    }

    @Test
    void validationWithRecipientsSendsATestMessageThroughAReachableSmartHost() throws Exception {
        api.domain(contoso, "contoso.example");
        try (SmtpSink onPremises = SmtpSink.start("127.0.0.1")) {
            String id = toOnPremises(contoso, onPremises.hostPort());

            var reply = api.post(BASE + "/" + id + "/validate", "{\"recipients\": [\"ann@contoso.example\"]}");

            assertThat(reply.json().get("succeeded").asBoolean()).as(reply.body()).isTrue();
            var m = onPremises.awaitMessages(1, Duration.ofSeconds(10)).getFirst();
            assertThat(m.mailFrom()).isEqualTo("postmaster@contoso.example");
            assertThat(m.rcptTo()).containsExactly("ann@contoso.example");
            assertThat(m.text()).contains("Subject: Sluice connector validation test");
            assertThat(api.connectors.outboundConnector(id).orElseThrow().lastValidation().succeeded()).isTrue();
            assertThat(api.connectors.outboundConnector(id).orElseThrow().smartHosts())
                    .containsExactly(HostPort.parse(onPremises.hostPort()));
        }
        var bad = api.post(BASE + "/" + toOnPremises(fabrikam, "127.0.0.1:1") + "/validate", "{\"recipients\": [\"not an address\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/recipients/0");
    }

    @Test
    void anOrganizationAdministratorCannotSeeOrValidateAnotherOrganizationsConnectors() {
        String ours = toOnPremises(contoso, "127.0.0.1:1");
        String theirs = toOnPremises(fabrikam, "127.0.0.1:1");
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        String helpdesk = api.tokenFor(Role.HELPDESK, contoso);

        assertThat(api.send("GET", BASE, admin, null).ids()).containsExactly(ours);
        assertThat(api.send("GET", BASE + "/" + theirs, admin, null).status()).isEqualTo(404);
        assertThat(api.send("POST", BASE + "/" + theirs + "/validate", admin, null).status()).isEqualTo(404);
        assertThat(api.send("POST", BASE + "/" + ours + "/validate", helpdesk, null).status()).isEqualTo(403);
        assertThat(api.send("PATCH", BASE + "/" + theirs, admin, "{\"enabled\": false}").status()).isEqualTo(404);
        assertThat(api.connectors.outboundConnector(theirs).orElseThrow().lastValidation()).isNull();
    }

    @Test
    void anOrganizationAdministratorsSmartHostsAreNotTheNodeItself() throws Exception {
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        java.util.List<String> hosts = new java.util.ArrayList<>(java.util.List.of("127.0.0.1:8080", "localhost", "[::1]:25",
                "169.254.169.254:80", "0.0.0.0:25", "0.1.2.3:25", "admin.localhost:8080"));
        // and this machine's own addresses, whatever network they are in
        java.net.NetworkInterface.networkInterfaces().flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress()).findFirst()
                .ifPresent(a -> hosts.add(a.getHostAddress() + ":25"));
        for (String host : hosts) {
            var reply = api.send("POST", BASE, admin, """
                    {"organizationId": "%s", "name": "x %s", "connectorType": "OnPremises", "allAcceptedDomains": true,
                     "smartHosts": ["%s"]}
                    """.formatted(contoso, host.replace(':', '-'), host));
            assertThat(reply.status()).as(host).isEqualTo(400);
            assertThat(reply.json().get("errors").get(0).get("pointer").asText()).startsWith("#/smartHosts");
        }
        var onPremises = api.send("POST", BASE, admin, """
                {"organizationId": "%s", "name": "to on-premises", "connectorType": "OnPremises", "allAcceptedDomains": true,
                 "smartHosts": ["10.1.2.3:25", "mail.onprem.contoso.example"]}
                """.formatted(contoso));
        assertThat(onPremises.status()).as("private addresses and names are on-premises servers").isEqualTo(201);
        var moved = api.send("PATCH", BASE + "/" + onPremises.json().get("id").asText(), admin,
                "{\"smartHosts\": [\"127.0.0.1:2525\"]}");
        assertThat(moved.status()).isEqualTo(400);
        assertThat(toOnPremises(fabrikam, "127.0.0.1:10025")).as("the node's operator may (a local content filter)").isNotBlank();
    }

    @Test
    void onlyAGlobalAdministratorMayLetAConnectorDeliverToTheNodeItselfAndOnlyBySayingSo() {
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        var unsaid = api.post(BASE, """
                {"organizationId": "%s", "name": "filter", "connectorType": "OnPremises", "allAcceptedDomains": true,
                 "smartHosts": ["127.0.0.1:10025"]}""".formatted(fabrikam));
        assertThat(unsaid.status()).as("a global administrator's loopback hop needs the flag").isEqualTo(400);
        assertThat(unsaid.body()).contains("set localHopsAllowed");
        var byName = api.post(BASE, """
                {"organizationId": "%s", "name": "by name", "connectorType": "Partner", "recipientDomains": ["p.example"],
                 "smartHosts": ["mail.p.example"]}""".formatted(fabrikam));
        assertThat(byName.json().get("localHopsAllowed").asBoolean()).as("never implied, not even for a global administrator").isFalse();

        String operators = toOnPremises(contoso, "127.0.0.1:10025"); // says localHopsAllowed: true
        assertThat(api.get(BASE + "/" + operators).json().get("localHopsAllowed").asBoolean()).isTrue();
        var renamed = api.send("PATCH", BASE + "/" + operators, admin, "{\"comment\": \"content filter\"}");
        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().get("localHopsAllowed").asBoolean()).as("the tenant's edit of other fields keeps it").isTrue();
        var restated = api.send("PATCH", BASE + "/" + operators, admin, "{\"localHopsAllowed\": true, \"comment\": \"x\"}");
        assertThat(restated.status()).as("saying what is already so (an import) is not asking for it").isEqualTo(200);
        var moved = api.send("PATCH", BASE + "/" + operators, admin, "{\"smartHosts\": [\"mail.onprem.contoso.example\"]}");
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("localHopsAllowed").asBoolean()).as("the tenant set the hops now").isFalse();
        var claimed = api.send("PATCH", BASE + "/" + operators, admin, "{\"localHopsAllowed\": true}");
        assertThat(claimed.status()).isEqualTo(403);
        var back = api.patch(BASE + "/" + operators, "{\"smartHosts\": [\"127.0.0.1:10025\"]}");
        assertThat(back.status()).as("the operator must say so again").isEqualTo(400);
        var again = api.patch(BASE + "/" + operators, "{\"smartHosts\": [\"127.0.0.1:10025\"], \"localHopsAllowed\": true}");
        assertThat(again.json().get("localHopsAllowed").asBoolean()).isTrue();
        var operatorMoves = api.patch(BASE + "/" + operators, "{\"smartHosts\": [\"127.0.0.1:10026\"]}");
        assertThat(operatorMoves.json().get("localHopsAllowed").asBoolean()).as("the operator's own hop change keeps it").isTrue();
        var withdrawn = api.patch(BASE + "/" + operators, "{\"localHopsAllowed\": false}");
        assertThat(withdrawn.status()).as("a loopback hop without the permission would only ever defer").isEqualTo(400);
        assertThat(api.connectors.outboundConnector(operators).orElseThrow().localHopsAllowed()).isTrue();
    }

    @Test
    void validatingATenantsHostNameThatResolvesToTheNodeConnectsNowhere() throws Exception {
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        try (SmtpSink service = SmtpSink.start("127.0.0.1")) {
            api.hostAddresses.put("mail.onprem.contoso.example", "127.0.0.1");
            var created = api.send("POST", BASE, admin, """
                    {"organizationId": "%s", "name": "to on-premises", "connectorType": "OnPremises", "allAcceptedDomains": true,
                     "smartHosts": ["mail.onprem.contoso.example:%d"]}
                    """.formatted(contoso, service.port()));
            assertThat(created.status()).as(created.body()).isEqualTo(201);

            var v = api.send("POST", BASE + "/" + created.json().get("id").asText() + "/validate", admin, null).json();

            assertThat(v.get("succeeded").asBoolean()).isFalse();
            assertThat(v.get("hosts").get(0).get("error").asText()).contains("an address of this node");
            assertThat(service.connections()).isZero();
        }
    }
}
