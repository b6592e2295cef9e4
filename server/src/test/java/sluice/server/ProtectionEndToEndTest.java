package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.dns.DnsJavaResolver;
import sluice.core.dns.DnsStub;
import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.dkim.DkimVerifier;
import sluice.core.mailbox.MailboxStore;
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;
import sluice.smtp.testing.TestCertificates;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Protection against a whole node with a real DNS server: SPF and DMARC decide (p=reject honoured
 * with 5.7.509), Authentication-Results and the antispam report reach the mailbox, malware is
 * refused or, by policy, quarantined and released through the API, and the organization's own mail
 * leaves DKIM-signed with a key created through the API that a receiver can verify.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProtectionEndToEndTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    DnsStub dns;
    SmtpSink internet;
    Node node;
    Admin admin;
    String org;
    String aliceMailbox;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        dns = DnsStub.start("127.0.0.1");
        internet = SmtpSink.on("127.0.0.6").start();
        // a bank that publishes SPF for 192.0.2.0/24 only, and DMARC p=reject
        dns.txt("bank.example", "v=spf1 ip4:192.0.2.0/24 -all").txt("_dmarc.bank.example", "v=DMARC1; p=reject");
        // a friend whose SPF includes the loopback clients of this test
        dns.txt("friend.example", "v=spf1 ip4:127.0.0.0/8 -all").txt("_dmarc.friend.example", "v=DMARC1; p=reject");
        dns.mx("partner.example", 10, "mx.partner.example").a("mx.partner.example", "127.0.0.6");
        node = Node.start(TestNodes.config(dataDir, dns.server(), internet.port(), Map.of()));
        admin = TestNodes.admin(node);
        org = admin.createOrganization("Contoso");
        admin.createDomain(org, "contoso.example", "Authoritative");
        aliceMailbox = admin.createMailbox(org, "alice@contoso.example");
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
        if (internet != null) internet.close();
        if (dns != null) dns.close();
    }

    /** The first non-null answer of {@code probe} within the wait. */
    private static <T> T await(java.util.concurrent.Callable<T> probe) {
        return Poll.until(WAIT, "the expected outcome", probe, java.util.Objects::nonNull);
    }

    private String send(String from, String to, String message) throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("client.example.net");
            return c.send(from, List.of(to), message.getBytes(StandardCharsets.UTF_8));
        }
    }

    private String lastStored(MailboxStore.Folder folder) {
        var list = node.mailboxStore().list(aliceMailbox, folder);
        return list.isEmpty() ? null : new String(node.mailboxStore().content(aliceMailbox, list.getLast()), StandardCharsets.UTF_8);
    }

    @Test
    void aSpoofedSenderWithDmarcRejectIsRefusedAndAnAuthenticatedOneDelivered() throws Exception {
        String reply = send("alerts@bank.example", "alice@contoso.example",
                "From: Bank <alerts@bank.example>\r\nSubject: verify your account\r\n\r\nclick here");
        assertThat(reply).startsWith("550 5.7.509 Access denied");

        String subject = "lunch " + UUID.randomUUID();
        assertThat(send("pat@friend.example", "alice@contoso.example",
                "From: Pat <pat@friend.example>\r\nSubject: " + subject + "\r\n\r\nnoon?")).startsWith("250");
        String stored = await(() -> {
            String s = lastStored(MailboxStore.Folder.INBOX);
            return s != null && s.contains(subject) ? s : null;
        });
        assertThat(stored).contains("Authentication-Results: " + TestNodes.HOSTNAME + ";")
                .contains("spf=pass").contains("dmarc=pass").contains("X-Sluice-Antispam-Report: CIP:127.0.0.1;");
    }

    @Test
    void malwareIsRefusedAndByPolicyQuarantinedThenReleasedThroughTheApi() throws Exception {
        String infected = "From: <pat@friend.example>\r\nSubject: invoice\r\n\r\n" + EICAR;
        assertThat(send("pat@friend.example", "alice@contoso.example", infected)).startsWith("550 5.7.1 Message rejected: it contains malware");

        admin.patch("/api/v1/policies/anti-malware/" + org, Map.of("action", "Quarantine"));
        assertThat(send("pat@friend.example", "alice@contoso.example", infected)).startsWith("250");
        JsonNode held = await(() -> {
            var items = Admin.items(admin.get("/api/v1/quarantine?organizationId=" + org));
            return items.isEmpty() ? null : items.getFirst();
        });
        assertThat(held.path("reason").asText()).isEqualToIgnoringCase("Malware");
        long before = node.mailboxStore().list(aliceMailbox, MailboxStore.Folder.INBOX).size();
        admin.post("/api/v1/quarantine/" + held.path("id").asText() + "/release", Map.of());
        String released = await(() -> node.mailboxStore().list(aliceMailbox, MailboxStore.Folder.INBOX).size() > before
                ? lastStored(MailboxStore.Folder.INBOX) : null);
        assertThat(released).contains("X-Sluice-Quarantine-Released: by ").contains("EICAR-STANDARD-ANTIVIRUS-TEST-FILE");
    }

    @Test
    void theOrganizationsMailLeavesSignedWithItsPublishedDkimKey() throws Exception {
        JsonNode key = admin.post("/api/v1/dkim", Map.of("organizationId", org, "domainName", "contoso.example", "keyType", "Ed25519"));
        assertThat(key.path("enabled").asBoolean()).isFalse();
        dns.txt(key.path("dnsName").asText(), key.path("dnsRecord").asText());
        admin.patch("/api/v1/dkim/" + key.path("id").asText(), Map.of("enabled", true));
        admin.patch("/api/v1/mailboxes/" + aliceMailbox, Map.of("password", "correct horse battery"));

        String subject = "signed " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.submissionPort())) {
            c.ehlo("laptop");
            c.startTlsAndEhlo("laptop");
            assertThat(c.authPlain("alice@contoso.example", "correct horse battery")).startsWith("235");
            assertThat(c.send("alice@contoso.example", List.of("bob@partner.example"),
                    ("From: Alice <alice@contoso.example>\r\nTo: bob@partner.example\r\nSubject: " + subject + "\r\n\r\nhi Bob\r\n")
                            .getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        SinkMessage got = await(() -> internet.messages().stream().filter(m -> m.text().contains(subject)).findFirst().orElse(null));
        assertThat(got.text()).contains("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=contoso.example; s="
                + key.path("selector").asText());
        List<DkimResult> results = new DkimVerifier(new DnsJavaResolver(List.of(dns.server()), Duration.ofSeconds(2), 1),
                InstantSource.system()).verify(got.content());
        assertThat(results).singleElement().satisfies(r -> assertThat(r.code()).hasToString("PASS"));
    }

    @Test
    void theGtubeTestStringIsHighConfidenceSpamAndQuarantinedByDefault() throws Exception {
        String subject = "gtube " + UUID.randomUUID();
        assertThat(send("pat@friend.example", "alice@contoso.example", "From: <pat@friend.example>\r\nSubject: " + subject
                + "\r\n\r\nXJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n")).startsWith("250");
        JsonNode held = await(() -> Admin.items(admin.get("/api/v1/quarantine?organizationId=" + org)).stream()
                .filter(e -> e.path("subject").asText().equals(subject)).findFirst().orElse(null));
        assertThat(held.path("reason").asText()).isEqualToIgnoringCase("HighConfidenceSpam");
        assertThat(held.path("details").asText()).contains("HSPM");
    }
}
