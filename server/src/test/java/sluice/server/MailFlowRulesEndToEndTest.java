package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.dns.DnsStub;
import sluice.core.mailbox.MailboxStore;
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mail flow rules over real SMTP: a rule that refuses (the client sees the 5.7.x reply), one that
 * prepends the subject and adds a header (seen in the hosted mailbox), a redirect to another
 * mailbox, and one that routes matching mail through a transport-rule-scoped Partner connector while
 * other mail to the same domain goes by MX.
 *
 * <pre>
 *   127.0.0.1   Sluice, the test clients
 *   127.0.0.31  mx.partner.example (by the DNS stub): plain MX delivery
 *   127.0.0.32  the partner's gateway, reached only through the rule's connector
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MailFlowRulesEndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    DnsStub dns;
    SmtpSink mx;
    SmtpSink gateway;
    Node node;
    Admin admin;
    String org;
    String alice;
    String legal;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        dns = DnsStub.start("127.0.0.1");
        mx = SmtpSink.on("127.0.0.31").start();
        gateway = SmtpSink.on("127.0.0.32").start();
        dns.mx("partner.example", 10, "mx.partner.example").a("mx.partner.example", "127.0.0.31");
        dns.txt("fabrikam.example", "v=spf1 ip4:127.0.0.0/8 -all");
        node = Node.start(TestNodes.config(dataDir, dns.server(), mx.port(), Map.of()));
        admin = TestNodes.admin(node);
        org = admin.createOrganization("Contoso");
        admin.createDomain(org, "contoso.example", "Authoritative");
        alice = admin.createMailbox(org, "alice@contoso.example");
        legal = admin.createMailbox(org, "legal@contoso.example");
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
        if (gateway != null) gateway.close();
        if (mx != null) mx.close();
        if (dns != null) dns.close();
    }

    private String rule(String name, Map<String, Object> conditions, Map<String, Object> actions) {
        return admin.post("/api/v1/rules", Map.of("organizationId", org, "name", name, "conditions", conditions,
                "actions", actions)).path("id").asText();
    }

    private String send(String from, String to, String subject) throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("mail.fabrikam.example");
            return c.send(from, List.of(to), message(from, to, subject));
        }
    }

    private static byte[] message(String from, String to, String subject) {
        return ("From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: " + subject + "\r\nMessage-ID: <" + UUID.randomUUID()
                + "@fabrikam.example>\r\n\r\n" + TestNodes.ORDINARY_BODY).getBytes(StandardCharsets.UTF_8);
    }

    /** The stored message of {@code mailbox} (Inbox or Junk) that contains {@code marker}, once it arrived. */
    private String stored(String mailbox, String marker) {
        return Poll.until(WAIT, "a message with " + marker, () -> {
            for (MailboxStore.Folder folder : MailboxStore.Folder.values()) {
                for (var m : node.mailboxStore().list(mailbox, folder)) {
                    String s = new String(node.mailboxStore().content(mailbox, m), StandardCharsets.UTF_8);
                    if (s.contains(marker)) return s;
                }
            }
            return null;
        }, java.util.Objects::nonNull);
    }

    private static SinkMessage arrived(SmtpSink sink, String marker) {
        return Poll.until(WAIT, "a message with " + marker + " at the sink", () -> sink.messages().stream()
                .filter(m -> m.text().contains(marker)).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    @Test
    void aRuleOfTheSendingConnectorsOrganizationLeavesAnotherOrganizationsMailAlone() throws Exception {
        String northwind = admin.createOrganization("Northwind");
        admin.createDomain(northwind, "northwind.example", "Authoritative");
        String carol = admin.createMailbox(northwind, "carol@northwind.example");
        admin.createInboundConnector(Map.of("organizationId", org, "name", "Partner by IP", "connectorType", "Partner",
                "senderIpAddresses", List.of("127.0.0.33/32"), "senderDomains", List.of("*")));
        rule("Copy partner mail", Map.of("subjectContainsWords", List.of("copyme")), Map.of("addBcc", List.of("legal@contoso.example")));
        String marker = "copyme " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort(), "127.0.0.33")) {
            c.ehlo("mail.partner.example");
            assertThat(c.send("bob@partner.example", List.of("carol@northwind.example"),
                    message("bob@partner.example", "carol@northwind.example", marker))).startsWith("250");
        }
        assertThat(stored(carol, marker)).contains(marker);
        JsonNode summary = Poll.until(WAIT, "the trace", () -> admin.traceByRecipient("carol@northwind.example").stream()
                .filter(s -> s.path("subject").asText().contains(marker)).findFirst().orElse(null), java.util.Objects::nonNull);
        assertThat(admin.events(summary.path("networkMessageId").asText())).isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("organizationId").asText()).isEqualTo(northwind))
                .noneMatch(e -> e.path("recipient").asText().equals("legal@contoso.example"));
        for (MailboxStore.Folder folder : MailboxStore.Folder.values()) {
            assertThat(node.mailboxStore().list(legal, folder)).as("Contoso's rule did not copy Northwind's mail")
                    .noneMatch(m -> new String(node.mailboxStore().content(legal, m), StandardCharsets.UTF_8).contains(marker));
        }
    }

    @Test
    void aRejectingRuleAnswersTheClientWithItsEnhancedCode() throws Exception {
        rule("No lottery", Map.of("subjectContainsWords", List.of("lottery win")),
                Map.of("rejectMessage", Map.of("reasonText", "Lottery mail is not accepted here", "enhancedStatusCode", "5.7.950")));
        assertThat(send("bob@fabrikam.example", "alice@contoso.example", "Your LOTTERY WIN awaits"))
                .startsWith("550 5.7.950 Lottery mail is not accepted here");
        assertThat(send("bob@fabrikam.example", "alice@contoso.example", "lottery winners list")).as("whole words only").startsWith("250");
    }

    @Test
    void aTaggingRulePrependsTheSubjectAndAddsAHeaderInTheMailbox() throws Exception {
        String id = rule("Tag Fabrikam", Map.of("senderDomainIs", List.of("fabrikam.example"), "fromScope", "NotInOrganization",
                        "subjectContainsWords", List.of("tagme")),
                Map.of("prependSubject", "[EXT] ", "setHeader", Map.of("name", "X-Partner", "value", "fabrikam")));
        String marker = "tagme " + UUID.randomUUID();
        assertThat(send("bob@fabrikam.example", "alice@contoso.example", marker)).startsWith("250");
        String got = stored(alice, marker);
        assertThat(got).contains("Subject: [EXT] " + marker).contains("\r\nX-Partner: fabrikam\r\n")
                .contains("X-Sluice-Rules: " + id).containsPattern("X-Sluice-Antispam-Report: [^\r\n]*TRANSPORT_RULE");

        JsonNode summary = Poll.until(WAIT, "the trace", () -> admin.traceByRecipient("alice@contoso.example").stream()
                .filter(s -> s.path("subject").asText().contains(marker)).findFirst().orElse(null), java.util.Objects::nonNull);
        List<JsonNode> events = admin.events(summary.path("networkMessageId").asText());
        assertThat(events).anyMatch(e -> e.path("detail").asText().equals("mail flow rule 'Tag Fabrikam' (" + id + "): setHeader, prependSubject"));
    }

    @Test
    void aRedirectDeliversToTheNewRecipientOnly() throws Exception {
        rule("Legal hold", Map.of("recipientAddresses", List.of("alice@contoso.example"), "subjectContainsWords", List.of("legal hold")),
                Map.of("redirectTo", List.of("legal@contoso.example")));
        String marker = "legal hold " + UUID.randomUUID();
        assertThat(send("bob@fabrikam.example", "alice@contoso.example", marker)).startsWith("250");
        assertThat(stored(legal, marker)).contains(marker);
        assertThat(node.mailboxStore().list(alice, MailboxStore.Folder.INBOX).stream()
                .map(m -> new String(node.mailboxStore().content(alice, m), StandardCharsets.UTF_8)))
                .noneMatch(s -> s.contains(marker));
    }

    @Test
    void aRuleRoutesMatchingMailThroughATransportRuleScopedConnector() throws Exception {
        String connector = admin.createOutboundConnector(Map.of("organizationId", org, "name", "Partner gateway (rules only)",
                "connectorType", "Partner", "isTransportRuleScoped", true, "smartHosts", List.of("127.0.0.32:" + gateway.port())));
        rule("Secure to partner", Map.of("recipientDomainIs", List.of("partner.example"), "subjectContainsWords", List.of("confidential")),
                Map.of("routeUsingConnector", connector));
        admin.patch("/api/v1/mailboxes/" + alice, Map.of("password", Admin.PASSWORD));

        String secret = "confidential " + UUID.randomUUID();
        String plain = "lunch " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.submissionPort())) {
            c.ehlo("laptop");
            c.startTlsAndEhlo("laptop");
            assertThat(c.authPlain("alice@contoso.example", Admin.PASSWORD)).startsWith("235");
            assertThat(c.send("alice@contoso.example", List.of("bob@partner.example"),
                    message("alice@contoso.example", "bob@partner.example", secret))).startsWith("250");
            assertThat(c.send("alice@contoso.example", List.of("bob@partner.example"),
                    message("alice@contoso.example", "bob@partner.example", plain))).startsWith("250");
        }
        assertThat(arrived(gateway, secret).rcptTo()).containsExactly("bob@partner.example");
        arrived(mx, plain);
        assertThat(mx.messages()).noneMatch(m -> m.text().contains(secret));
        assertThat(gateway.messages()).noneMatch(m -> m.text().contains(plain));
    }
}
