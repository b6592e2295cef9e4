package sluice.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code protection.enabled: false} (a node behind another filter) turns the filters off, not the
 * organization's mail flow rules: over real SMTP a rule still refuses, tags and prefixes, and the
 * delivered copy carries no verdict of a filter that did not run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RulesWithProtectionOffTest {

    Node node;
    Admin admin;
    String org;
    String alice;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        node = Node.start(TestNodes.withoutProtection(TestNodes.config(dataDir, null, 9, Map.of())));
        admin = TestNodes.admin(node);
        org = admin.createOrganization("Contoso");
        admin.createDomain(org, "contoso.example", "Authoritative");
        alice = admin.createMailbox(org, "alice@contoso.example");
        admin.post("/api/v1/rules", Map.of("organizationId", org, "name", "Tag external", "conditions",
                Map.of("fromScope", "NotInOrganization"), "actions",
                Map.of("prependSubject", "[EXT] ", "setHeader", Map.of("name", "X-Tagged", "value", "external"))));
        admin.post("/api/v1/rules", Map.of("organizationId", org, "name", "No invoices", "conditions",
                Map.of("subjectContainsWords", List.of("invoice")), "actions",
                Map.of("rejectMessage", Map.of("reasonText", "Invoices go to the portal", "enhancedStatusCode", "5.7.912"))));
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    private String send(String subject) throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("mail.fabrikam.example");
            return c.send("bob@fabrikam.example", List.of("alice@contoso.example"),
                    ("From: <bob@fabrikam.example>\r\nTo: <alice@contoso.example>\r\nSubject: " + subject
                            + "\r\nMessage-ID: <" + UUID.randomUUID() + "@fabrikam.example>\r\n\r\nHello.\r\n")
                            .getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void rulesStillTagAndPrefixButNoFilterVerdictIsAdded() throws Exception {
        String marker = "status " + UUID.randomUUID();
        assertThat(send(marker)).startsWith("250");
        String stored = Poll.until(Duration.ofSeconds(30), "the message in the inbox", () -> {
            for (var m : node.mailboxStore().list(alice, MailboxStore.Folder.INBOX)) {
                String s = new String(node.mailboxStore().content(alice, m), StandardCharsets.UTF_8);
                if (s.contains(marker)) return s;
            }
            return null;
        }, java.util.Objects::nonNull);
        assertThat(stored).contains("Subject: [EXT] " + marker, "X-Tagged: external", "X-Sluice-Rules: ");
        assertThat(stored).doesNotContain("X-Sluice-Antispam-Report", "Authentication-Results");
    }

    @Test
    void aRejectingRuleStillRefusesInTheDialogue() throws Exception {
        assertThat(send("Your invoice 42")).startsWith("550 5.7.912 Invoices go to the portal");
    }
}
