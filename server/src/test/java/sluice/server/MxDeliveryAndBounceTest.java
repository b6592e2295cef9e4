package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.dns.DnsStub;
import sluice.core.mailbox.MailboxStore;
import sluice.smtp.Reply;
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
 * Scenario 2 and the failure path of PRODUCT.md against a whole node: an InternalRelay domain is
 * delivered to the organization's smart host (a sink on 127.0.0.5); a recipient that smart host
 * refuses comes back as an RFC 3464 report, into the sender's hosted mailbox or, for an internet
 * sender, through the sender domain's MX (the DNS stub points tailspin.example at a dead host first
 * and at a sink on 127.0.0.6 second).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MxDeliveryAndBounceTest {

    static final Duration WAIT = Duration.ofSeconds(15);

    DnsStub dns;
    SmtpSink onPremises;
    SmtpSink internetMx;
    Node node;
    Admin admin;
    String bobMailbox;

    @BeforeAll
    void start(@TempDir Path dataDir) {
        dns = DnsStub.start("127.0.0.1");
        onPremises = SmtpSink.on("127.0.0.5").hostname("exchange.onprem.contoso.example").start();
        internetMx = SmtpSink.on("127.0.0.6").hostname("mx.tailspin.example").start();
        dns.mx("tailspin.example", 5, "down.tailspin.example").a("down.tailspin.example", "127.0.0.9")
                .mx("tailspin.example", 10, "mx.tailspin.example").a("mx.tailspin.example", "127.0.0.6");
        node = Node.start(TestNodes.config(dataDir, dns.server(), internetMx.port(),
                Map.of("onprem.contoso.example", List.of(onPremises.hostPort()))));
        admin = TestNodes.admin(node);
        String org = admin.createOrganization("Contoso");
        admin.createDomain(org, "contoso.example", "Authoritative");
        admin.createDomain(org, "onprem.contoso.example", "InternalRelay");
        bobMailbox = admin.createMailbox(org, "bob@contoso.example");
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
        if (onPremises != null) onPremises.close();
        if (internetMx != null) internetMx.close();
        if (dns != null) dns.close();
    }

    @Test
    void internalRelayRecipientIsDeliveredToTheSmartHost() throws Exception {
        String subject = "to on-premises " + UUID.randomUUID();
        byte[] content = message("carol@tailspin.example", "dave@onprem.contoso.example", subject);
        assertThat(send("carol@tailspin.example", List.of("dave@onprem.contoso.example"), content)).startsWith("250 2.0.0 ");

        SinkMessage got = awaitAt(onPremises, subject);
        assertThat(got.mailFrom()).isEqualTo("carol@tailspin.example");
        assertThat(got.rcptTo()).containsExactly("dave@onprem.contoso.example");
        assertThat(got.helo()).isEqualTo(TestNodes.HOSTNAME);
        assertThat(got.text()).startsWith("Received: from client.tailspin.example ([127.0.0.1])\r\n\tby " + TestNodes.HOSTNAME);
        assertThat(got.content()).endsWith(content);

        JsonNode summary = delivered("dave@onprem.contoso.example", subject);
        List<JsonNode> events = admin.events(summary.path("networkMessageId").asText());
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("Receive", "Send");
        assertThat(events.get(1).path("remoteReply").asText()).isEqualTo("250 2.0.0 Ok: queued as " + got.connection());
    }

    @Test
    void refusedRecipientOfAHostedSenderComesBackAsAReportInTheSendersMailbox() throws Exception {
        onPremises.replyToRcpt("gone@onprem.contoso.example", Reply.of(550, "5.1.1", "User unknown"));
        String subject = "two recipients " + UUID.randomUUID();
        byte[] content = message("bob@contoso.example", "ok@onprem.contoso.example", subject);
        assertThat(send("bob@contoso.example", List.of("ok@onprem.contoso.example", "gone@onprem.contoso.example"), content))
                .startsWith("250 2.0.0 ");

        SinkMessage got = awaitAt(onPremises, subject);
        assertThat(got.rcptTo()).containsExactly("ok@onprem.contoso.example");
        delivered("ok@onprem.contoso.example", subject);
        JsonNode failed = Poll.until(WAIT, "gone@ to be Failed", () -> find("gone@onprem.contoso.example", subject),
                s -> s.isPresent() && s.get().path("status").asText().equals("Failed")).orElseThrow();
        List<JsonNode> events = admin.events(failed.path("networkMessageId").asText());
        JsonNode fail = events.stream().filter(e -> e.path("type").asText().equals("Fail")).findFirst().orElseThrow();
        assertThat(fail.path("recipient").asText()).isEqualTo("gone@onprem.contoso.example");
        assertThat(fail.path("remoteReply").asText()).isEqualTo("550 5.1.1 User unknown");

        MailboxStore store = node.mailboxStore();
        String report = Poll.until(WAIT, "the report in bob's Inbox", () -> store.list(bobMailbox, MailboxStore.Folder.INBOX)
                        .stream().map(m -> new String(store.content(bobMailbox, m), StandardCharsets.UTF_8))
                        .filter(t -> t.contains(subject)).findFirst(), Optional::isPresent).orElseThrow();
        assertThat(report).startsWith("Return-Path: <>\r\n");
        assertReport(report, subject, "gone@onprem.contoso.example");
        assertThat(report).doesNotContain("Final-Recipient: rfc822; ok@onprem.contoso.example");
    }

    @Test
    void refusedRecipientOfAnInternetSenderComesBackThroughTheSendersMx() throws Exception {
        onPremises.replyToRcpt("left@onprem.contoso.example", Reply.of(550, "5.1.1", "User unknown"));
        String subject = "to someone who left " + UUID.randomUUID();
        byte[] content = message("erin@tailspin.example", "left@onprem.contoso.example", subject);
        assertThat(send("erin@tailspin.example", List.of("left@onprem.contoso.example"), content)).startsWith("250 2.0.0 ");

        SinkMessage ndr = awaitAt(internetMx, subject);
        assertThat(ndr.mailFrom()).isEmpty();
        assertThat(ndr.rcptTo()).containsExactly("erin@tailspin.example");
        assertReport(ndr.text(), subject, "left@onprem.contoso.example");
        JsonNode sent = delivered("erin@tailspin.example", subject);
        assertThat(admin.events(sent.path("networkMessageId").asText())).extracting(e -> e.path("type").asText())
                .containsExactly("Receive", "Send");
    }

    private static void assertReport(String report, String subject, String recipient) {
        assertThat(report)
                .contains("From: Mail Delivery System <MAILER-DAEMON@" + TestNodes.HOSTNAME + ">\r\n")
                .contains("Subject: Undeliverable: " + subject + "\r\n")
                .contains("Content-Type: multipart/report; report-type=delivery-status;")
                .contains("Content-Type: message/delivery-status\r\n")
                .contains("Reporting-MTA: dns; " + TestNodes.HOSTNAME + "\r\n")
                .contains("Final-Recipient: rfc822; " + recipient + "\r\nAction: failed\r\nStatus: 5.1.1\r\n")
                .contains("Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n")
                .contains("Content-Type: text/rfc822-headers\r\n")
                .contains("\r\nSubject: " + subject + "\r\n"); // the original headers are returned
    }

    private static byte[] message(String from, String to, String subject) {
        return ("From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: " + subject + "\r\nDate: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now()) + "\r\nMessage-ID: <"
                + UUID.randomUUID() + "@test>\r\n\r\n" + TestNodes.ORDINARY_BODY + "(ref " + subject + ")\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private String send(String from, List<String> to, byte[] content) throws Exception {
        String domain = from.substring(from.indexOf('@') + 1);
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("client." + domain);
            String reply = c.send(from, to, content);
            c.quit();
            return reply;
        }
    }

    private static SinkMessage awaitAt(SmtpSink sink, String subject) {
        return Poll.until(WAIT, "a message about '" + subject + "' at " + sink.hostPort(),
                () -> sink.messages().stream().filter(m -> m.text().contains(subject)).findFirst(),
                Optional::isPresent).orElseThrow();
    }

    private Optional<JsonNode> find(String recipient, String subject) {
        return admin.traceByRecipient(recipient).stream().filter(s -> s.path("subject").asText().contains(subject)).findFirst();
    }

    private JsonNode delivered(String recipient, String subject) {
        return Poll.until(WAIT, recipient + " to be Delivered", () -> find(recipient, subject),
                s -> s.isPresent() && s.get().path("status").asText().equals("Delivered")).orElseThrow();
    }
}
