package sluice.admin.api;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.auth.Role;
import sluice.admin.testing.AdminFixture;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.IpRange;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InboundConnectorRoutesTest {

    private static final String BASE = "/api/v1/connectors/inbound";

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");
    private final String fabrikam = api.organization("Fabrikam");

    @AfterEach
    void stop() {
        api.close();
    }

    private String onPremises(String org, String name) {
        var reply = api.post(BASE, """
                {"organizationId": "%s", "name": "%s", "connectorType": "OnPremises", "senderIpAddresses": ["192.0.2.0/24"]}
                """.formatted(org, name));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    @Test
    void createGetChangeAndDeleteAnInboundConnectorWithEopFields() {
        var created = api.post(BASE, """
                {"organizationId": "%s", "name": "From on-premises", "connectorType": "OnPremises", "comment": "Berlin",
                 "senderIpAddresses": ["192.0.2.0/24", "2001:DB8::/32"], "tlsSenderCertificateName": "*.contoso.example",
                 "senderDomains": ["contoso.example", "*.Contoso.example"], "requireTls": true, "treatMessagesAsInternal": true,
                 "efSkipIps": ["198.51.100.7"], "efSkipLastIp": true}
                """.formatted(contoso));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).isEqualTo(BASE + "/" + id);
        assertThat(created.body()).isEqualTo(("""
                {"id":"%s","organizationId":"%s","name":"From on-premises","connectorType":"OnPremises","enabled":true,\
                "comment":"Berlin","senderIpAddresses":["192.0.2.0/24","2001:db8::/32"],\
                "tlsSenderCertificateName":"*.contoso.example","senderDomains":["contoso.example","*.contoso.example"],\
                "requireTls":true,"restrictDomainsToIpAddresses":false,"restrictDomainsToCertificate":false,\
                "treatMessagesAsInternal":true,"efSkipIps":["198.51.100.7"],"efSkipLastIp":true}""").formatted(id, contoso));

        var changed = api.patch(BASE + "/" + id, "{\"enabled\": false, \"senderIpAddresses\": [\"203.0.113.9\"], \"comment\": \"\"}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        var stored = api.connectors.inboundConnector(id).orElseThrow();
        assertThat(stored.enabled()).isFalse();
        assertThat(stored.comment()).isNull();
        assertThat(stored.senderIpAddresses()).containsExactly(IpRange.parse("203.0.113.9"));
        assertThat(stored.type()).isEqualTo(ConnectorType.ON_PREMISES);
        assertThat(stored.tlsSenderCertificateName()).isEqualTo("*.contoso.example");

        assertThat(api.get(BASE + "/" + id).json().get("enabled").asBoolean()).isFalse();
        assertThat(api.delete(BASE + "/" + id).status()).isEqualTo(204);
        assertThat(api.get(BASE + "/" + id).status()).isEqualTo(404);
    }

    @Test
    void invalidFieldsAreAllReportedAndInvalidCombinationsNamed() {
        var fields = api.post(BASE, """
                {"organizationId": "%s", "name": "x", "connectorType": "Internet", "senderIpAddresses": ["192.0.2.0/33", "mail.example"]}
                """.formatted(contoso));
        assertThat(fields.status()).isEqualTo(400);
        assertThat(fields.json().get("errors").toString())
                .contains("{\"pointer\":\"#/connectorType\",\"detail\":\"must be one of Partner, OnPremises\"}")
                .contains("{\"pointer\":\"#/senderIpAddresses/0\",\"detail\":\"prefix length out of range: 33\"}")
                .contains("{\"pointer\":\"#/senderIpAddresses/1\",\"detail\":\"not an IP address: mail.example\"}");

        var unidentified = api.post(BASE, "{\"organizationId\": \"%s\", \"name\": \"x\", \"connectorType\": \"Partner\"}".formatted(contoso));
        assertThat(unidentified.status()).isEqualTo(400);
        assertThat(unidentified.json().get("detail").asText())
                .isEqualTo("an inbound connector is identified by senderIpAddresses or tlsSenderCertificateName");

        var internalPartner = api.post(BASE, """
                {"organizationId": "%s", "name": "x", "connectorType": "Partner", "senderIpAddresses": ["192.0.2.1"],
                 "treatMessagesAsInternal": true}""".formatted(contoso));
        assertThat(internalPartner.json().get("detail").asText()).isEqualTo("treatMessagesAsInternal applies only to OnPremises connectors");

        var unknownField = api.post(BASE, "{\"organizationId\": \"%s\", \"name\": \"x\", \"type\": \"Partner\"}".formatted(contoso));
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("detail").asText()).startsWith("Unknown field 'type'");
        assertThat(api.connectors.allInbound()).isEmpty();
    }

    @Test
    void noCallerNamesAWildcardOverAPublicSuffixOrAnIpAddressAsTheCertificate() {
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        for (String type : List.of("Partner", "OnPremises")) {
            for (String name : List.of("*.com", "*.co.uk", "*.example", "192.0.2.1", "*.0.2.1", "[192.0.2.1]", "2001:db8::1")) {
                String body = """
                        {"organizationId": "%s", "name": "x", "connectorType": "%s", "tlsSenderCertificateName": "%s"}
                        """.formatted(contoso, type, name);
                var global = api.post(BASE, body);
                assertThat(global.status()).as(type + " " + name + " by a global administrator: " + global.body()).isEqualTo(400);
                assertThat(global.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/tlsSenderCertificateName");
                assertThat(api.send("POST", BASE, admin, body).status()).as(type + " " + name).isEqualTo(400);
            }
        }
        var partner = api.post(BASE, """
                {"organizationId": "%s", "name": "partner", "connectorType": "Partner", "tlsSenderCertificateName": "*.mail.co.uk"}
                """.formatted(contoso));
        assertThat(partner.status()).as(partner.body()).isEqualTo(201);
        var widened = api.patch(BASE + "/" + partner.json().get("id").asText(), "{\"tlsSenderCertificateName\": \"*.co.uk\"}");
        assertThat(widened.status()).as("a change is checked too").isEqualTo(400);
        assertThat(api.connectors.allInbound()).extracting(c -> c.tlsSenderCertificateName()).containsExactly("*.mail.co.uk");
    }

    @Test
    void aDuplicateNameIsAConflictAndTheOrganizationCannotChange() {
        String id = onPremises(contoso, "Hybrid");

        assertThat(api.post(BASE, """
                {"organizationId": "%s", "name": "hybrid", "connectorType": "Partner", "senderIpAddresses": ["192.0.2.1"]}
                """.formatted(contoso)).status()).isEqualTo(409);
        var move = api.patch(BASE + "/" + id, "{\"organizationId\": \"%s\"}".formatted(fabrikam));
        assertThat(move.status()).isEqualTo(400);
        assertThat(move.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/organizationId");
    }

    @Test
    void anOrganizationAdministratorSeesAndChangesOnlyItsOwnConnectors() {
        String ours = onPremises(contoso, "Hybrid");
        String theirs = onPremises(fabrikam, "Hybrid");
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        String helpdesk = api.tokenFor(Role.HELPDESK, contoso);

        assertThat(api.send("GET", BASE, admin, null).ids()).containsExactly(ours);
        assertThat(api.get(BASE).ids()).containsExactlyInAnyOrder(ours, theirs);
        assertThat(api.send("GET", BASE + "?organizationId=" + fabrikam, admin, null).status()).isEqualTo(404);
        assertThat(api.send("GET", BASE + "/" + theirs, admin, null).status()).isEqualTo(404);
        assertThat(api.send("PATCH", BASE + "/" + theirs, admin, "{\"enabled\": false}").status()).isEqualTo(404);
        assertThat(api.send("DELETE", BASE + "/" + theirs, admin, null).status()).isEqualTo(404);
        var create = api.send("POST", BASE, admin, """
                {"organizationId": "%s", "name": "Sneaky", "connectorType": "OnPremises", "senderIpAddresses": ["0.0.0.0/0"]}
                """.formatted(fabrikam));
        assertThat(create.status()).isEqualTo(400);
        assertThat(create.json().get("errors").get(0).get("detail").asText()).isEqualTo("no such organization");

        assertThat(api.send("GET", BASE + "/" + ours, helpdesk, null).status()).isEqualTo(200);
        assertThat(api.send("PATCH", BASE + "/" + ours, helpdesk, "{\"enabled\": false}").status()).isEqualTo(403);
        assertThat(api.send("DELETE", BASE + "/" + ours, admin, null).status()).isEqualTo(204);
        assertThat(api.connectors.allInbound()).extracting(c -> c.id()).containsExactly(theirs);
    }

    @Test
    void anOrganizationAdministratorsConnectorClaimsNoMoreThanItsOwn() {
        api.domain(contoso, "contoso.example");
        onPremises(fabrikam, "Fabrikam's servers"); // 192.0.2.0/24, by a global administrator
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        java.util.function.Function<String, AdminFixture.Reply> create = fields -> api.send("POST", BASE, admin,
                "{\"organizationId\": \"%s\", \"name\": \"n%s\", \"connectorType\": \"OnPremises\", %s}"
                        .formatted(contoso, java.util.UUID.randomUUID(), fields));

        var everyone = create.apply("\"senderIpAddresses\": [\"0.0.0.0/0\"]");
        assertThat(everyone.status()).as("an open relay for the whole internet").isEqualTo(400);
        assertThat(everyone.json().get("errors").get(0).get("detail").asText()).contains("wider than /24");
        assertThat(everyone.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/senderIpAddresses/0");
        assertThat(create.apply("\"senderIpAddresses\": [\"2001:db8::/32\"]").status()).isEqualTo(400);
        var theirs = create.apply("\"senderIpAddresses\": [\"198.51.100.7\", \"192.0.2.10\"]");
        assertThat(theirs.status()).isEqualTo(400);
        assertThat(theirs.json().get("errors").get(0).get("detail").asText()).contains("another organization");
        assertThat(theirs.json().get("errors").get(0).get("pointer").asText()).as("which range clashed is not said")
                .isEqualTo("#/senderIpAddresses");
        var foreignCertificate = create.apply("\"tlsSenderCertificateName\": \"mail.fabrikam.example\"");
        assertThat(foreignCertificate.status()).isEqualTo(400);
        assertThat(foreignCertificate.json().get("errors").get(0).get("pointer").asText()).isEqualTo("#/tlsSenderCertificateName");

        assertThat(create.apply("\"senderIpAddresses\": [\"198.51.100.0/24\", \"2001:db8:1::/48\"]").status()).isEqualTo(201);
        var own = create.apply("\"tlsSenderCertificateName\": \"*.onprem.contoso.example\"");
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        var widened = api.send("PATCH", BASE + "/" + own.json().get("id").asText(), admin, "{\"senderIpAddresses\": [\"10.0.0.0/8\"]}");
        assertThat(widened.status()).as("a change is held to the same limits").isEqualTo(400);
        assertThat(api.post(BASE, "{\"organizationId\": \"%s\", \"name\": \"wide\", \"connectorType\": \"OnPremises\", \"senderIpAddresses\": [\"10.0.0.0/8\"]}"
                .formatted(contoso)).status()).as("a global administrator is not limited").isEqualTo(201);
    }

    /**
     * Mail the node sends to itself (a content filter on loopback re-injecting, an MX pointing back)
     * comes from its own addresses: claimed by an organization, it would count as theirs and relay.
     */
    @Test
    void anOrganizationAdministratorsConnectorClaimsNoneOfTheNodesOwnAddresses() throws Exception {
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        java.util.function.Function<String, AdminFixture.Reply> create = range -> api.send("POST", BASE, admin,
                "{\"organizationId\": \"%s\", \"name\": \"n%s\", \"connectorType\": \"OnPremises\", \"senderIpAddresses\": [\"198.51.100.0/24\", \"%s\"]}"
                        .formatted(contoso, java.util.UUID.randomUUID(), range));

        for (String range : List.of("127.0.0.1", "127.0.0.0/24", "::1", "::", "0.0.0.0/24", "169.254.169.254", "fe80::/64",
                "224.0.0.251", "ff02::1", "::ffff:127.0.0.1")) {
            api.clock.advance(java.time.Duration.ofMinutes(1)); // refusals per account are limited (RefusedConnectorChangesTest)
            var reply = create.apply(range);
            assertThat(reply.status()).as(range).isEqualTo(400);
            assertThat(reply.json().get("errors").get(0).get("pointer").asText()).as(range).isEqualTo("#/senderIpAddresses");
            assertThat(reply.json().get("errors").get(0).get("detail").asText()).as(range).contains("sends to itself");
        }
        var skipLoopback = api.send("POST", BASE, admin, """
                {"organizationId": "%s", "name": "filtered", "connectorType": "OnPremises", "senderIpAddresses": ["198.51.100.0/24"],
                 "efSkipIps": ["127.0.0.1", "::1"]}""".formatted(contoso));
        assertThat(skipLoopback.status()).as("efSkipIps names hops to look past, it claims nothing").isEqualTo(201);
        var operators = api.post(BASE, "{\"organizationId\": \"%s\", \"name\": \"reinjection\", \"connectorType\": \"OnPremises\", \"senderIpAddresses\": [\"127.0.0.1\", \"::1\"]}"
                .formatted(contoso));
        assertThat(operators.status()).as("a global administrator is not limited").isEqualTo(201);
        String reinjection = BASE + "/" + operators.json().get("id").asText();
        assertThat(api.send("PATCH", reinjection, admin, "{\"comment\": \"the operator's\"}").status())
                .as("the tenant may still edit what the operator's ranges do not touch").isEqualTo(200);
        var widened = api.send("PATCH", reinjection, admin, "{\"senderIpAddresses\": [\"127.0.0.1\", \"::1\", \"127.0.0.2\"]}");
        assertThat(widened.status()).as("but adds no range of the node's").isEqualTo(400);
        assertThat(widened.json().get("errors").get(0).get("detail").asText()).contains("addresses of this node");

        String mine = interfaceAddress();
        var reply = create.apply(mine);
        assertThat(reply.status()).as(mine).isEqualTo(400);
        assertThat(reply.json().get("errors").get(0).get("detail").asText())
                .as("the answer does not say which address is the node's").doesNotContain(mine).contains("addresses of this node");
    }

    /** An OnPremises connector's ranges are relay grants: a Partner connector the operator made is not one yet. */
    @Test
    void becomingOnPremisesChecksEveryRangeAgain() {
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        var partner = api.post(BASE, "{\"organizationId\": \"%s\", \"name\": \"CRM vendor\", \"connectorType\": \"Partner\", \"senderIpAddresses\": [\"45.60.0.0/16\"]}"
                .formatted(contoso));
        assertThat(partner.status()).as("the operator's wide partner range").isEqualTo(201);
        var turned = api.send("PATCH", BASE + "/" + partner.json().get("id").asText(), admin,
                "{\"connectorType\": \"OnPremises\", \"senderDomains\": [\"*\"], \"treatMessagesAsInternal\": true}");
        assertThat(turned.status()).as(turned.body()).isEqualTo(400);
        assertThat(turned.json().get("errors").get(0).get("detail").asText()).contains("wider than /24");
        assertThat(api.connectors.inboundConnector(partner.json().get("id").asText()).orElseThrow().type())
                .isEqualTo(sluice.core.connector.ConnectorType.PARTNER);
    }

    @Test
    void tenantsMayShareAPartnersRangeButNotTheirOwnServers() {
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        api.post(BASE, "{\"organizationId\": \"%s\", \"name\": \"vendor\", \"connectorType\": \"Partner\", \"senderIpAddresses\": [\"203.0.113.0/24\"]}"
                .formatted(fabrikam));
        var partner = api.send("POST", BASE, admin, "{\"organizationId\": \"%s\", \"name\": \"same vendor\", \"connectorType\": \"Partner\", \"senderIpAddresses\": [\"203.0.113.0/24\"]}"
                .formatted(contoso));
        assertThat(partner.status()).as("two customers of one vendor: " + partner.body()).isEqualTo(201);
        var relay = api.send("POST", BASE, admin, "{\"organizationId\": \"%s\", \"name\": \"ours?\", \"connectorType\": \"OnPremises\", \"senderIpAddresses\": [\"203.0.113.7\"]}"
                .formatted(contoso));
        assertThat(relay.status()).as("but the vendor's servers are not the tenant's own").isEqualTo(400);
    }

    @Test
    void atMostSixteenNewRangesAtATime() {
        String admin = api.tokenFor(Role.ORG_ADMIN, contoso);
        String many = java.util.stream.IntStream.range(0, 17).mapToObj(i -> "\"198.51.100." + i + "\"")
                .collect(java.util.stream.Collectors.joining(", "));
        var reply = api.send("POST", BASE, admin, "{\"organizationId\": \"%s\", \"name\": \"scan\", \"connectorType\": \"OnPremises\", \"senderIpAddresses\": [%s]}"
                .formatted(contoso, many));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("errors").get(0).get("detail").asText()).startsWith("at most 16 new ranges at a time");
    }

    /** One of this machine's own addresses that is not loopback, link-local or multicast (those are refused anyway). */
    private static String interfaceAddress() throws Exception {
        var found = java.net.NetworkInterface.networkInterfaces().flatMap(java.net.NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isMulticastAddress() && !a.isAnyLocalAddress())
                .findFirst();
        org.junit.jupiter.api.Assumptions.assumeTrue(found.isPresent(), "this machine has no address but loopback and link-local");
        return IpRange.parse(java.net.InetAddress.getByAddress(found.get().getAddress()).getHostAddress()).toString();
    }
}
