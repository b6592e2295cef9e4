package sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Creating and changing configuration through the CLI, checked with get/list in both output formats.
 * Ordered: later steps use what earlier ones created.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CliNode node;

    @BeforeAll
    void start(@TempDir Path dir) {
        node = CliNode.start(dir);
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    @Test
    @Order(1)
    void helpListsServeAndEveryNoun() {
        CliNode.Run r = node.sluice("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("serve", "organization", "domain", "mailbox", "connector", "policy", "dkim", "trace", "queue",
                "quarantine", "config");
        CliNode.Run verb = node.sluice("connector", "new-outbound", "--help");
        assertThat(verb.exit()).isZero();
        assertThat(verb.out()).contains("--smart-hosts", "--all-accepted-domains", "--tls-settings", "Example");
    }

    @Test
    @Order(2)
    void organizationDomainAndMailbox() throws Exception {
        CliNode.Run org = node.sluice("organization", "new", "--name", "Contoso", "-o", "json");
        assertThat(org.exit()).as(org.toString()).isZero();
        String orgId = JSON.readTree(org.out()).path("id").asText();

        CliNode.Run list = node.sluice("organization", "list");
        assertThat(list.out().lines().toList()).first().asString().startsWith("Name").contains("RejectDirectSend", "Id");
        assertThat(list.out()).contains("Contoso", orgId);

        CliNode.Run domain = node.sluice("domain", "new", "--name", "contoso.example", "--type", "InternalRelay");
        assertThat(domain.exit()).as(domain.toString()).isZero();
        assertThat(domain.out()).contains("DomainType", "InternalRelay");
        assertThat(node.sluice("domain", "list").out()).contains("contoso.example", "InternalRelay", "Contoso");
        assertThat(node.sluice("domain", "set", "contoso.example", "--type", "Authoritative").exit()).isZero();
        JsonNode d = JSON.readTree(node.sluice("domain", "get", "contoso.example", "-o", "json").out());
        assertThat(d.path("domainType").asText()).isEqualTo("Authoritative");
        assertThat(d.path("organizationId").asText()).isEqualTo(orgId);

        CliNode.Run mailbox = node.sluiceWith(java.util.Map.of(), "correct horse battery staple\n",
                "mailbox", "new", "--address", "alice@contoso.example", "--alias", "al@contoso.example",
                "--display-name", "Alice Liddell", "--quota", "2GB", "--password-stdin");
        assertThat(mailbox.exit()).as(mailbox.toString()).isZero();
        assertThat(mailbox.out()).contains("Alice Liddell", "2 GB").doesNotContain("correct horse");
        JsonNode m = JSON.readTree(node.sluice("mailbox", "get", "alice@contoso.example", "-o", "json").out());
        assertThat(m.path("quotaBytes").asLong()).isEqualTo(2L << 30);
        assertThat(m.path("passwordSet").asBoolean()).isTrue();
        assertThat(m.path("aliases").get(0).asText()).isEqualTo("al@contoso.example");

        assertThat(node.sluice("mailbox", "set", "alice@contoso.example", "--add-alias", "alice.l@contoso.example",
                "--remove-alias", "al@contoso.example", "--quota", "unlimited").exit()).isZero();
        CliNode.Run table = node.sluice("mailbox", "list");
        assertThat(table.out()).contains("alice@contoso.example", "alice.l@contoso.example", "Unlimited")
                .doesNotContain("al@contoso.example ");
    }

    @Test
    @Order(3)
    void productExampleOutboundConnector() throws Exception {
        // PRODUCT.md, verbatim: the organization is the only one the caller can see.
        CliNode.Run r = node.sluice("connector", "new-outbound", "--name", "to-onprem", "--type", "OnPremises",
                "--all-accepted-domains", "--smart-hosts", "mail.onprem.example:25");
        assertThat(r.exit()).as(r.toString()).isZero();

        JsonNode c = JSON.readTree(node.sluice("connector", "get-outbound", "to-onprem", "-o", "json").out());
        assertThat(c.path("connectorType").asText()).isEqualTo("OnPremises");
        assertThat(c.path("allAcceptedDomains").asBoolean()).isTrue();
        assertThat(c.path("smartHosts").get(0).asText()).isEqualTo("mail.onprem.example:25");

        CliNode.Run list = node.sluice("connector", "list-outbound");
        assertThat(list.out()).contains("to-onprem", "(all accepted domains)", "mail.onprem.example:25", "Opportunistic", "Never");

        CliNode.Run set = node.sluice("connector", "set-outbound", "to-onprem", "--tls-settings", "EncryptionOnly",
                "--disabled", "--comment", "hybrid", "-o", "json");
        assertThat(set.exit()).as(set.toString()).isZero();
        JsonNode changed = JSON.readTree(set.out());
        assertThat(changed.path("tlsSettings").asText()).isEqualTo("EncryptionOnly");
        assertThat(changed.path("enabled").asBoolean()).isFalse();
        assertThat(changed.path("comment").asText()).isEqualTo("hybrid");
    }

    @Test
    @Order(4)
    void inboundConnector() throws Exception {
        CliNode.Run r = node.sluice("connector", "new-inbound", "--name", "from-onprem", "--type", "OnPremises",
                "--sender-ip-addresses", "192.0.2.10,198.51.100.0/24", "--treat-messages-as-internal");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(node.sluice("connector", "list-inbound").out()).contains("from-onprem", "192.0.2.10", "198.51.100.0/24");
        CliNode.Run set = node.sluice("connector", "set-inbound", "from-onprem", "--no-treat-messages-as-internal",
                "--ef-skip-ips", "203.0.113.1", "--ef-skip-last-ip", "-o", "json");
        JsonNode c = JSON.readTree(set.out());
        assertThat(c.path("treatMessagesAsInternal").asBoolean()).isFalse();
        assertThat(c.path("efSkipLastIp").asBoolean()).isTrue();
        assertThat(c.path("efSkipIps").size()).isEqualTo(1);

        CliNode.Run removed = node.sluice("connector", "remove-inbound", "from-onprem");
        assertThat(removed.out()).contains("Removed inbound connector from-onprem");
        assertThat(node.sluice("connector", "list-inbound", "-o", "json").out()).doesNotContain("from-onprem");
    }

    @Test
    @Order(5)
    void validateShowsTheReportPerHost() {
        // No DNS server answers (127.0.0.1:9), so the host cannot be resolved: a failed validation, exit 1.
        CliNode.Run r = node.sluice("connector", "validate", "to-onprem");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("Validating to-onprem");
        assertThat(r.out()).contains("Validation of to-onprem: Failed", "mail.onprem.example:25  FAILED", "error:");
        assertThat(node.sluice("connector", "list-outbound").out()).contains("Failed ");
    }

    @Test
    @Order(6)
    void errorsAreOneMessageWithoutStackTrace() {
        CliNode.Run badToken = node.sluice("organization", "list", "--token", "not-the-right-token-at-all");
        assertThat(badToken.exit()).isEqualTo(1);
        assertThat(badToken.err()).contains("the token was refused: set SLUICE_TOKEN or --token");

        CliNode.Run unreachable = node.sluice("organization", "list", "--server", "http://127.0.0.1:1");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err()).contains("cannot reach Sluice at http://127.0.0.1:1: is it running? (./sluice serve)");

        CliNode.Run missing = node.sluice("mailbox", "get", "00000000-0000-0000-0000-000000000000");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("Not Found", "There is no mailbox with id");

        CliNode.Run invalid = node.sluice("mailbox", "new", "--address", "bob@elsewhere.example", "--quota", "1GB",
                "--password=short");
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).contains("Bad Request", "address: domain elsewhere.example is not an accepted domain",
                "password: must be").doesNotContain("short\n");

        CliNode.Run conflict = node.sluice("organization", "new", "--name", "Contoso");
        assertThat(conflict.exit()).isEqualTo(1);
        assertThat(conflict.err()).contains("Conflict", "already exists");

        CliNode.Run inUse = node.sluice("domain", "remove", "contoso.example");
        assertThat(inUse.exit()).isEqualTo(1);
        assertThat(inUse.err()).contains("Conflict", "Mailboxes still use");

        for (CliNode.Run r : java.util.List.of(badToken, unreachable, missing, invalid, conflict, inUse))
            assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    @Order(7)
    void usageErrorsExitWith2() {
        CliNode.Run noName = node.sluice("connector", "new-outbound", "--type", "OnPremises", "--use-mx-record");
        assertThat(noName.exit()).isEqualTo(2);
        assertThat(noName.err()).contains("--name");

        CliNode.Run unknown = node.sluice("domain", "list", "--bogus");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option", "sluice domain list --help");

        CliNode.Run noVerb = node.sluice("queue");
        assertThat(noVerb.exit()).isEqualTo(2);
        assertThat(noVerb.err()).contains("Missing required subcommand", "retry");

        assertThat(node.sluice("queue", "remove", "0123456789ABCDEF0123").exit()).isEqualTo(2);
        assertThat(node.sluice("mailbox", "new", "--address", "x@contoso.example", "--quota", "lots").exit()).isEqualTo(2);
    }

    @Test
    @Order(8)
    void anOrganizationMustBeChosenWhenSeveralAreVisible() throws Exception {
        assertThat(node.sluice("organization", "new", "--name", "Fabrikam").exit()).isZero();
        CliNode.Run ambiguous = node.sluice("connector", "new-outbound", "--name", "x", "--type", "Partner", "--use-mx-record",
                "--recipient-domains", "partner.example");
        assertThat(ambiguous.exit()).isEqualTo(1);
        assertThat(ambiguous.err()).contains("you can see 2 organizations: choose one with --organization");

        CliNode.Run chosen = node.sluice("connector", "new-outbound", "--organization", "Fabrikam", "--name", "x",
                "--type", "Partner", "--use-mx-record", "--recipient-domains", "partner.example");
        assertThat(chosen.exit()).as(chosen.toString()).isZero();
        CliNode.Run onlyFabrikam = node.sluice("connector", "list-outbound", "--organization", "Fabrikam", "-o", "json");
        JsonNode items = JSON.readTree(onlyFabrikam.out()).path("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).path("name").asText()).isEqualTo("x");

        assertThat(node.sluice("connector", "remove-outbound", "x").exit()).isZero();
        assertThat(node.sluice("organization", "remove", "Fabrikam").out()).contains("Removed organization Fabrikam");
    }

    @Test
    @Order(9)
    void theTokenFallsBackToTheDataDirectory() throws Exception {
        java.nio.file.Path data = java.nio.file.Files.createTempDirectory("sluice-cli-token");
        java.nio.file.Files.createDirectories(data.resolve("data"));
        java.nio.file.Files.writeString(data.resolve("data/admin-token"), CliNode.TOKEN + "\n");
        var env = new Environment(java.util.Map.of("SLUICE_URL", node.url()), java.io.InputStream.nullInputStream(), data, false);
        CliNode.Run r = CliNode.run(env, "organization", "list");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Contoso");

        var none = new Environment(java.util.Map.of("SLUICE_URL", node.url()), java.io.InputStream.nullInputStream(),
                data.resolve("nowhere"), false);
        assertThat(CliNode.run(none, "organization", "list").err()).contains("no token: set SLUICE_TOKEN or --token");
    }
}
