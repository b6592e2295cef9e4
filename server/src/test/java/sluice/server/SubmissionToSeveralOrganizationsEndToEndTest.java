package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
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
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Contoso user writes, in one message, to a Contoso colleague, to a Fabrikam colleague (Fabrikam
 * is another organization hosted on the same node) and to someone on the internet. Mail clients do
 * not resend a recipient refused with 452 (Thunderbird, Mozilla bug 300937, reports an error and
 * sends nothing), so on the submission port the node takes every recipient and splits the message
 * per organization: each copy goes through its organization's own rules, trace and fate.
 *
 * <pre>
 *   127.0.0.1   Sluice, the test clients
 *   127.0.0.46  mx.outside.example (by the DNS stub): the internet recipient's server
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubmissionToSeveralOrganizationsEndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    DnsStub dns;
    SmtpSink internet;
    Node node;
    Admin admin;
    String contoso;
    String fabrikam;
    String alice;
    String dave;
    String carol;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        dns = DnsStub.start("127.0.0.1");
        internet = SmtpSink.on("127.0.0.46").start();
        dns.mx("outside.example", 10, "mx.outside.example").a("mx.outside.example", "127.0.0.46");
        dns.txt("contoso.example", "v=spf1 ip4:127.0.0.0/8 -all");
        node = Node.start(TestNodes.config(dataDir, dns.server(), internet.port(), Map.of()));
        admin = TestNodes.admin(node);
        contoso = admin.createOrganization("Contoso");
        admin.createDomain(contoso, "contoso.example", "Authoritative");
        alice = admin.createMailbox(contoso, "alice@contoso.example");
        dave = admin.createMailbox(contoso, "dave@contoso.example");
        fabrikam = admin.createOrganization("Fabrikam");
        admin.createDomain(fabrikam, "fabrikam.example", "Authoritative");
        carol = admin.createMailbox(fabrikam, "carol@fabrikam.example");
        rule(contoso, "Contoso tag", Map.of("subjectContainsWords", List.of("tagme")), Map.of("prependSubject", "[Contoso] "));
        rule(fabrikam, "Fabrikam tag", Map.of("subjectContainsWords", List.of("tagme")),
                Map.of("prependSubject", "[Fabrikam] ", "setHeader", Map.of("name", "X-Fabrikam", "value", "seen")));
        rule(fabrikam, "Fabrikam refuses", Map.of("subjectContainsWords", List.of("refuseme", "everyone refuses")),
                Map.of("rejectMessage", Map.of("reasonText", "Fabrikam does not take this", "enhancedStatusCode", "5.7.950")));
        rule(fabrikam, "Fabrikam copies the partner", Map.of("subjectContainsWords", List.of("bccpartner")),
                Map.of("addBcc", List.of("partner@outside.example")));
        rule(contoso, "Contoso refuses", Map.of("subjectContainsWords", List.of("everyone refuses")),
                Map.of("rejectMessage", Map.of("reasonText", "Contoso does not send this", "enhancedStatusCode", "5.7.901")));
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
        if (internet != null) internet.close();
        if (dns != null) dns.close();
    }

    private void rule(String org, String name, Map<String, Object> conditions, Map<String, Object> actions) {
        admin.post("/api/v1/rules", Map.of("organizationId", org, "name", name, "conditions", conditions, "actions", actions));
    }

    private static final List<String> EVERYONE = List.of("dave@contoso.example", "carol@fabrikam.example", "partner@outside.example");

    private static byte[] message(String subject) {
        return ("From: Alice <alice@contoso.example>\r\nTo: " + String.join(", ", EVERYONE) + "\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + UUID.randomUUID() + "@contoso.example>\r\n\r\n" + TestNodes.ORDINARY_BODY)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Alice's message over submission (STARTTLS, AUTH); asserts every RCPT is taken; returns the reply to DATA. */
    private String submit(String subject) throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.submissionPort())) {
            c.ehlo("laptop");
            c.startTlsAndEhlo("laptop");
            assertThat(c.authPlain("alice@contoso.example", Admin.PASSWORD)).startsWith("235");
            assertThat(c.cmd("MAIL FROM:<alice@contoso.example>")).startsWith("250");
            for (String to : EVERYONE) assertThat(c.cmd("RCPT TO:<" + to + ">")).as(to).isEqualTo("250 2.1.5 Recipient OK");
            return c.data(message(subject));
        }
    }

    /** The message in {@code mailbox} (any folder) that contains {@code marker}, once it arrived. */
    private String stored(String mailbox, String marker) {
        return Poll.until(WAIT, "a message with " + marker, () -> find(mailbox, marker), Objects::nonNull);
    }

    private String find(String mailbox, String marker) {
        for (MailboxStore.Folder folder : MailboxStore.Folder.values()) {
            for (var m : node.mailboxStore().list(mailbox, folder)) {
                String s = new String(node.mailboxStore().content(mailbox, m), StandardCharsets.UTF_8);
                if (s.contains(marker)) return s;
            }
        }
        return null;
    }

    /** The trace events of the message to {@code recipient} whose subject contains {@code marker}. */
    private List<JsonNode> events(String recipient, String marker) {
        return admin.events(networkId(recipient, marker));
    }

    private String networkId(String recipient, String marker) {
        return Poll.until(WAIT, "the trace of " + recipient, () -> admin.traceByRecipient(recipient).stream()
                .filter(s -> s.path("subject").asText().contains(marker)).findFirst().orElse(null), Objects::nonNull)
                .path("networkMessageId").asText();
    }

    @Test
    void aMailClientSendsOneMessageToTwoOrganizationsAndTheInternet() throws Exception {
        String marker = "tagme " + UUID.randomUUID();
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(node.submissionPort()));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        // The node's self-signed certificate names mx.sluice.test, and the client connects to 127.0.0.1.
        p.put("mail.smtp.ssl.trust", "*");
        p.put("mail.smtp.ssl.checkserveridentity", "false");
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "10000");
        MimeMessage m = new MimeMessage(Session.getInstance(p));
        m.setFrom(new InternetAddress("alice@contoso.example", "Alice"));
        for (String to : EVERYONE) m.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(marker);
        m.setText(TestNodes.ORDINARY_BODY, "UTF-8");

        Transport.send(m, "alice@contoso.example", Admin.PASSWORD); // before: SendFailedException, 452 4.5.3 for carol

        assertThat(stored(dave, marker)).contains("Subject: [Contoso] " + marker).doesNotContain("[Fabrikam]", "X-Fabrikam");
        assertThat(stored(carol, marker)).as("Fabrikam's rules decide Fabrikam's copy")
                .contains("Subject: [Fabrikam] " + marker, "\r\nX-Fabrikam: seen\r\n").doesNotContain("[Contoso]");
        SinkMessage out = Poll.until(WAIT, "the internet copy", () -> internet.messages().stream()
                .filter(x -> x.text().contains(marker)).findFirst().orElse(null), Objects::nonNull);
        assertThat(out.rcptTo()).containsExactly("partner@outside.example");
        assertThat(out.text()).contains("Subject: [Contoso] " + marker).doesNotContain("[Fabrikam]");

        // One network message id follows every copy (PRODUCT.md); each event belongs to its recipient's
        // organization, which is what scopes an organization administrator's trace (OrganizationScopingTest).
        assertThat(networkId("dave@contoso.example", marker)).as("the same message").isEqualTo(networkId("carol@fabrikam.example", marker));
        List<JsonNode> all = events("carol@fabrikam.example", marker);
        assertThat(all).filteredOn(e -> e.path("recipient").asText().equals("carol@fabrikam.example")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("organizationId").asText()).isEqualTo(fabrikam));
        assertThat(all).filteredOn(e -> !e.path("recipient").asText().equals("carol@fabrikam.example")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.path("organizationId").asText()).isEqualTo(contoso))
                .allSatisfy(e -> assertThat(e.path("recipient").asText()).isIn("dave@contoso.example", "partner@outside.example"));
    }

    /**
     * Fabrikam's rule copies Alice's message to the same outside partner Contoso's copy goes to: one
     * network message id, one recipient, two organizations' copies. Each organization's trace search
     * shows its own copy and only that; neither copy's status or ownership leaks into the other's.
     */
    @Test
    void anOutsideRecipientOfBothOrganizationsCopiesIsTracedOncePerOrganization() throws Exception {
        String marker = "bccpartner " + UUID.randomUUID();

        assertThat(submit(marker)).startsWith("250 2.0.0 Ok: queued as ");

        Poll.until(WAIT, "both copies at the partner", () -> internet.messages().stream()
                .filter(x -> x.text().contains(marker)).count(), n -> n == 2);
        String networkId = networkId("dave@contoso.example", marker);
        for (String org : List.of(contoso, fabrikam)) {
            List<JsonNode> rows = Poll.until(WAIT, "the partner's copy of " + org + " Delivered",
                    () -> partnerRows(org, marker), r -> r.size() == 1 && r.getFirst().path("status").asText().equals("Delivered"));
            assertThat(rows.getFirst().path("organizationId").asText()).isEqualTo(org);
            assertThat(rows.getFirst().path("networkMessageId").asText()).isEqualTo(networkId);
        }
        assertThat(partnerRows(null, marker)).as("a global administrator sees both copies")
                .extracting(r -> r.path("organizationId").asText()).containsExactlyInAnyOrder(contoso, fabrikam);
    }

    /** The trace summaries of partner@outside.example for {@code marker}, in one organization or (null) all. */
    private List<JsonNode> partnerRows(String org, String marker) {
        return Admin.items(admin.get("/api/v1/trace?recipient=partner%40outside.example"
                        + (org == null ? "" : "&organizationId=" + org))).stream()
                .filter(s -> s.path("subject").asText().contains(marker)).toList();
    }

    @Test
    void theOtherOrganizationsRefusalComesBackToTheSenderAsAnNdr() throws Exception {
        String marker = "refuseme " + UUID.randomUUID();

        assertThat(submit(marker)).startsWith("250 2.0.0 Ok: queued as ");

        assertThat(stored(dave, marker)).contains("Subject: " + marker);
        String ndr = stored(alice, "Undeliverable: " + marker);
        assertThat(ndr).contains("Final-Recipient: rfc822; carol@fabrikam.example", "Status: 5.7.950",
                "Diagnostic-Code: smtp; 550 5.7.950 Fabrikam does not take this");
        assertThat(ndr.split("Final-Recipient: ", -1)).as("only carol failed").hasSize(2);
        assertThat(find(carol, marker)).isNull();
        assertThat(events("carol@fabrikam.example", marker)).extracting(e -> e.path("type").asText().toUpperCase(java.util.Locale.ROOT))
                .contains("FAIL", "DSN");
    }

    @Test
    void whenEveryOrganizationRefusesTheClientGetsTheFirstRefusal() throws Exception {
        String marker = "everyone refuses " + UUID.randomUUID();

        assertThat(submit(marker)).isEqualTo("550 5.7.901 Contoso does not send this");

        assertThat(events("carol@fabrikam.example", marker)).extracting(e -> e.path("type").asText().toUpperCase(java.util.Locale.ROOT)).contains("FAIL");
        assertThat(find(dave, marker)).isNull();
        assertThat(find(carol, marker)).isNull();
        assertThat(find(alice, marker)).as("the client was told; no NDR").isNull();
    }

    @Test
    void mailFromTheInternetStillGets452ForASecondOrganization() throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("mail.outside.example");
            assertThat(c.cmd("MAIL FROM:<sam@outside.example>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<dave@contoso.example>")).startsWith("250");
            assertThat(c.cmd("RCPT TO:<carol@fabrikam.example>"))
                    .isEqualTo("452 4.5.3 Recipients of another organization must be sent in a separate transaction");
        }
    }
}
