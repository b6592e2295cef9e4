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
 * The hybrid scenarios of PRODUCT.md over real sockets, with a real Postfix as the on-premises
 * server of Contoso: contoso.example is hosted in Sluice (Authoritative), onprem.contoso.example
 * lives on Postfix (InternalRelay, reached through an OnPremises outbound connector with
 * DomainValidation), and Postfix relays everything else to Sluice, recognised by two OnPremises
 * inbound connectors: one by Postfix's source address, one by the client certificate Postfix
 * presents on a second transport bound to another address. The internet is fabrikam.example, whose
 * MX (the DNS stub) is a sink.
 *
 * <pre>
 *   127.0.0.1   Sluice (SMTP, submission, admin), test clients acting as the internet
 *   127.0.0.12  Postfix's listener (certificate from the test CA for postfix.onprem.contoso.example)
 *   127.0.0.13  Postfix's default source address             -> inbound connector by IP
 *   127.0.0.14  Postfix's "certsmtp" transport (client cert) -> inbound connector by certificate
 *   127.0.0.15  mx.fabrikam.example, an SMTP sink
 *   127.0.0.16  a stranger with a self-signed certificate carrying the right name
 * </pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HybridMailFlowTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String POSTFIX_IP = "127.0.0.12";
    static final String ONPREM_IP = "127.0.0.13";
    static final String ONPREM_CERT_IP = "127.0.0.14";
    static final String INTERNET_MX_IP = "127.0.0.15";
    static final String STRANGER_IP = "127.0.0.16";
    static final String POSTFIX_HOSTNAME = "postfix.onprem.contoso.example";
    static final String CLIENT_CERT_NAME = "mail.onprem.contoso.example";
    static final String BY_IP = "Contoso on-premises (IP)";
    static final String BY_CERT = "Contoso on-premises (certificate)";
    static final String TO_ONPREM = "To Contoso on-premises";

    TestCertificates ca;
    DnsStub dns;
    SmtpSink internet;
    Node node;
    Admin admin;
    PostfixInstance postfix;
    String org;
    String userMailbox;
    String user2Mailbox;
    String toOnPremises;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        PostfixInstance.require();
        ca = TestCertificates.newCa("Contoso Test CA");
        Path caPem = dir.resolve("ca.pem");
        Files.writeString(caPem, PostfixInstance.pem("CERTIFICATE", PostfixInstance.encoded(ca.caCertificate())));
        dns = DnsStub.start("127.0.0.1");
        internet = SmtpSink.on(INTERNET_MX_IP).hostname("mx.fabrikam.example").start();
        dns.mx("fabrikam.example", 10, "mx.fabrikam.example").a("mx.fabrikam.example", INTERNET_MX_IP);

        PostfixInstance.Builder onPremises = PostfixInstance.in(dir, POSTFIX_IP).hostname(POSTFIX_HOSTNAME)
                .serverIdentity(ca.issue(POSTFIX_HOSTNAME, POSTFIX_HOSTNAME)).bindAddress(ONPREM_IP)
                .mailbox("alice").mailbox("frank").mailbox("carol");
        node = Node.start(TestNodes.withTrustedCertificates(
                TestNodes.config(dir.resolve("sluice"), dns.server(), internet.port(), Map.of()), caPem));
        admin = TestNodes.admin(node);
        org = admin.createOrganization("Contoso");
        admin.createDomain(org, "contoso.example", "Authoritative");
        admin.createDomain(org, "onprem.contoso.example", "InternalRelay");
        userMailbox = admin.createMailbox(org, "user@contoso.example");
        user2Mailbox = admin.createMailbox(org, "user2@contoso.example");
        admin.createInboundConnector(Map.of("organizationId", org, "name", BY_IP, "connectorType", "OnPremises",
                "senderIpAddresses", List.of(ONPREM_IP + "/32"), "treatMessagesAsInternal", true));
        admin.createInboundConnector(Map.of("organizationId", org, "name", BY_CERT, "connectorType", "OnPremises",
                "tlsSenderCertificateName", CLIENT_CERT_NAME, "treatMessagesAsInternal", true));
        toOnPremises = admin.createOutboundConnector(Map.of("organizationId", org, "name", TO_ONPREM,
                "connectorType", "OnPremises", "allAcceptedDomains", true, "smartHosts", List.of(onPremises.hostPort()),
                "tlsSettings", "DomainValidation", "tlsDomain", POSTFIX_HOSTNAME));

        String sluice = "[127.0.0.1]:" + node.smtpPort();
        postfix = onPremises
                .identityFiles("client-cert.pem", "client-key.pem", ca.issue(CLIENT_CERT_NAME, CLIENT_CERT_NAME))
                .main("default_transport = smtp:" + sluice)
                .main("smtpd_discard_ehlo_keywords = 8bitmime") // an on-premises server without 8BITMIME (RFC 6152)
                .main("sender_dependent_default_transport_maps = texthash:%ETC%/sender_transport")
                .file("sender_transport", "carol@onprem.contoso.example certsmtp:" + sluice + "\n")
                .master("""
                        certsmtp  unix  -  -  n  -  -  smtp
                          -o smtp_bind_address=%s
                          -o smtp_tls_security_level=encrypt
                          -o smtp_tls_cert_file=%%ETC%%/client-cert.pem
                          -o smtp_tls_key_file=%%ETC%%/client-key.pem""".formatted(ONPREM_CERT_IP))
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (postfix != null) postfix.close();
        } finally {
            if (node != null) node.close();
            if (internet != null) internet.close();
            if (dns != null) dns.close();
        }
    }

    // ---- scenario 2: internet -> Sluice -> on-premises mailbox -----------------------------------

    @Test
    void internetMailForAnInternalRelayRecipientGoesToPostfixThroughTheOnPremisesConnector() throws Exception {
        String subject = "to on-premises " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("mail.tailspin.example");
            assertThat(c.send("grace@tailspin.example", List.of("alice@onprem.contoso.example"),
                    message("grace@tailspin.example", "alice@onprem.contoso.example", subject))).startsWith("250 2.0.0 ");
            c.quit();
        }

        String delivered = postfix.awaitMaildir("alice", subject);
        assertThat(delivered).contains("Return-Path: <grace@tailspin.example>");
        assertThat(delivered).containsPattern("Received: from " + TestNodes.HOSTNAME.replace(".", "\\.")
                + " \\(localhost \\[127\\.0\\.0\\.1\\]\\)\n\t\\(using TLSv1\\.[23]");

        List<JsonNode> events = events(delivered("alice@onprem.contoso.example", subject));
        assertThat(types(events)).containsExactly("Receive", "Send");
        assertThat(events.get(0).path("detail").asText()).endsWith(", no inbound connector, external");
        JsonNode send = events.get(1);
        assertThat(send.path("clientAddress").asText()).isEqualTo(postfix.hostPort().replace(POSTFIX_IP, "[" + POSTFIX_IP + "]"));
        assertThat(send.path("tls").asText()).startsWith("TLSv1.");
        assertThat(send.path("remoteReply").asText()).startsWith("250 2.0.0 Ok: queued as ");
        assertThat(send.path("detail").asText()).endsWith(" (outbound connector " + TO_ONPREM + ")");
    }

    @Test
    void eightBitMailReachesAnOnPremisesServerWithout8BitMimeAsQuotedPrintable() throws Exception {
        String subject = "8-bit to on-premises " + UUID.randomUUID();
        byte[] content = ("From: <grace@tailspin.example>\r\nTo: <alice@onprem.contoso.example>\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + UUID.randomUUID() + "@test>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + TestNodes.ORDINARY_BODY + "Gr\u00fc\u00dfe aus K\u00f6ln\r\n").getBytes(StandardCharsets.UTF_8);
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("mail.tailspin.example");
            assertThat(c.send("grace@tailspin.example", List.of("alice@onprem.contoso.example"), content)).startsWith("250 2.0.0 ");
            c.quit();
        }

        String delivered = postfix.awaitMaildir("alice", subject);
        assertThat(delivered).contains("Content-Transfer-Encoding: quoted-printable\n", "Gr=C3=BC=C3=9Fe aus K=C3=B6ln")
                .doesNotContain("Content-Transfer-Encoding: 8bit");
        assertThat(delivered.chars().allMatch(ch -> ch < 128)).as("7-bit only").isTrue();
    }

    // ---- scenario 3: on-premises user -> Postfix -> Sluice -> internet ---------------------------

    @Test
    void onPremisesUserReachesTheInternetThroughTheConnectorIdentifiedByIp() throws Exception {
        String subject = "on-premises by IP " + UUID.randomUUID();
        submitToPostfix("frank@onprem.contoso.example", "someone@fabrikam.example", subject);

        SinkMessage got = awaitAt(internet, subject);
        assertThat(got.mailFrom()).isEqualTo("frank@onprem.contoso.example");
        assertThat(got.rcptTo()).containsExactly("someone@fabrikam.example");
        assertThat(got.text()).startsWith("Received: from " + POSTFIX_HOSTNAME + " ([" + ONPREM_IP + "])");

        List<JsonNode> events = events(delivered("someone@fabrikam.example", subject));
        assertThat(types(events)).containsExactly("Receive", "Send");
        JsonNode receive = events.get(0);
        assertThat(receive.path("clientAddress").asText()).isEqualTo(ONPREM_IP);
        assertThat(receive.path("detail").asText()).contains("inbound connector " + BY_IP);
        assertThat(events.get(1).path("clientAddress").asText()).isEqualTo("mx.fabrikam.example[" + INTERNET_MX_IP + "]:" + internet.port());
    }

    @Test
    void onPremisesUserReachesTheInternetThroughTheConnectorIdentifiedByCertificate() throws Exception {
        String subject = "on-premises by certificate " + UUID.randomUUID();
        submitToPostfix("carol@onprem.contoso.example", "someone@fabrikam.example", subject);

        SinkMessage got = awaitAt(internet, subject);
        assertThat(got.mailFrom()).isEqualTo("carol@onprem.contoso.example");
        assertThat(got.text()).startsWith("Received: from " + POSTFIX_HOSTNAME + " ([" + ONPREM_CERT_IP + "])");

        List<JsonNode> events = events(delivered("someone@fabrikam.example", subject));
        assertThat(types(events)).containsExactly("Receive", "Send");
        JsonNode receive = events.get(0);
        assertThat(receive.path("clientAddress").asText()).as("an address no IP connector names").isEqualTo(ONPREM_CERT_IP);
        assertThat(receive.path("tls").asText()).startsWith("TLSv1.");
        assertThat(receive.path("detail").asText()).contains("inbound connector " + BY_CERT);
    }

    @Test
    void aSelfSignedCertificateWithTheConnectorsNameGetsNoRelay() throws Exception {
        String selfSigned = relayAttempt(STRANGER_IP, TestCertificates.selfSigned(CLIENT_CERT_NAME, CLIENT_CERT_NAME));
        assertThat(selfSigned).isEqualTo("550 5.7.64 TenantAttribution; Relay Access Denied");
        // Control: the same name from the same address, issued by the trusted CA, is attributed to the connector.
        String trusted = relayAttempt(STRANGER_IP, ca.issue(CLIENT_CERT_NAME, CLIENT_CERT_NAME));
        assertThat(trusted).isEqualTo("250 2.1.5 Recipient OK");
    }

    /** STARTTLS presenting {@code identity}, then a relay attempt to the internet; returns the reply to RCPT. */
    private String relayAttempt(String source, TestCertificates.Identity identity) throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort(), source)) {
            c.ehlo(CLIENT_CERT_NAME);
            assertThat(c.startTls(SmtpTalk.clientContext(identity))).startsWith("220 ");
            c.ehlo(CLIENT_CERT_NAME);
            assertThat(c.cmd("MAIL FROM:<carol@onprem.contoso.example>")).isEqualTo("250 2.1.0 Sender OK");
            String reply = c.cmd("RCPT TO:<someone@fabrikam.example>");
            c.cmd("RSET");
            c.quit();
            return reply;
        }
    }

    // ---- scenario 4: hosted mailbox <-> on-premises mailbox ---------------------------------------

    @Test
    void hostedMailboxSendsToAnOnPremisesMailbox() throws Exception {
        String subject = "hosted to on-premises " + UUID.randomUUID();
        assertThat(submit("user@contoso.example", List.of("alice@onprem.contoso.example"), subject)).startsWith("250 2.0.0 ");

        String delivered = postfix.awaitMaildir("alice", subject);
        assertThat(delivered).contains("Return-Path: <user@contoso.example>");
        List<JsonNode> events = events(delivered("alice@onprem.contoso.example", subject));
        assertThat(types(events)).containsExactly("Receive", "Send");
        assertThat(events.get(0).path("detail").asText()).endsWith(", authenticated as user@contoso.example, internal");
        assertThat(events.get(1).path("tls").asText()).startsWith("TLSv1.");
    }

    @Test
    void onPremisesMailboxSendsToAHostedMailbox() throws Exception {
        String subject = "on-premises to hosted " + UUID.randomUUID();
        submitToPostfix("frank@onprem.contoso.example", "user@contoso.example", subject);

        List<JsonNode> events = events(delivered("user@contoso.example", subject));
        assertThat(types(events)).containsExactly("Receive", "Deliver");
        assertThat(events.get(0).path("clientAddress").asText()).isEqualTo(ONPREM_IP);
        assertThat(events.get(0).path("detail").asText()).endsWith(", inbound connector " + BY_IP + ", internal");
        assertThat(inboxMessage(userMailbox, subject)).contains("Received: from " + POSTFIX_HOSTNAME + " ([" + ONPREM_IP + "])");
    }

    // ---- scenario 5: centralized mail transport -----------------------------------------------------

    @Test
    void centralizedTransportSendsInternetMailThroughPostfixAndOutByMxWithoutLooping() throws Exception {
        String connector = "/api/v1/connectors/outbound/" + toOnPremises;
        admin.patch(connector, Map.of("routeAllMessagesViaOnPremises", true));
        try {
            String subject = "centralized " + UUID.randomUUID();
            assertThat(submit("user@contoso.example", List.of("partner@fabrikam.example"), subject)).startsWith("250 2.0.0 ");

            SinkMessage got = awaitAt(internet, subject);
            assertThat(got.mailFrom()).isEqualTo("user@contoso.example");
            // Sluice (submission) -> Postfix -> Sluice (inbound connector by IP) -> MX
            assertThat(got.text()).startsWith("Received: from " + POSTFIX_HOSTNAME + " ([" + ONPREM_IP + "])")
                    .contains("by " + POSTFIX_HOSTNAME + " (Postfix) with ESMTPS")
                    .contains("with ESMTPSA id ");

            List<JsonNode> copies = Poll.until(WAIT, "both legs Delivered", () -> admin.traceByRecipient("partner@fabrikam.example")
                    .stream().filter(s -> subject.equals(s.path("subject").asText())).toList(),
                    l -> l.size() == 2 && l.stream().allMatch(s -> s.path("status").asText().equals("Delivered")));
            List<List<JsonNode>> legs = copies.stream().map(this::events)
                    .sorted(java.util.Comparator.comparing(e -> java.time.Instant.parse(e.getFirst().path("at").asText()))).toList();
            assertThat(legs.get(0).get(0).path("detail").asText()).contains("authenticated as user@contoso.example");
            assertThat(legs.get(0).get(1).path("type").asText()).isEqualTo("Send");
            assertThat(legs.get(0).get(1).path("clientAddress").asText()).contains("[" + POSTFIX_IP + "]");
            assertThat(legs.get(1).get(0).path("detail").asText()).contains("inbound connector " + BY_IP);
            assertThat(legs.get(1).get(1).path("type").asText()).isEqualTo("Send");
            assertThat(legs.get(1).get(1).path("clientAddress").asText()).contains("[" + INTERNET_MX_IP + "]");
            assertThat(internet.messages().stream().filter(m -> m.text().contains(subject))).hasSize(1);
        } finally {
            admin.patch(connector, Map.of("routeAllMessagesViaOnPremises", false));
        }
    }

    // ---- scenario 9: one message, three route kinds --------------------------------------------------

    @Test
    void oneMessageIsSplitAcrossMailboxOnPremisesAndInternetUnderOneNetworkMessageId() throws Exception {
        String subject = "three routes " + UUID.randomUUID();
        List<String> to = List.of("user2@contoso.example", "alice@onprem.contoso.example", "partner2@fabrikam.example");
        assertThat(submit("user@contoso.example", to, subject)).startsWith("250 2.0.0 ");

        assertThat(inboxMessage(user2Mailbox, subject)).contains("Subject: " + subject);
        postfix.awaitMaildir("alice", subject);
        SinkMessage mx = awaitAt(internet, subject);
        assertThat(mx.rcptTo()).containsExactly("partner2@fabrikam.example");

        String id = delivered("user2@contoso.example", subject).path("networkMessageId").asText();
        assertThat(delivered("alice@onprem.contoso.example", subject).path("networkMessageId").asText()).isEqualTo(id);
        assertThat(delivered("partner2@fabrikam.example", subject).path("networkMessageId").asText()).isEqualTo(id);
        List<JsonNode> events = Poll.until(WAIT, "all three final events", () -> admin.events(id),
                l -> l.stream().filter(e -> !e.path("type").asText().equals("Receive")).count() == 3);
        assertThat(events.stream().filter(e -> e.path("type").asText().equals("Receive")))
                .extracting(e -> e.path("recipient").asText()).containsExactlyInAnyOrderElementsOf(to);
        assertThat(finalEvent(events, "user2@contoso.example").path("type").asText()).isEqualTo("Deliver");
        JsonNode onPrem = finalEvent(events, "alice@onprem.contoso.example");
        assertThat(onPrem.path("type").asText()).isEqualTo("Send");
        assertThat(onPrem.path("clientAddress").asText()).contains("[" + POSTFIX_IP + "]");
        JsonNode out = finalEvent(events, "partner2@fabrikam.example");
        assertThat(out.path("type").asText()).isEqualTo("Send");
        assertThat(out.path("clientAddress").asText()).isEqualTo("mx.fabrikam.example[" + INTERNET_MX_IP + "]:" + internet.port());
    }

    // ---- connector validation ---------------------------------------------------------------------

    @Test
    void validatingTheOnPremisesConnectorReachesPostfixAndStoresTheReport() throws Exception {
        JsonNode report = admin.post("/api/v1/connectors/outbound/" + toOnPremises + "/validate",
                Map.of("recipients", List.of("alice@onprem.contoso.example")));
        assertThat(report.path("succeeded").asBoolean()).as(report.toString()).isTrue();
        JsonNode host = report.path("hosts").get(0);
        assertThat(host.path("host").asText()).isEqualTo(postfix.hostPort());
        assertThat(host.path("succeeded").asBoolean()).isTrue();
        assertThat(host.path("steps").toString()).contains("STARTTLS").contains(POSTFIX_HOSTNAME);
        postfix.awaitMaildir("alice", "Sluice connector validation test");

        JsonNode stored = admin.get("/api/v1/connectors/outbound/" + toOnPremises).path("lastValidation");
        assertThat(stored.path("succeeded").asBoolean()).isTrue();
        assertThat(stored.path("at").asText()).isEqualTo(report.path("at").asText());
    }

    @Test
    void validatingAConnectorToAnUnreachableSmartHostStoresTheFailure() throws Exception {
        int closed = PostfixInstance.freePort("127.0.0.1");
        String id = admin.createOutboundConnector(Map.of("organizationId", org, "name", "Nowhere",
                "connectorType", "Partner", "recipientDomains", List.of("nowhere.example"),
                "smartHosts", List.of("127.0.0.1:" + closed)));
        JsonNode report = admin.post("/api/v1/connectors/outbound/" + id + "/validate", null);
        assertThat(report.path("succeeded").asBoolean()).isFalse();
        JsonNode host = report.path("hosts").get(0);
        assertThat(host.path("host").asText()).isEqualTo("127.0.0.1:" + closed);
        assertThat(host.path("succeeded").asBoolean()).isFalse();
        assertThat(host.path("error").asText()).as(report.toString()).isNotBlank();
        JsonNode stored = admin.get("/api/v1/connectors/outbound/" + id).path("lastValidation");
        assertThat(stored.path("succeeded").asBoolean()).isFalse();
        assertThat(stored.path("hosts").get(0).path("error").asText()).isEqualTo(host.path("error").asText());
    }

    @Test
    void aConnectorWithoutLocalHopsNeverConnectsToThisNodeEvenByAHostName() throws Exception {
        // As an organization administrator's connector is: its smart host is a name the tenant's DNS controls.
        try (SmtpSink service = SmtpSink.on("127.0.0.17").start()) {
            dns.a("relay.tenant-partner.example", "127.0.0.17");
            admin.createOutboundConnector(Map.of("organizationId", org, "name", "Tenant partner", "connectorType", "Partner",
                    "recipientDomains", List.of("tenant-partner.example"),
                    "smartHosts", List.of("relay.tenant-partner.example:" + service.port()), "localHopsAllowed", false));
            String subject = "to the node itself " + UUID.randomUUID();

            assertThat(submit("user@contoso.example", List.of("b@tenant-partner.example"), subject)).startsWith("250");

            JsonNode summary = Poll.until(WAIT, () -> "b@tenant-partner.example in the trace",
                    () -> admin.traceByRecipient("b@tenant-partner.example").stream()
                            .filter(t -> subject.equals(t.path("subject").asText())).findFirst(), Optional::isPresent).orElseThrow();
            JsonNode defer = Poll.until(WAIT, () -> "a Defer event: " + events(summary),
                    () -> events(summary).stream().filter(e -> e.path("type").asText().equals("Defer")).findFirst(),
                    Optional::isPresent).orElseThrow();
            assertThat(defer.path("detail").asText()).contains("relay.tenant-partner.example resolves to an address of this node");
            assertThat(service.connections()).isZero();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------------

    static byte[] message(String from, String to, String subject) {
        return ("From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: " + subject + "\r\nDate: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now()) + "\r\nMessage-ID: <"
                + UUID.randomUUID() + "@test>\r\n\r\n" + TestNodes.ORDINARY_BODY + "(ref " + subject + ")\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** An on-premises user's mail client hands a message to Postfix. */
    private void submitToPostfix(String from, String to, String subject) throws Exception {
        try (SmtpTalk c = SmtpTalk.connect(POSTFIX_IP, postfix.port())) {
            c.ehlo("workstation.onprem.contoso.example");
            assertThat(c.send(from, List.of(to), message(from, to, subject))).startsWith("250 ");
            c.quit();
        }
    }

    /** A hosted mailbox's client submits on the submission port: STARTTLS, AUTH PLAIN, one message. */
    private String submit(String from, List<String> to, String subject) throws Exception {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.submissionPort())) {
            c.ehlo("laptop.contoso.example");
            c.startTlsAndEhlo("laptop.contoso.example");
            assertThat(c.authPlain(from, Admin.PASSWORD)).startsWith("235 ");
            String reply = c.send(from, to, message(from, String.join(">, <", to), subject));
            c.quit();
            return reply;
        }
    }

    private static SinkMessage awaitAt(SmtpSink sink, String subject) {
        return Poll.until(WAIT, "a message about '" + subject + "' at " + sink.hostPort(),
                () -> sink.messages().stream().filter(m -> m.text().contains(subject)).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    private JsonNode delivered(String recipient, String subject) {
        return Poll.until(WAIT, () -> recipient + " to be Delivered; trace: " + admin.traceByRecipient(recipient)
                        + "\nPostfix log:\n" + postfix.log(),
                () -> admin.traceByRecipient(recipient).stream().filter(s -> subject.equals(s.path("subject").asText())).findFirst(),
                s -> s.isPresent() && s.get().path("status").asText().equals("Delivered")).orElseThrow();
    }

    private List<JsonNode> events(JsonNode summary) {
        return admin.events(summary.path("networkMessageId").asText());
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.path("type").asText()).toList();
    }

    private static JsonNode finalEvent(List<JsonNode> events, String recipient) {
        return events.stream().filter(e -> recipient.equals(e.path("recipient").asText()))
                .filter(e -> !e.path("type").asText().equals("Receive")).findFirst().orElseThrow();
    }

    private String inboxMessage(String mailboxId, String subject) {
        MailboxStore store = node.mailboxStore();
        return Poll.until(WAIT, "'" + subject + "' in the Inbox", () -> store.list(mailboxId, MailboxStore.Folder.INBOX).stream()
                .map(m -> new String(store.content(mailboxId, m), StandardCharsets.UTF_8))
                .filter(t -> t.contains(subject)).findFirst(), Optional::isPresent).orElseThrow();
    }
}
