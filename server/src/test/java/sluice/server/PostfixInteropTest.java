package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interoperability with a real Postfix, the stand-in for the organization's on-premises server: a
 * throw-away instance (its own configuration, queue and data directories under a temp directory,
 * listening on 127.0.0.8) relays mail for contoso.example into Sluice, and receives Sluice's
 * deliveries for the InternalRelay domain onprem.contoso.example into a Maildir, over STARTTLS.
 *
 * <p>Needs /usr/sbin/postfix and root (Postfix's master runs as root). Without them the test is
 * skipped on a workstation and fails on CI ({@code CI=true}), where {@code .ci/run} installs Postfix.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostfixInteropTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String POSTFIX_IP = "127.0.0.8";
    static final String POSTFIX_HOSTNAME = "postfix.onprem.contoso.example";

    Node node;
    Admin admin;
    String mailboxId;
    String fabrikamMailboxId;
    PostfixInstance postfix;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        PostfixInstance.require();
        PostfixInstance.Builder onPremises = PostfixInstance.in(dir, POSTFIX_IP).hostname(POSTFIX_HOSTNAME)
                .bindAddress(POSTFIX_IP).mailbox("alice");
        node = Node.start(TestNodes.config(dir.resolve("sluice"), null, 25,
                Map.of("onprem.contoso.example", List.of(onPremises.hostPort()))));
        admin = TestNodes.admin(node);
        String org = admin.createOrganization("Contoso");
        admin.createDomain(org, "contoso.example", "Authoritative");
        admin.createDomain(org, "onprem.contoso.example", "InternalRelay");
        mailboxId = admin.createMailbox(org, "user@contoso.example");
        String fabrikam = admin.createOrganization("Fabrikam");
        admin.createDomain(fabrikam, "fabrikam.example", "Authoritative");
        fabrikamMailboxId = admin.createMailbox(fabrikam, "bob@fabrikam.example");
        postfix = onPremises
                .file("transport", "contoso.example smtp:[127.0.0.1]:" + node.smtpPort() + "\n"
                        + "fabrikam.example smtp:[127.0.0.1]:" + node.smtpPort() + "\n")
                .main("transport_maps = texthash:%ETC%/transport")
                .start();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (postfix != null) postfix.close();
        } finally {
            if (node != null) node.close();
        }
    }

    @Test
    void postfixRelaysIntoSluiceAndTheMessageLandsInTheHostedMailbox() throws Exception {
        String subject = "from on-premises " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect(POSTFIX_IP, postfix.port())) {
            assertThat(c.greeting()).startsWith("220 " + POSTFIX_HOSTNAME);
            c.ehlo("workstation.onprem.contoso.example");
            assertThat(c.send("frank@onprem.contoso.example", List.of("user@contoso.example"), message(subject)))
                    .startsWith("250 ");
            c.quit();
        }

        JsonNode summary = Poll.until(WAIT, () -> "the message relayed by Postfix to be Delivered (Postfix log:\n" + postfix.log() + ")",
                () -> admin.traceByRecipient("user@contoso.example").stream()
                        .filter(s -> subject.equals(s.path("subject").asText())).findFirst(),
                s -> s.isPresent() && s.get().path("status").asText().equals("Delivered")).orElseThrow();
        List<JsonNode> events = admin.events(summary.path("networkMessageId").asText());
        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("Receive", "Deliver");
        JsonNode receive = events.getFirst();
        assertThat(receive.path("clientAddress").asText()).isEqualTo(POSTFIX_IP);
        assertThat(receive.path("tls").asText()).as("Postfix used STARTTLS towards Sluice").startsWith("TLSv1.");
        assertThat(receive.path("detail").asText()).startsWith("received from " + POSTFIX_HOSTNAME + " [" + POSTFIX_IP + "]");

        MailboxStore store = node.mailboxStore();
        String stored = store.list(mailboxId, MailboxStore.Folder.INBOX).stream()
                .map(m -> new String(store.content(mailboxId, m), StandardCharsets.UTF_8))
                .filter(t -> t.contains(subject)).findFirst().orElseThrow();
        assertThat(stored).contains("Received: from " + POSTFIX_HOSTNAME + " ([" + POSTFIX_IP + "])\r\n\tby "
                + TestNodes.HOSTNAME + " (Sluice) with ESMTPS id ");
        assertThat(stored).contains("\r\nReceived: from workstation.onprem.contoso.example"); // Postfix's own trace field
    }

    /**
     * One organization per transaction: Sluice answers the second organization's RCPT with 452 4.5.3.
     * Postfix takes it as a temporary failure of that recipient only: the first is delivered at once,
     * the second stays in Postfix's deferred queue and goes through in a transaction of its own at
     * the next attempt (triggered here with {@code postfix flush}: this Postfix did not retry by itself
     * within 75 s despite its 1 s backoff settings, so the test does what an impatient admin would).
     */
    @Test
    void aRecipientOfASecondOrganizationIsDeferredByPostfixAndDeliveredAtItsNextAttempt() throws Exception {
        String subject = "to two organizations " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect(POSTFIX_IP, postfix.port())) {
            c.ehlo("workstation.onprem.contoso.example");
            assertThat(c.send("frank@onprem.contoso.example", List.of("user@contoso.example", "bob@fabrikam.example"),
                    message(subject))).startsWith("250 ");
            c.quit();
        }
        MailboxStore store = node.mailboxStore();
        java.util.function.BiPredicate<String, String> has = (box, text) -> store.list(box, MailboxStore.Folder.INBOX).stream()
                .anyMatch(m -> new String(store.content(box, m), StandardCharsets.UTF_8).contains(text));
        Poll.until(WAIT, () -> "the message in user@contoso.example's Inbox (Postfix log:\n" + postfix.log() + ")",
                () -> has.test(mailboxId, subject), found -> found);
        Poll.until(WAIT, () -> "Postfix to defer bob@fabrikam.example with the 452 (log:\n" + postfix.log() + ")",
                () -> postfix.log().contains("to=<bob@fabrikam.example>") && postfix.log().contains("452 4.5.3"), found -> found);
        Poll.until(WAIT, () -> "the message in bob@fabrikam.example's Inbox after a flush (trace: "
                        + admin.traceByRecipient("bob@fabrikam.example") + "; Postfix log:\n" + postfix.log() + ")",
                () -> {
                    if (has.test(fabrikamMailboxId, subject)) return true;
                    postfix.flush();
                    Thread.sleep(1000);
                    return has.test(fabrikamMailboxId, subject);
                }, found -> found);
        JsonNode fabrikamCopy = admin.traceByRecipient("bob@fabrikam.example").stream()
                .filter(s -> subject.equals(s.path("subject").asText())).findFirst().orElseThrow();
        JsonNode contosoCopy = admin.traceByRecipient("user@contoso.example").stream()
                .filter(s -> subject.equals(s.path("subject").asText())).findFirst().orElseThrow();
        assertThat(fabrikamCopy.path("networkMessageId").asText()).as("two transactions, two messages")
                .isNotEqualTo(contosoCopy.path("networkMessageId").asText());
    }

    @Test
    void sluiceDeliversInternalRelayMailToPostfixOverStartTls() throws Exception {
        String subject = "to on-premises " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", node.smtpPort())) {
            c.ehlo("mail.tailspin.example");
            assertThat(c.send("grace@tailspin.example", List.of("alice@onprem.contoso.example"), message(subject)))
                    .startsWith("250 2.0.0 ");
            c.quit();
        }

        String delivered = Poll.until(WAIT, () -> "the message in alice's Maildir at Postfix (trace: "
                        + admin.traceByRecipient("alice@onprem.contoso.example") + "; Postfix log:\n" + postfix.log() + ")",
                () -> postfix.maildirMessage("alice", subject), Optional::isPresent).orElseThrow();
        assertThat(delivered).contains("Return-Path: <grace@tailspin.example>");
        assertThat(delivered).containsPattern("Received: from " + TestNodes.HOSTNAME.replace(".", "\\.")
                + " \\(localhost \\[127\\.0\\.0\\.1\\]\\)\n\t\\(using TLSv1\\.[23]");
        assertThat(delivered).contains("by " + TestNodes.HOSTNAME + " (Sluice) with ESMTP id ");

        JsonNode summary = Poll.until(WAIT, "the trace to show the message Delivered", () -> admin
                        .traceByRecipient("alice@onprem.contoso.example").stream()
                        .filter(s -> subject.equals(s.path("subject").asText())).findFirst(),
                s -> s.isPresent() && s.get().path("status").asText().equals("Delivered")).orElseThrow();
        JsonNode send = admin.events(summary.path("networkMessageId").asText()).stream()
                .filter(e -> e.path("type").asText().equals("Send")).findFirst().orElseThrow();
        assertThat(send.path("tls").asText()).startsWith("TLSv1.");
        assertThat(send.path("remoteReply").asText()).startsWith("250 2.0.0 Ok: queued as ");
    }

    private static byte[] message(String subject) {
        return ("From: <someone@example.test>\r\nTo: <someone@example.test>\r\nSubject: " + subject
                + "\r\nDate: " + java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(java.time.ZonedDateTime.now()) + "\r\nMessage-ID: <" + UUID.randomUUID() + "@test>\r\n\r\n" + TestNodes.ORDINARY_BODY + "(ref " + subject + ")\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
