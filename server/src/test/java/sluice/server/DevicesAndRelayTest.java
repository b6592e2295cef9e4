package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.dns.DnsStub;
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenarios 7 and 8 of issue 3: a printer or application sends by SMTP AUTH client submission
 * (STARTTLS, then AUTH with its mailbox's password, only as itself), by direct send (port 25, no
 * auth: hosted mailboxes only; refused for the organization's own domain with rejectDirectSend),
 * or by relay through an OnPremises inbound connector that names its IP; anyone else trying to relay
 * gets 5.7.64. The internet is fabrikam.example, whose MX (DNS stub) is a sink on 127.0.0.31.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DevicesAndRelayTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final String MX_IP = "127.0.0.31";
    static final String PRINTER_IP = "127.0.0.32";
    static final String UNKNOWN_IP = "127.0.0.34";
    static final String RELAY_DENIED = "550 5.7.64 TenantAttribution; Relay Access Denied";
    static final String SEND_AS_DENIED = "550 5.7.60 SMTP; Client does not have permissions to send as this sender";

    DnsStub dns;
    SmtpSink internet;
    Node node;
    Admin admin;
    String org;

    @BeforeAll
    void start(@TempDir Path dir) {
        dns = DnsStub.start("127.0.0.1");
        internet = SmtpSink.on(MX_IP).hostname("mx.fabrikam.example").start();
        dns.mx("fabrikam.example", 10, "mx.fabrikam.example").a("mx.fabrikam.example", MX_IP);
        node = Node.start(TestNodes.config(dir, dns.server(), internet.port(), Map.of()));
        admin = TestNodes.admin(node);
        org = admin.createOrganization("Contoso");
        admin.createDomain(org, "contoso.example", "Authoritative");
        admin.createMailbox(org, "printer@contoso.example");
        admin.createMailbox(org, "user@contoso.example");
        admin.createInboundConnector(Map.of("organizationId", org, "name", "Printers by IP", "connectorType", "OnPremises",
                "senderIpAddresses", List.of(PRINTER_IP + "/32")));
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
        if (internet != null) internet.close();
        if (dns != null) dns.close();
    }

    // ---- 7a: SMTP AUTH client submission ------------------------------------------------------

    @Test
    void printerSubmitsWithAuthAfterStartTlsAndReachesTheInternet() throws Exception {
        String subject = "scan " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.submissionPort())) {
            c.ehlo("printer.contoso.example");
            c.startTlsAndEhlo("printer.contoso.example");
            assertThat(c.authPlain("printer@contoso.example", Admin.PASSWORD)).isEqualTo("235 2.7.0 Authentication successful");
            assertThat(c.send("printer@contoso.example", List.of("someone@fabrikam.example"),
                    message("printer@contoso.example", subject))).startsWith("250 2.0.0 ");
            c.quit();
        }
        SinkMessage got = awaitAt(subject);
        assertThat(got.mailFrom()).isEqualTo("printer@contoso.example");
        assertThat(got.rcptTo()).containsExactly("someone@fabrikam.example");
        assertThat(got.text()).contains("with ESMTPSA id ");

        List<JsonNode> events = events(delivered("someone@fabrikam.example", subject));
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("Receive", "Send");
        assertThat(events.get(0).path("detail").asText()).endsWith(", authenticated as printer@contoso.example, internal");
        assertThat(events.get(1).path("clientAddress").asText()).isEqualTo("mx.fabrikam.example[" + MX_IP + "]:" + internet.port());
    }

    @Test
    void submissionRefusesAuthBeforeStartTlsAndMailBeforeAuth() throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.submissionPort())) {
            c.ehlo("printer.contoso.example");
            assertThat(c.authPlain("printer@contoso.example", Admin.PASSWORD))
                    .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
            assertThat(c.cmd("MAIL FROM:<printer@contoso.example>")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            c.startTlsAndEhlo("printer.contoso.example");
            assertThat(c.cmd("MAIL FROM:<printer@contoso.example>")).isEqualTo("530 5.7.0 Authentication required");
            c.quit();
        }
    }

    @Test
    void submissionRefusesAWrongPassword() throws Exception {
        // From its own address, so the failed-login throttle of 127.0.0.1 is not touched.
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.submissionPort(), "127.0.0.33")) {
            c.ehlo("printer.contoso.example");
            c.startTlsAndEhlo("printer.contoso.example");
            assertThat(c.authPlain("printer@contoso.example", "not the password"))
                    .isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(c.cmd("MAIL FROM:<printer@contoso.example>")).isEqualTo("530 5.7.0 Authentication required");
            c.quit();
        }
    }

    @Test
    void submissionRefusesSendingAsAnotherAddressInTheEnvelopeOrTheFromHeader() throws Exception {
        String subject = "forged " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.submissionPort())) {
            c.ehlo("printer.contoso.example");
            c.startTlsAndEhlo("printer.contoso.example");
            assertThat(c.authPlain("printer@contoso.example", Admin.PASSWORD)).startsWith("235 ");
            assertThat(c.cmd("MAIL FROM:<user@contoso.example>")).isEqualTo(SEND_AS_DENIED);
            assertThat(c.send("printer@contoso.example", List.of("someone@fabrikam.example"),
                    message("user@contoso.example", subject))).isEqualTo(SEND_AS_DENIED);
            c.quit();
        }
        assertThat(admin.traceByRecipient("someone@fabrikam.example"))
                .noneMatch(s -> subject.equals(s.path("subject").asText()));
    }

    // ---- 7b: direct send ----------------------------------------------------------------------

    @Test
    void directSendReachesHostedMailboxesOnlyAndRejectDirectSendRefusesTheOwnDomain() throws Exception {
        String subject = "direct send " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("printer.contoso.example");
            assertThat(c.cmd("MAIL FROM:<printer@contoso.example>")).isEqualTo("250 2.1.0 Sender OK");
            assertThat(c.cmd("RCPT TO:<someone@fabrikam.example>")).isEqualTo(RELAY_DENIED);
            assertThat(c.cmd("RCPT TO:<user@contoso.example>")).isEqualTo("250 2.1.5 Recipient OK");
            assertThat(c.data(message("printer@contoso.example", subject))).startsWith("250 2.0.0 ");
            c.quit();
        }
        List<JsonNode> events = events(delivered("user@contoso.example", subject));
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("Receive", "Deliver");
        assertThat(events.get(0).path("detail").asText()).endsWith(", no inbound connector, external");

        String orgPath = "/api/v1/organizations/" + org;
        admin.patch(orgPath, Map.of("rejectDirectSend", true));
        try {
            try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
                c.ehlo("printer.contoso.example");
                assertThat(c.cmd("MAIL FROM:<printer@contoso.example>")).isEqualTo("250 2.1.0 Sender OK");
                assertThat(c.cmd("RCPT TO:<user@contoso.example>")).isEqualTo("550 5.7.68 TenantInboundAttribution; "
                        + "Direct Send not allowed for this organization from unauthorized sources");
                c.cmd("RSET");
                // Mail from outside the organization is not direct send.
                assertThat(c.cmd("MAIL FROM:<alice@fabrikam.example>")).isEqualTo("250 2.1.0 Sender OK");
                assertThat(c.cmd("RCPT TO:<user@contoso.example>")).isEqualTo("250 2.1.5 Recipient OK");
                c.quit();
            }
            // Through the organization's own connector the same sender is fine.
            try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort(), PRINTER_IP)) {
                c.ehlo("printer.contoso.example");
                assertThat(c.cmd("MAIL FROM:<printer@contoso.example>")).isEqualTo("250 2.1.0 Sender OK");
                assertThat(c.cmd("RCPT TO:<user@contoso.example>")).isEqualTo("250 2.1.5 Recipient OK");
                c.quit();
            }
        } finally {
            admin.patch(orgPath, Map.of("rejectDirectSend", false));
        }
    }

    // ---- 7c: relay by IP through an OnPremises inbound connector ---------------------------------

    @Test
    void printerRelaysByIpThroughTheOnPremisesConnector() throws Exception {
        String subject = "relay by IP " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort(), PRINTER_IP)) {
            c.ehlo("printer.contoso.example");
            assertThat(c.send("scanner@contoso.example", List.of("other@fabrikam.example"),
                    message("scanner@contoso.example", subject))).startsWith("250 2.0.0 ");
            c.quit();
        }
        SinkMessage got = awaitAt(subject);
        assertThat(got.rcptTo()).containsExactly("other@fabrikam.example");
        List<JsonNode> events = events(delivered("other@fabrikam.example", subject));
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("Receive", "Send");
        assertThat(events.get(0).path("clientAddress").asText()).isEqualTo(PRINTER_IP);
        // an OnPremises connector carrying a sender of the organization's own domain: internal, as in EOP
        assertThat(events.get(0).path("detail").asText()).endsWith(", inbound connector Printers by IP, internal");
    }

    /**
     * The client asked for SMTPUTF8 (RFC 6531) and wrote a UTF-8 Subject (RFC 6532): the request is queued with the
     * message, and the next hop, which offers SMTPUTF8, is asked for it in turn, as Postfix relays such mail.
     */
    @Test
    void aRelayedMessageWhoseClientAskedForSmtpUtf8AsksTheNextHopForItToo() throws Exception {
        String subject = "Gr\u00fc\u00dfe " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort(), PRINTER_IP)) {
            assertThat(c.ehlo("printer.contoso.example")).isNotEmpty();
            assertThat(c.cmd("MAIL FROM:<scanner@contoso.example> SMTPUTF8")).isEqualTo("250 2.1.0 Sender OK");
            assertThat(c.cmd("RCPT TO:<other@fabrikam.example>")).startsWith("250 ");
            assertThat(c.data(message("scanner@contoso.example", subject))).startsWith("250 2.0.0 ");
            c.quit();
        }
        SinkMessage got = awaitAt(subject);
        assertThat(got.mailLine()).startsWith("MAIL FROM:<scanner@contoso.example>").endsWith(" SMTPUTF8");
        assertThat(got.text()).contains("Subject: " + subject + "\r\n");
    }

    // ---- 8: relay from an unknown IP -------------------------------------------------------------

    @Test
    void relayFromAnUnknownIpIsRefused() throws Exception {
        for (String source : List.of(UNKNOWN_IP, "127.0.0.1")) {
            try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort(), source)) {
                c.ehlo("printer.contoso.example");
                assertThat(c.cmd("MAIL FROM:<scanner@contoso.example>")).isEqualTo("250 2.1.0 Sender OK");
                assertThat(c.cmd("RCPT TO:<victim@fabrikam.example>")).as("from " + source).isEqualTo(RELAY_DENIED);
                assertThat(c.cmd("DATA")).startsWith("554 ");
                c.quit();
            }
        }
        assertThat(admin.traceByRecipient("victim@fabrikam.example")).isEmpty();
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static byte[] message(String from, String subject) {
        return ("From: <" + from + ">\r\nTo: <someone@fabrikam.example>\r\nSubject: " + subject + "\r\nDate: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now()) + "\r\nMessage-ID: <"
                + UUID.randomUUID() + "@test>\r\n\r\n" + TestNodes.ORDINARY_BODY + "(scanned page of " + subject + ")\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private SinkMessage awaitAt(String subject) {
        return Poll.until(WAIT, "a message about '" + subject + "' at the MX",
                () -> internet.messages().stream().filter(m -> m.text().contains(subject)).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    private JsonNode delivered(String recipient, String subject) {
        return Poll.until(WAIT, () -> recipient + " to be Delivered; trace: " + admin.traceByRecipient(recipient),
                () -> admin.traceByRecipient(recipient).stream().filter(s -> subject.equals(s.path("subject").asText())).findFirst(),
                s -> s.isPresent() && s.get().path("status").asText().equals("Delivered")).orElseThrow();
    }

    private List<JsonNode> events(JsonNode summary) {
        return admin.events(summary.path("networkMessageId").asText());
    }
}
