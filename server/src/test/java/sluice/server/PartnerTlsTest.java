package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore;
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;
import sluice.smtp.testing.TestCertificates;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 6 of issue 3: Partner outbound connectors with DomainValidation never downgrade. Four
 * partners, each behind its own connector and smart host: one offers no STARTTLS, one presents a
 * self-signed certificate with the right name, one a trusted certificate for another name, one a
 * trusted certificate for the right name. Only the last gets the mail; the others are deferred with
 * the TLS failure as the reason and, once the (test-sized, 3 s) lifetime is over, returned to the
 * sender with an NDR that says why. And the inbound side: a Partner connector that requires TLS
 * refuses the partner's plaintext and accepts it over STARTTLS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartnerTlsTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration LIFETIME = Duration.ofSeconds(3);

    TestCertificates ca;
    SmtpSink noTls;
    SmtpSink selfSigned;
    SmtpSink otherName;
    SmtpSink valid;
    Node node;
    Admin admin;
    String userMailbox;
    /** Recipient to subject of the messages sent at the start, so their lifetimes run out together. */
    final Map<String, String> refused = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ca = TestCertificates.newCa("Partner Test CA");
        Path caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, PostfixInstance.pem("CERTIFICATE", PostfixInstance.encoded(ca.caCertificate())));
        noTls = SmtpSink.on("127.0.0.21").hostname("mx.partner-a.example").start();
        selfSigned = SmtpSink.on("127.0.0.22").hostname("mx.partner-b.example")
                .tls(TestCertificates.selfSigned("mx.partner-b.example", "mx.partner-b.example")).start();
        otherName = SmtpSink.on("127.0.0.23").hostname("mx.partner-c.example")
                .tls(ca.issue("mail.other.example", "mail.other.example")).start();
        valid = SmtpSink.on("127.0.0.24").hostname("mx.partner-d.example")
                .tls(ca.issue("mx.partner-d.example", "mx.partner-d.example")).start();

        node = Node.start(TestNodes.withQueue(TestNodes.withTrustedCertificates(
                TestNodes.config(dir.resolve("sluice"), null, 25, Map.of()), caPem), Duration.ofSeconds(1), LIFETIME));
        admin = TestNodes.admin(node);
        String org = admin.createOrganization("Contoso");
        admin.createDomain(org, "contoso.example", "Authoritative");
        userMailbox = admin.createMailbox(org, "user@contoso.example");
        for (var p : Map.of("a", noTls, "b", selfSigned, "c", otherName, "d", valid).entrySet()) {
            admin.createOutboundConnector(Map.of("organizationId", org, "name", "Partner " + p.getKey(),
                    "connectorType", "Partner", "recipientDomains", List.of("partner-" + p.getKey() + ".example"),
                    "smartHosts", List.of(p.getValue().hostPort()),
                    "tlsSettings", "DomainValidation", "tlsDomain", "mx.partner-" + p.getKey() + ".example"));
        }
        admin.createInboundConnector(Map.of("organizationId", org, "name", "Partner d inbound", "connectorType", "Partner",
                "senderIpAddresses", List.of("127.0.0.24/32"), "senderDomains", List.of("partner-d.example"),
                "requireTls", true));
        for (String to : List.of("bob@partner-a.example", "bob@partner-b.example", "bob@partner-c.example")) {
            String subject = "to " + to + " " + UUID.randomUUID();
            assertThat(submit(to, subject)).startsWith("250 2.0.0 ");
            refused.put(to, subject);
        }
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
        for (SmtpSink s : new SmtpSink[]{noTls, selfSigned, otherName, valid}) if (s != null) s.close();
    }

    @Test
    void partnerWithoutStartTlsGetsNothingAndTheSenderAnNdrSayingWhy() throws Exception {
        refusedForTls("bob@partner-a.example", noTls,
                "451 4.7.4 TLS (DomainValidation for mx.partner-a.example) required by connector Partner a but "
                        + "[127.0.0.21]:" + noTls.port() + " did not offer STARTTLS");
    }

    @Test
    void partnerWithASelfSignedCertificateGetsNothingAndTheSenderAnNdrSayingWhy() throws Exception {
        refusedForTls("bob@partner-b.example", selfSigned,
                "451 4.7.5 TLS (DomainValidation for mx.partner-b.example) required by connector Partner b but "
                        + "the certificate of [127.0.0.22]:" + selfSigned.port() + " could not be validated");
    }

    @Test
    void partnerWithACertificateForAnotherNameGetsNothingAndTheSenderAnNdrSayingWhy() throws Exception {
        refusedForTls("bob@partner-c.example", otherName,
                "451 4.7.5 TLS (DomainValidation for mx.partner-c.example) required by connector Partner c but "
                        + "the certificate of [127.0.0.23]:" + otherName.port()
                        + " is not valid for mx.partner-c.example (it names mail.other.example)");
    }

    @Test
    void partnerWithAValidCertificateForTheRightNameGetsTheMailOverTls() throws Exception {
        String subject = "to partner d " + UUID.randomUUID();
        assertThat(submit("bob@partner-d.example", subject)).startsWith("250 2.0.0 ");
        SinkMessage got = Poll.until(WAIT, "the message at partner d", () -> valid.messages().stream()
                .filter(m -> m.text().contains(subject)).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(got.tlsUsed()).isTrue();
        JsonNode summary = Poll.until(WAIT, "Delivered", () -> find("bob@partner-d.example", subject),
                s -> s.isPresent() && s.get().path("status").asText().equals("Delivered")).orElseThrow();
        List<JsonNode> events = admin.events(summary.path("networkMessageId").asText());
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("Receive", "Send");
        assertThat(events.get(1).path("tls").asText()).startsWith("TLSv1.");
        assertThat(events.get(1).path("clientAddress").asText()).isEqualTo("[127.0.0.24]:" + valid.port());
    }

    @Test
    void partnerInboundConnectorRequiringTlsRefusesPlaintextAndAcceptsStartTls() throws Exception {
        for (String source : List.of("127.0.0.24", "127.0.0.1")) {
            try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort(), source)) {
                c.ehlo("mx.partner-d.example");
                assertThat(c.cmd("MAIL FROM:<bob@partner-d.example>")).startsWith("250");
                // refused for the connector's organization's recipients: another's partner rules are not its business
                assertThat(c.cmd("RCPT TO:<user@contoso.example>")).as("plaintext from " + source)
                        .isEqualTo("530 5.7.0 Must issue a STARTTLS command first (required by connector Partner d inbound)");
                c.quit();
            }
        }
        String subject = "from partner d " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort(), "127.0.0.24")) {
            c.ehlo("mx.partner-d.example");
            c.startTlsAndEhlo("mx.partner-d.example");
            assertThat(c.send("bob@partner-d.example", List.of("user@contoso.example"),
                    HybridMailFlowTest.message("bob@partner-d.example", "user@contoso.example", subject))).startsWith("250 2.0.0 ");
            c.quit();
        }
        JsonNode summary = Poll.until(WAIT, "Delivered", () -> find("user@contoso.example", subject),
                s -> s.isPresent() && s.get().path("status").asText().equals("Delivered")).orElseThrow();
        List<JsonNode> events = admin.events(summary.path("networkMessageId").asText());
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("Receive", "Deliver");
        assertThat(events.get(0).path("tls").asText()).startsWith("TLSv1.");
        assertThat(events.get(0).path("detail").asText()).endsWith(", inbound connector Partner d inbound, external");
    }

    /**
     * For the message sent to {@code recipient} at the start: its partner must see nothing; the trace must show Defer with
     * {@code reason} and, after the lifetime, Fail; the sender's Inbox must get an NDR with the reason.
     */
    private void refusedForTls(String recipient, SmtpSink partner, String reason) throws Exception {
        String subject = refused.get(recipient);
        JsonNode failed = Poll.until(WAIT, () -> recipient + " to be Failed; trace: " + find(recipient, subject),
                () -> find(recipient, subject), s -> s.isPresent() && s.get().path("status").asText().equals("Failed")).orElseThrow();
        List<JsonNode> events = admin.events(failed.path("networkMessageId").asText());
        List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
        assertThat(types.getFirst()).isEqualTo("Receive");
        assertThat(types).contains("Defer", "Fail", "Dsn").doesNotContain("Send");
        JsonNode defer = events.stream().filter(e -> e.path("type").asText().equals("Defer")).findFirst().orElseThrow();
        assertThat(defer.path("remoteReply").asText()).startsWith(reason);
        JsonNode fail = events.stream().filter(e -> e.path("type").asText().equals("Fail")).findFirst().orElseThrow();
        assertThat(fail.path("detail").asText()).startsWith("expired: " + reason.substring(10));
        assertThat(partner.messages()).noneMatch(m -> m.text().contains(subject));

        MailboxStore store = node.mailboxStore();
        String ndr = Poll.until(WAIT, "the NDR in user's Inbox", () -> store.list(userMailbox, MailboxStore.Folder.INBOX).stream()
                .map(m -> new String(store.content(userMailbox, m), StandardCharsets.UTF_8))
                .filter(t -> t.contains("Undeliverable: " + subject)).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(ndr).startsWith("Return-Path: <>\r\n")
                .contains("Final-Recipient: rfc822; " + recipient + "\r\nAction: failed\r\n")
                .contains("Status: " + reason.substring(4, 9) + "\r\n")
                .contains("Diagnostic-Code: smtp; " + reason);
        // The human-readable part explains it too.
        assertThat(ndr).contains("The message could not be delivered within 3 seconds; the last attempt failed: "
                + reason.substring(10));
    }

    private String submit(String to, String subject) throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.submissionPort())) {
            c.ehlo("laptop.contoso.example");
            c.startTlsAndEhlo("laptop.contoso.example");
            assertThat(c.authPlain("user@contoso.example", Admin.PASSWORD)).startsWith("235 ");
            String reply = c.send("user@contoso.example", List.of(to), HybridMailFlowTest.message("user@contoso.example", to, subject));
            c.quit();
            return reply;
        }
    }

    private Optional<JsonNode> find(String recipient, String subject) {
        return admin.traceByRecipient(recipient).stream().filter(s -> subject.equals(s.path("subject").asText())).findFirst();
    }
}
