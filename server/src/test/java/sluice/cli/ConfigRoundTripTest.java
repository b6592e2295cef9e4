package sluice.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code config export} → {@code config import} into a fresh node → {@code config export} gives the
 * same file, and importing it again changes nothing.
 */
class ConfigRoundTripTest {

    @Test
    void exportImportExportIsIdenticalAndImportIsIdempotent(@TempDir Path a, @TempDir Path b, @TempDir Path files) throws Exception {
        Path first = files.resolve("contoso.yaml");
        Path second = files.resolve("contoso-again.yaml");
        try (CliNode source = CliNode.start(a)) {
            configure(source);
            CliNode.Run export = source.sluice("config", "export", "--organization", "Contoso", "-f", first.toString());
            assertThat(export.exit()).as(export.toString()).isZero();
        }
        String yaml = Files.readString(first);
        assertThat(yaml).contains("organization:", "name: Contoso", "rejectDirectSend: true", "acceptedDomains:",
                "domainName: contoso.example", "address: alice@contoso.example", "quotaBytes: 2147483648",
                "inboundConnectors:", "outboundConnectors:", "tlsSettings: DomainValidation",
                "policies:", "connectionFilter:", "- 192.0.2.10", "- 203.0.113.0/24", "- 2001:db8::/32", "- 2001:db8:0:0:1::/80", "antiSpam:", "spamScl: 6",
                "spamAction: Quarantine", "modifySubjectValue: ", "[SPAM] ", "antiMalware:", "enableFileFilter: false",
                "- ps1", "action: Quarantine", "quarantineRetentionPeriod: 10",
                "transportRules:", "name: Tag external", "prependSubject: \"[EXT] \"", "routeUsingConnector: fabrikam",
                "recipientDomainIs:\n        - fabrikam.example\n    exceptions: {}\n    actions:\n      routeUsingConnector: fabrikam\n"
                        + "      stopProcessingRules: true\n  - name: Tag external\n    priority: 1")
                .doesNotContain("0:0:0:0", "DB8").doesNotContain("id:", "password", "lastValidation", "selector", "DKIM", "PRIVATE", "dnsRecord");

        try (CliNode target = CliNode.start(b)) {
            // The node's own token is a global administrator's: domains this new organization never proved need saying so.
            CliNode.Run refused = target.sluice("config", "import", "--organization", "Contoso", "--create-organization", "-f", first.toString());
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).contains("asks for what only a global administrator may set, and you are one:",
                    "  accepted domain contoso.example: not a verified accepted domain of the organization", "--allow-global-settings");

            CliNode.Run dryRun = target.sluice("config", "import", "--organization", "Contoso", "--create-organization", "--allow-global-settings", "-f", first.toString(), "--dry-run");
            assertThat(dryRun.exit()).as(dryRun.toString()).isZero();
            assertThat(dryRun.out()).contains("would create organization Contoso", "would create mailbox bob@contoso.example",
                    "would set anti-spam policy: spamScl, highConfidenceSpamScl",
                    "dry run, nothing changed; would have created 11, updated 3, unchanged 0");
            assertThat(target.sluice("organization", "list", "-o", "json").out()).doesNotContain("Contoso");

            CliNode.Run imported = target.sluice("config", "import", "--organization", "Contoso", "--create-organization", "--allow-global-settings", "-f", first.toString());
            assertThat(imported.exit()).as(imported.toString()).isZero();
            assertThat(imported.out()).contains("create accepted domain contoso.example",
                    "update connection filter policy: ipAllowList, ipBlockList", "update anti-spam policy: spamScl, spamAction,",
                    "update anti-malware policy: enableFileFilter, fileTypes, action, quarantineRetentionPeriod",
                    "create mail flow rule Via fabrikam", "created 11, updated 3, unchanged 0");

            CliNode.Run again = target.sluice("config", "export", "-f", second.toString());
            assertThat(again.exit()).as(again.toString()).isZero();
            assertThat(Files.readString(second)).isEqualTo(yaml);

            CliNode.Run idempotent = target.sluice("config", "import", "--organization", "Contoso", "-f", first.toString());
            assertThat(idempotent.out().strip()).isEqualTo("created 0, updated 0, unchanged 14");

            // A change in the file is an update of exactly that object, shown first by --dry-run.
            Files.writeString(second, yaml.replace("displayName: Bob", "displayName: Robert").replace("spamScl: 6", "spamScl: 4"));
            CliNode.Run plan = target.sluice("config", "import", "--organization", "Contoso", "-f", second.toString(), "--dry-run", "-o", "json");
            assertThat(plan.out()).contains("\"updated\" : 2", "update mailbox bob@contoso.example: displayName",
                    "update anti-spam policy: spamScl\"");
            CliNode.Run update = target.sluice("config", "import", "--organization", "Contoso", "-f", second.toString());
            assertThat(update.out()).contains("updated 2, unchanged 12");
            assertThat(target.sluice("mailbox", "get", "bob@contoso.example").out()).contains("Robert");
            assertThat(target.sluice("policy", "get-anti-spam", "-o", "json").out()).contains("\"spamScl\" : 4");

            // A policy field the file leaves out keeps its value.
            Files.writeString(second, "organization:\n  name: Contoso\n  rejectDirectSend: true\npolicies:\n  antiMalware:\n    action: Reject\n");
            CliNode.Run partial = target.sluice("config", "import", "--organization", "Contoso", "-f", second.toString());
            assertThat(partial.out()).contains("update anti-malware policy: action", "created 0, updated 1, unchanged 1");
            assertThat(target.sluice("policy", "get-anti-malware", "-o", "json").out())
                    .contains("\"action\" : \"Reject\"", "\"quarantineRetentionPeriod\" : 10");
        }
    }

    @Test
    void badFilesAreExplained(@TempDir Path dir) throws Exception {
        try (CliNode node = CliNode.start(dir)) {
            Path typo = dir.resolve("typo.yaml");
            Files.writeString(typo, "organization:\n  name: Contoso\noutboundConnectors:\n  - name: x\n    connectorType: Partner\n    smarthosts: [a.example]\n");
            CliNode.Run r = node.sluice("config", "import", "--organization", "Contoso", "-f", typo.toString());
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("outboundConnectors[0]: unknown field 'smarthosts'");

            Files.writeString(typo, "organization:\n  name: Contoso\npolicies:\n  antispam:\n    spamScl: 6\n");
            CliNode.Run policy = node.sluice("config", "import", "--organization", "Contoso", "-f", typo.toString());
            assertThat(policy.exit()).isEqualTo(1);
            assertThat(policy.err()).contains("policies: unknown policy 'antispam' (known: connectionFilter, antiSpam, antiMalware)");

            Files.writeString(typo, "organization:\n  name: Contoso\npolicies:\n  antiSpam:\n    spamaction: Reject\n");
            CliNode.Run field = node.sluice("config", "import", "--organization", "Contoso", "-f", typo.toString());
            assertThat(field.err()).contains("policies.antiSpam: unknown field 'spamaction'");

            CliNode.Run missing = node.sluice("config", "import", "--organization", "Contoso", "-f", dir.resolve("nope.yaml").toString());
            assertThat(missing.err()).contains("no such file");
        }
    }

    /** Two domains, two mailboxes, two connectors of each direction, two rules (in an order unlike the export's). */
    private static void configure(CliNode node) {
        ok(node.sluice("organization", "new", "--name", "Contoso", "--reject-direct-send"));
        ok(node.sluice("domain", "new", "--name", "contoso.example", "--type", "InternalRelay"));
        ok(node.sluice("domain", "new", "--name", "branch.contoso.example"));
        ok(node.sluiceWith(Map.of(), "a long enough password\n", "mailbox", "new", "--address", "bob@contoso.example",
                "--display-name", "Bob", "--password-stdin"));
        ok(node.sluice("mailbox", "new", "--address", "alice@contoso.example", "--alias", "al@branch.contoso.example",
                "--quota", "2GB"));
        ok(node.sluice("connector", "new-outbound", "--name", "to-onprem", "--type", "OnPremises", "--all-accepted-domains",
                "--smart-hosts", "mail.onprem.example:25", "--tls-settings", "EncryptionOnly", "--comment", "hybrid"));
        ok(node.sluice("connector", "new-outbound", "--name", "fabrikam", "--type", "Partner", "--recipient-domains",
                "fabrikam.example", "--use-mx-record", "--tls-settings", "DomainValidation", "--tls-domain", "mail.fabrikam.example"));
        ok(node.sluice("connector", "new-inbound", "--name", "from-onprem", "--type", "OnPremises", "--sender-ip-addresses",
                "192.0.2.10,198.51.100.0/24,2001:0db8:0:0:1:0:0:0/80", "--treat-messages-as-internal"));
        ok(node.sluice("connector", "new-inbound", "--name", "fabrikam-in", "--type", "Partner", "--sender-domains",
                "fabrikam.example", "--tls-sender-certificate-name", "mail.fabrikam.example", "--require-tls",
                "--restrict-domains-to-certificate", "--disabled"));
        ok(node.sluice("policy", "set-connection-filter", "--ip-allow-list", "192.0.2.10", "--ip-block-list",
                "203.0.113.0/24,2001:DB8:0:0:0:0:0:0/32"));
        ok(node.sluice("policy", "set-anti-spam", "--spam-scl", "6", "--spam-action", "Quarantine", "--dmarc-reject-action", "Quarantine"));
        ok(node.sluice("policy", "set-anti-malware", "--no-enable-file-filter", "--add-file-type", "ps1", "--action", "Quarantine",
                "--quarantine-retention-period", "10"));
        ok(node.sluice("dkim", "new", "--domain", "contoso.example"));
        ok(node.sluice("rule", "new", "--name", "Tag external", "--from-scope", "NotInOrganization", "--prepend-subject", "[EXT] ",
                "--except", "senderDomainIs=fabrikam.example"));
        ok(node.sluice("rule", "new", "--name", "Via fabrikam", "--priority", "0", "--recipient-domain", "fabrikam.example",
                "--route-using-connector", "fabrikam", "--stop"));
    }

    private static void ok(CliNode.Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
    }
}
