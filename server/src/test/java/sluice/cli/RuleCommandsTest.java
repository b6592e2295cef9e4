package sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice rule}: the real CLI against a running node, in both output formats. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuleCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CliNode node;

    @BeforeAll
    void start(@TempDir Path dir) {
        node = CliNode.start(dir);
        ok(node.sluice("organization", "new", "--name", "Contoso"));
        ok(node.sluice("domain", "new", "--name", "contoso.example"));
        ok(node.sluice("connector", "new-outbound", "--name", "partner-gw", "--type", "Partner", "--transport-rule-scoped",
                "--smart-hosts", "192.0.2.25"));
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    private static CliNode.Run ok(CliNode.Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        return r;
    }

    @Test
    void helpExplainsConditionsExceptionsAndActions() {
        assertThat(ok(node.sluice("--help")).out()).contains("rule");
        assertThat(ok(node.sluice("rule", "--help")).out()).contains("list", "get", "new", "set", "remove");
        assertThat(ok(node.sluice("rule", "new", "--help")).out()).contains("--from-scope", "--subject-contains", "--except",
                "--reject", "--route-using-connector", "--[no-]stop", "Examples:", "priority order");
        assertThat(node.sluice("rule", "new", "--help").out().lines()).allMatch(l -> l.length() <= 80);
    }

    @Test
    void newListGetSetAndRemove() throws Exception {
        ok(node.sluice("rule", "new", "--name", "Tag external", "--from-scope", "NotInOrganization",
                "--prepend-subject", "[EXT] ", "--except", "senderDomainIs=fabrikam.example,tailspin.example"));
        CliNode.Run routed = ok(node.sluice("rule", "new", "--name", "Via partner", "--priority", "0",
                "--recipient-domain", "partner.example", "--subject-contains", "confidential,secret",
                "--header-matches", "X-Class=^conf", "--route-using-connector", "partner-gw", "--stop", "-o", "json"));
        JsonNode r = JSON.readTree(routed.out());
        assertThat(r.path("priority").asInt()).isZero();
        assertThat(r.path("actions").path("routeUsingConnector").asText()).isEqualTo("partner-gw");
        assertThat(r.path("conditions").path("headerMatchesPatterns").path("patterns").get(0).asText()).isEqualTo("^conf");

        CliNode.Run list = ok(node.sluice("rule", "list"));
        assertThat(list.out().lines().toList()).first().asString().startsWith("Priority").contains("Name", "Enabled", "Actions", "Id");
        assertThat(list.out().lines().skip(2).toList()).first().asString().contains("Via partner", "routeUsingConnector,stopProcessingRules");
        assertThat(list.out()).contains("Tag external", "prependSubject");

        JsonNode tag = JSON.readTree(ok(node.sluice("rule", "get", "tag external", "-o", "json")).out());
        assertThat(tag.path("exceptions").path("senderDomainIs").toString()).isEqualTo("[\"fabrikam.example\",\"tailspin.example\"]");
        assertThat(tag.path("priority").asInt()).isEqualTo(1);

        // set changes only what it names: the prefix stays when a header is added
        ok(node.sluice("rule", "set", "Tag external", "--priority", "0", "--no-enabled", "--set-header", "X-Ext=yes"));
        JsonNode changed = JSON.readTree(ok(node.sluice("rule", "get", "Tag external", "-o", "json")).out());
        assertThat(changed.path("priority").asInt()).isZero();
        assertThat(changed.path("enabled").asBoolean()).isFalse();
        assertThat(changed.path("actions").path("prependSubject").asText()).isEqualTo("[EXT] ");
        assertThat(changed.path("actions").path("setHeader").path("name").asText()).isEqualTo("X-Ext");
        assertThat(changed.path("conditions").path("fromScope").asText()).isEqualTo("NotInOrganization");

        assertThat(ok(node.sluice("rule", "remove", "Tag external")).out()).contains("Removed mail flow rule Tag external.");
        assertThat(JSON.readTree(ok(node.sluice("rule", "get", "Via partner", "-o", "json")).out()).path("priority").asInt()).isZero();
    }

    @Test
    void invalidRulesAreExplained() {
        CliNode.Run regex = node.sluice("rule", "new", "--name", "bad", "--header-matches", "Subject=(oops", "--delete");
        assertThat(regex.exit()).isEqualTo(1);
        assertThat(regex.err()).contains("conditions/headerMatchesPatterns", "not a regular expression");

        CliNode.Run none = node.sluice("rule", "new", "--name", "nothing", "--subject-contains", "x");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("actions");

        CliNode.Run connector = node.sluice("rule", "new", "--name", "lost", "--route-using-connector", "nowhere");
        assertThat(connector.err()).contains("no outbound connector 'nowhere' in this organization");

        CliNode.Run pair = node.sluice("rule", "new", "--name", "p", "--set-header", "novalue");
        assertThat(pair.err()).contains("--set-header needs NAME=VALUE");
    }
}
