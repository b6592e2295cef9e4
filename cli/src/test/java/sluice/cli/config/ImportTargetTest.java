package sluice.cli.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.cli.testing.FakeApi;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator imports a file a tenant maintains. The organization it lands in is the one the
 * operator names with --organization, never the one the file names, and no organization is created
 * unless the operator asks for it.
 */
class ImportTargetTest {

    private static final String CONTOSO = "11111111-1111-1111-1111-111111111111";
    private static final String FABRIKAM = "22222222-2222-2222-2222-222222222222";
    private static final String ORGANIZATIONS = "{\"items\":[{\"id\":\"" + CONTOSO + "\",\"name\":\"Contoso\",\"rejectDirectSend\":false},"
            + "{\"id\":\"" + FABRIKAM + "\",\"name\":\"Fabrikam\",\"rejectDirectSend\":false}]}";

    private static FakeApi api() throws Exception {
        return new FakeApi().on("GET /session", "{\"username\":\"bootstrap\",\"role\":\"OrgAdmin\"}")
                .on("GET /organizations", ORGANIZATIONS).on("GET /domains", "{\"items\":[]}");
    }

    /** {@code config import ARGS} fails with exit code 1 and a message starting with {@code message}, having asked for no change. */
    private static void assertRefusedUnchanged(FakeApi api, String message, String... args) {
        String[] command = new String[args.length + 2];
        command[0] = "config";
        command[1] = "import";
        System.arraycopy(args, 0, command, 2, args.length);
        FakeApi.Run r = api.sluice(command);
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).startsWith(message);
        assertThat(api.changes()).isEmpty();
    }

    @Test
    void aFileNamingAnotherOrganizationIsRefusedAndNothingIsWritten(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("fabrikam.yaml"),
                "organization:\n  name: Fabrikam\n  rejectDirectSend: true\nacceptedDomains:\n  - domainName: fabrikam.example\n");
        try (FakeApi api = api()) {
            assertRefusedUnchanged(api, "sluice: " + file + " is the configuration of organization 'Fabrikam', not of 'Contoso':"
                    + " nothing was changed.", "--organization", "Contoso", "-f", file.toString());
        }
    }

    @Test
    void theOrganizationIsRequired(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("contoso.yaml"), "organization:\n  name: Contoso\n");
        try (FakeApi api = api()) {
            FakeApi.Run r = api.sluice("config", "import", "-f", file.toString());
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).contains("Missing required option: '--organization=NAME|ID'");
            assertThat(api.calls()).isEmpty();
        }
    }

    @Test
    void aMissingOrganizationIsCreatedOnlyWhenAskedFor(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("northwind.yaml"), "organization:\n  name: Northwind\n  rejectDirectSend: true\n");
        try (FakeApi api = api()) {
            assertRefusedUnchanged(api, "sluice: there is no organization 'Northwind': nothing was changed. To create it from "
                    + file + ", run again with --create-organization", "--organization", "Northwind", "-f", file.toString());

            api.on("POST /organizations", 201, "{\"id\":\"33333333-3333-3333-3333-333333333333\",\"name\":\"Northwind\"}");
            FakeApi.Run created = api.sluice("config", "import", "--organization", "Northwind", "--create-organization", "-f", file.toString());
            assertThat(created.exit()).as(created.toString()).isZero();
            assertThat(created.out()).contains("create organization Northwind", "created 1, updated 0, unchanged 0");
            assertThat(api.changes()).containsExactly(new FakeApi.Call("POST /organizations", "{\"name\":\"Northwind\",\"rejectDirectSend\":true}"));
        }
    }

    /** Without an organization section the file cannot name one at all: its objects go where the operator says. */
    @Test
    void aFileWithoutAnOrganizationGoesWhereTheOperatorSays(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("domains.yaml"), "acceptedDomains:\n  - domainName: sales.contoso.example\n");
        try (FakeApi api = api().on("GET /domains", "{\"items\":[{\"id\":\"d1\",\"organizationId\":\"" + CONTOSO
                + "\",\"domainName\":\"contoso.example\",\"domainType\":\"Authoritative\",\"matchSubdomains\":false,\"status\":\"Verified\"}]}")
                .on("POST /domains", 201, "{}")) {
            FakeApi.Run r = api.sluice("config", "import", "--organization", "contoso", "-f", file.toString());
            assertThat(r.exit()).as(r.toString()).isZero();
            assertThat(api.changes()).singleElement().satisfies(c -> {
                assertThat(c.request()).isEqualTo("POST /domains");
                assertThat(c.body()).contains("\"domainName\":\"sales.contoso.example\"", "\"organizationId\":\"" + CONTOSO + "\"");
            });
        }
    }
}
