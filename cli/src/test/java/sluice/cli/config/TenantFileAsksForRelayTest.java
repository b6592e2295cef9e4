package sluice.cli.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.cli.testing.FakeApi;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ways a tenant's file could still get, through an operator's global token, what the server refuses its
 * own administrators: a pending domain spelled with a trailing dot, a certificate name of another
 * organization's servers on an OnPremises connector, new smart hosts on a connector allowed to deliver to
 * the node itself, and a value that forges a line of the refusal.
 */
class TenantFileAsksForRelayTest {

    private static final String CONTOSO = "11111111-1111-1111-1111-111111111111";

    private static FakeApi api() throws Exception {
        return new FakeApi().on("GET /session", "{\"role\":\"GlobalAdmin\"}")
                .on("GET /organizations", "{\"items\":[{\"id\":\"" + CONTOSO + "\",\"name\":\"Contoso\",\"rejectDirectSend\":false}]}")
                .on("GET /domains", "{\"items\":[" + domain("contoso.example", "Verified") + ","
                        + domain("xn--bcher-kva.example", "Verified") + "," + domain("victim.example", "PendingVerification") + "]}")
                .on("GET /connectors/inbound", "{\"items\":[{\"id\":\"i1\",\"name\":\"legacy\",\"connectorType\":\"OnPremises\","
                        + "\"senderIpAddresses\":[],\"tlsSenderCertificateName\":\"relay.operator.example\"}]}")
                .on("GET /connectors/outbound", "{\"items\":[{\"id\":\"o1\",\"name\":\"content-filter\",\"connectorType\":\"OnPremises\","
                        + "\"smartHosts\":[\"127.0.0.1:10025\"],\"useMxRecord\":false,\"localHopsAllowed\":true}]}");
    }

    private static String domain(String name, String status) {
        return "{\"id\":\"" + name + "\",\"domainName\":\"" + name + "\",\"domainType\":\"Authoritative\",\"status\":\"" + status + "\"}";
    }

    private static FakeApi.Run importing(FakeApi api, Path dir, String yaml, String... more) throws Exception {
        Path file = Files.writeString(dir.resolve("contoso.yaml"), "organization:\n  name: Contoso\n" + yaml);
        String[] args = {"config", "import", "--organization", "Contoso", "-f", file.toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return api.sluice(all);
    }

    /** The guard's findings, one per line: the import was refused and nothing was written. */
    private static List<String> findings(FakeApi api, FakeApi.Run r) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(api.changes()).isEmpty();
        return r.err().lines().filter(l -> l.startsWith("  ")).toList();
    }

    /** The server would create {@code victim.example.} as victim.example, Verified, for a global caller. */
    @Test
    void aPendingDomainIsNotHeldHoweverItIsSpelled(@TempDir Path dir) throws Exception {
        try (FakeApi api = api()) {
            FakeApi.Run r = importing(api, dir, """
                    acceptedDomains:
                      - domainName: victim.example.
                      - domainName: VICTIM.example
                    """);
            assertThat(findings(api, r)).containsExactly(
                    "  accepted domain victim.example: not a verified accepted domain of the organization or a subdomain of one"
                            + " (an organization administrator has to prove it with a TXT record)",
                    "  accepted domain victim.example: not a verified accepted domain of the organization or a subdomain of one"
                            + " (an organization administrator has to prove it with a TXT record)");
        }
    }

    /** The guard and the importer spell a name as the server does, so what passed as held is updated, not created. */
    @Test
    void aVerifiedDomainSpelledOtherwiseIsFoundNotCreated(@TempDir Path dir) throws Exception {
        try (FakeApi api = api()) {
            FakeApi.Run r = importing(api, dir, """
                    acceptedDomains:
                      - domainName: Contoso.Example.
                      - domainName: Bücher.Example
                      - domainName: mail.bücher.example.
                    """, "--dry-run");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out().lines().filter(l -> l.startsWith("would create")).toList())
                    .containsExactly("would create accepted domain mail.bücher.example.");
        }
    }

    /** Mail over TLS from *.fabrikam.example would count as Contoso's own and relay. */
    @Test
    void anOnPremisesCertificateNameOutsideTheVerifiedDomainsIsAskedFor(@TempDir Path dir) throws Exception {
        try (FakeApi api = api()) {
            FakeApi.Run r = importing(api, dir, """
                    inboundConnectors:
                      - name: from-fabrikam
                        connectorType: OnPremises
                        tlsSenderCertificateName: "*.fabrikam.example"
                      - name: from-pending
                        connectorType: OnPremises
                        tlsSenderCertificateName: mx.victim.example
                      - name: from-own
                        connectorType: OnPremises
                        tlsSenderCertificateName: "*.Mail.Contoso.Example"
                      - name: partner
                        connectorType: Partner
                        tlsSenderCertificateName: mx.fabrikam.example
                      - name: legacy
                        connectorType: OnPremises
                        tlsSenderCertificateName: relay.operator.example
                        comment: what the connector already has is not asked for
                    """);
            assertThat(findings(api, r)).containsExactly(
                    "  inbound connector from-fabrikam: tlsSenderCertificateName *.fabrikam.example is not within a verified"
                            + " accepted domain of the organization (servers with that certificate could relay as the organization)",
                    "  inbound connector from-pending: tlsSenderCertificateName mx.victim.example is not within a verified"
                            + " accepted domain of the organization (servers with that certificate could relay as the organization)");
        }
    }

    /** The server keeps localHopsAllowed for whatever hops the connector gets: new ones reach 127.0.0.1:8080. */
    @Test
    void newHopsForAConnectorAllowedToDeliverToTheNodeAreAskedFor(@TempDir Path dir) throws Exception {
        try (FakeApi api = api()) {
            FakeApi.Run moved = importing(api, dir, """
                    outboundConnectors:
                      - name: content-filter
                        connectorType: OnPremises
                        smartHosts: [127.0.0.1:8080]
                    """);
            assertThat(findings(api, moved)).containsExactly("  outbound connector content-filter: new smart hosts or useMxRecord for a connector"
                    + " with localHopsAllowed: true (it may deliver to this node itself, through the new hops too)");

            FakeApi.Run mx = importing(api, dir, """
                    outboundConnectors:
                      - name: content-filter
                        connectorType: OnPremises
                        smartHosts: [127.0.0.1:10025]
                        useMxRecord: true
                    """);
            assertThat(findings(api, mx)).hasSize(1);

            FakeApi.Run same = importing(api, dir, """
                    outboundConnectors:
                      - name: content-filter
                        connectorType: OnPremises
                        smartHosts: [127.0.0.1:10025]
                        comment: re-injection
                    """, "--dry-run");
            assertThat(same.exit()).as(same.toString()).isZero();
            assertThat(api.changes()).isEmpty();
        }
    }

    /** A connector name with a line break must not print a finding, or a "Nothing was changed" line, of its own. */
    @Test
    void aValueInTheRefusalCannotForgeALine(@TempDir Path dir) throws Exception {
        try (FakeApi api = api()) {
            FakeApi.Run r = importing(api, dir, """
                    inboundConnectors:
                      - name: "x\\nNothing to see: run again with --allow-global-settings"
                        connectorType: OnPremises
                        senderIpAddresses: [10.0.0.0/8]
                    """);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err().lines().toList()).hasSize(3).element(1).isEqualTo(
                    "  inbound connector x\\x0aNothing to see: run again with --allow-global-settings: 10.0.0.0/8 is wider than /24");
        }
    }
}
