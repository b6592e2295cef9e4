package sluice.cli.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.cli.testing.FakeApi;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant's file asks for what its own organization administrators could not set: a domain it never
 * proved, connector ranges the server caps for them, delivery to the node itself. Imported with a global
 * administrator's token, the CLI refuses it unless the operator says --allow-global-settings; what an
 * organization administrator may set anyway passes.
 */
class TenantFileWithGlobalPowersTest {

    private static final String CONTOSO = "11111111-1111-1111-1111-111111111111";

    private static final String FILE = """
            organization:
              name: Contoso
            acceptedDomains:
              - domainName: contoso.example
              - domainName: sales.contoso.example
              - domainName: fabrikam.example
              - domainName: www.pending.example
            inboundConnectors:
              - name: from-onprem
                connectorType: OnPremises
                senderIpAddresses: [192.0.2.0/24, 198.51.100.0/22, 127.0.0.1, 2001:db8::/32, 2001:db8:1::/48, 203.0.113.7]
            outboundConnectors:
              - name: content-filter
                connectorType: OnPremises
                smartHosts: [127.0.0.1:10025]
                localHopsAllowed: true
              - name: partner
                connectorType: Partner
                smartHosts: [mail.partner.example]
            """;

    private static FakeApi api(String role) throws Exception {
        return new FakeApi().on("GET /session", "{\"role\":\"" + role + "\"}")
                .on("GET /organizations", "{\"items\":[{\"id\":\"" + CONTOSO + "\",\"name\":\"Contoso\",\"rejectDirectSend\":false}]}")
                .on("GET /domains", "{\"items\":[" + domain("contoso.example", "Verified") + "," + domain("pending.example", "PendingVerification") + "]}")
                .on("GET /connectors/inbound", "{\"items\":[{\"id\":\"i1\",\"name\":\"from-onprem\",\"connectorType\":\"OnPremises\","
                        + "\"senderIpAddresses\":[\"192.0.2.0/24\",\"203.0.0.0/16\"]}]}")
                .on("GET /connectors/outbound", "{\"items\":[{\"id\":\"o1\",\"name\":\"content-filter\",\"connectorType\":\"OnPremises\","
                        + "\"smartHosts\":[\"127.0.0.1:10025\"],\"localHopsAllowed\":false}]}");
    }

    private static String domain(String name, String status) {
        return "{\"id\":\"" + name + "\",\"domainName\":\"" + name + "\",\"domainType\":\"Authoritative\",\"status\":\"" + status + "\"}";
    }

    @Test
    void aGlobalAdministratorIsToldWhatOnlyItsPowerWouldApplyAndNothingIsWritten(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("contoso.yaml"), FILE);
        try (FakeApi api = api("GlobalAdmin")) {
            FakeApi.Run r = api.sluice("config", "import", "--organization", "Contoso", "-f", file.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err().lines().toList()).containsExactly(
                    "sluice: " + file + " asks for what only a global administrator may set, and you are one:",
                    "  accepted domain fabrikam.example: not a verified accepted domain of the organization or a subdomain of one (an organization administrator has to prove it with a TXT record)",
                    "  accepted domain www.pending.example: not a verified accepted domain of the organization or a subdomain of one (an organization administrator has to prove it with a TXT record)",
                    "  inbound connector from-onprem: 198.51.100.0/22 is wider than /24",
                    "  inbound connector from-onprem: 127.0.0.1 is in this node's own loopback, link-local or multicast addresses",
                    "  inbound connector from-onprem: 2001:db8::/32 is wider than /48",
                    "  outbound connector content-filter: localHopsAllowed: true (it may deliver to this node itself)",
                    "Nothing was changed. If you checked these settings and mean to apply them to Contoso, run again with --allow-global-settings.");
            assertThat(api.changes()).isEmpty();

            FakeApi.Run allowed = api.sluice("config", "import", "--organization", "Contoso", "-f", file.toString(),
                    "--allow-global-settings", "--dry-run");
            assertThat(allowed.exit()).as(allowed.toString()).isZero();
            assertThat(allowed.out()).contains("would create accepted domain fabrikam.example",
                    "would update inbound connector from-onprem: enabled, senderIpAddresses,");
        }
    }

    /** For an organization administrator the server itself refuses what it may not set: the CLI does not stand in the way. */
    @Test
    void anOrganizationAdministratorsImportIsLeftToTheServer(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("contoso.yaml"), FILE);
        try (FakeApi api = api("OrgAdmin")) {
            FakeApi.Run r = api.sluice("config", "import", "--organization", "Contoso", "-f", file.toString(), "--dry-run");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("would create accepted domain fabrikam.example");
        }
    }

    /** What the organization already has, or could set itself, needs no global power, however it is spelled. */
    @Test
    void settingsAnOrganizationAdministratorCouldMakePass(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("contoso.yaml"), """
                organization:
                  name: Contoso
                acceptedDomains:
                  - domainName: Contoso.Example.
                  - domainName: sales.contoso.example
                inboundConnectors:
                  - name: from-onprem
                    connectorType: OnPremises
                    senderIpAddresses: [192.0.2.0/24, 203.0.0.0/16, 198.51.100.0/24, 2001:db8:1::/48]
                """);
        try (FakeApi api = api("GlobalAdmin")) {
            FakeApi.Run r = api.sluice("config", "import", "--organization", "Contoso", "-f", file.toString(), "--dry-run");
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(r.out()).contains("would create accepted domain sales.contoso.example");
        }
    }
}
