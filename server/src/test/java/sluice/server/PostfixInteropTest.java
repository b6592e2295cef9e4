package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore;
import sluice.smtp.testing.TestCertificates;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

    Path root;
    Path etc;
    Node node;
    Admin admin;
    String mailboxId;
    int postfixPort;
    boolean postfixStarted;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        requirePostfix();
        root = dir;
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x")); // virtual(8) runs as nobody
        postfixPort = freePort(POSTFIX_IP);
        node = Node.start(TestNodes.config(root.resolve("sluice"), null, 25,
                Map.of("onprem.contoso.example", List.of(POSTFIX_IP + ":" + postfixPort))));
        admin = TestNodes.admin(node);
        String org = admin.createOrganization("Contoso");
        admin.createDomain(org, "contoso.example", "Authoritative");
        admin.createDomain(org, "onprem.contoso.example", "InternalRelay");
        mailboxId = admin.createMailbox(org, "user@contoso.example");
        startPostfix();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (postfixStarted) stopPostfix();
        } finally {
            if (node != null) node.close();
        }
    }

    @Test
    void postfixRelaysIntoSluiceAndTheMessageLandsInTheHostedMailbox() throws Exception {
        String subject = "from on-premises " + UUID.randomUUID();
        try (SmtpTalk c = SmtpTalk.connect(POSTFIX_IP, postfixPort)) {
            assertThat(c.greeting()).startsWith("220 " + POSTFIX_HOSTNAME);
            c.ehlo("workstation.onprem.contoso.example");
            assertThat(c.send("frank@onprem.contoso.example", List.of("user@contoso.example"), message(subject)))
                    .startsWith("250 ");
            c.quit();
        }

        JsonNode summary = Poll.until(WAIT, () -> "the message relayed by Postfix to be Delivered (Postfix log:\n" + postfixLog() + ")",
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
                .map(m -> new String(store.content(mailboxId, m.uid()), StandardCharsets.UTF_8))
                .filter(t -> t.contains(subject)).findFirst().orElseThrow();
        assertThat(stored).contains("Received: from " + POSTFIX_HOSTNAME + " ([" + POSTFIX_IP + "])\r\n\tby "
                + TestNodes.HOSTNAME + " (Sluice) with ESMTPS id ");
        assertThat(stored).contains("\r\nReceived: from workstation.onprem.contoso.example"); // Postfix's own trace field
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

        Path maildir = root.resolve("vmail/alice/new");
        String delivered = Poll.until(WAIT, () -> "the message in alice's Maildir at Postfix (trace: "
                        + admin.traceByRecipient("alice@onprem.contoso.example") + "; Postfix log:\n" + postfixLog() + ")",
                () -> maildirMessage(maildir, subject), Optional::isPresent).orElseThrow();
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
                + "\r\nMessage-ID: <" + UUID.randomUUID() + "@test>\r\n\r\nbody of " + subject + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Optional<String> maildirMessage(Path dir, String subject) throws IOException {
        if (!Files.isDirectory(dir)) return Optional.empty();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                if (text.contains(subject)) return Optional.of(text);
            }
        }
        return Optional.empty();
    }

    // ---- the throw-away Postfix instance -------------------------------------------------------

    private static void requirePostfix() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        String missing = !Files.isExecutable(Path.of("/usr/sbin/postfix")) ? "/usr/sbin/postfix is not installed"
                : !"root".equals(System.getProperty("user.name")) ? "Postfix's master must be started as root" : null;
        if (missing == null) return;
        String message = missing + "; the Postfix interoperability test needs it (.ci/run installs Postfix)";
        if (ci) throw new AssertionError(message);
        Assumptions.abort(message);
    }

    private void startPostfix() throws Exception {
        etc = Files.createDirectories(root.resolve("postfix-etc"));
        Path data = Files.createDirectories(root.resolve("postfix-data"));
        Path vmail = Files.createDirectories(root.resolve("vmail"));
        Files.createDirectories(root.resolve("postfix-spool"));
        UserPrincipalLookupService users = root.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(data, users.lookupPrincipalByName("postfix"));
        Files.setOwner(vmail, users.lookupPrincipalByName("nobody"));
        Files.getFileAttributeView(vmail, PosixFileAttributeView.class).setGroup(nobodysGroup(users));
        int nobody = (Integer) Files.getAttribute(vmail, "unix:uid");
        int nogroup = (Integer) Files.getAttribute(vmail, "unix:gid");

        TestCertificates.Identity id = TestCertificates.selfSigned(POSTFIX_HOSTNAME, POSTFIX_HOSTNAME);
        Files.writeString(etc.resolve("cert.pem"), pem("CERTIFICATE", id.certificate().getEncoded()));
        Files.writeString(etc.resolve("key.pem"), pem("PRIVATE KEY", id.key().getEncoded()));
        Files.setPosixFilePermissions(etc.resolve("key.pem"), PosixFilePermissions.fromString("rw-------"));
        Files.writeString(etc.resolve("vmailbox"), "alice@onprem.contoso.example alice/\n");
        Files.writeString(etc.resolve("transport"), "contoso.example smtp:[127.0.0.1]:" + node.smtpPort() + "\n");
        Files.writeString(etc.resolve("main.cf"), """
                compatibility_level = 3.6
                myhostname = %1$s
                mydomain = onprem.contoso.example
                myorigin = $mydomain
                mydestination =
                inet_interfaces = 127.0.0.1
                inet_protocols = ipv4
                mynetworks = 127.0.0.0/8
                queue_directory = %2$s/postfix-spool
                data_directory = %2$s/postfix-data
                maillog_file = %2$s/postfix.log
                maillog_file_prefixes = %2$s
                smtpd_relay_restrictions = permit_mynetworks, reject
                smtpd_tls_security_level = may
                smtpd_tls_cert_file = %3$s/cert.pem
                smtpd_tls_key_file = %3$s/key.pem
                smtpd_tls_received_header = yes
                smtp_tls_security_level = may
                smtp_bind_address = %4$s
                smtp_dns_support_level = disabled
                alias_maps =
                alias_database =
                local_recipient_maps =
                transport_maps = texthash:%3$s/transport
                virtual_mailbox_domains = onprem.contoso.example
                virtual_mailbox_base = %2$s/vmail
                virtual_mailbox_maps = texthash:%3$s/vmailbox
                virtual_uid_maps = static:%5$d
                virtual_gid_maps = static:%6$d
                queue_run_delay = 1s
                minimal_backoff_time = 1s
                maximal_backoff_time = 2s
                smtp_connect_timeout = 5s
                biff = no
                """.formatted(POSTFIX_HOSTNAME, root, etc, POSTFIX_IP, nobody, nogroup));
        Files.writeString(etc.resolve("master.cf"), """
                %s:%d inet n - n - - smtpd
                pickup    unix  n  -  n  60     1  pickup
                cleanup   unix  n  -  n  -      0  cleanup
                qmgr      unix  n  -  n  300    1  qmgr
                tlsmgr    unix  -  -  n  1000?  1  tlsmgr
                rewrite   unix  -  -  n  -      -  trivial-rewrite
                bounce    unix  -  -  n  -      0  bounce
                defer     unix  -  -  n  -      0  bounce
                trace     unix  -  -  n  -      0  bounce
                verify    unix  -  -  n  -      1  verify
                flush     unix  n  -  n  1000?  0  flush
                proxymap  unix  -  -  n  -      -  proxymap
                smtp      unix  -  -  n  -      -  smtp
                relay     unix  -  -  n  -      -  smtp
                showq     unix  n  -  n  -      -  showq
                error     unix  -  -  n  -      -  error
                retry     unix  -  -  n  -      -  error
                discard   unix  -  -  n  -      -  discard
                local     unix  -  n  n  -      -  local
                virtual   unix  -  n  n  -      -  virtual
                anvil     unix  -  -  n  -      1  anvil
                scache    unix  -  -  n  -      1  scache
                postlog   unix-dgram n - n -    1  postlogd
                """.formatted(POSTFIX_IP, postfixPort));

        postfix("check");
        postfix("start");
        postfixStarted = true;
        Poll.until(WAIT, "Postfix to greet on " + POSTFIX_IP + ":" + postfixPort, () -> {
            try (SmtpTalk c = SmtpTalk.connect(POSTFIX_IP, postfixPort)) {
                String greeting = c.greeting();
                c.quit();
                return greeting;
            }
        }, g -> g.startsWith("220 "));
    }

    private void stopPostfix() throws Exception {
        Path pidFile = root.resolve("postfix-spool/pid/master.pid");
        long pid = Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).strip()) : -1;
        postfix("stop");
        // Wait for the master (and with it its children) to go, so the temp directory can be removed.
        Poll.until(WAIT, "Postfix's master to exit", () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                alive -> !alive);
    }

    private void postfix(String command) throws Exception {
        Process p = new ProcessBuilder("/usr/sbin/postfix", "-c", etc.toString(), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("postfix " + command + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("postfix -c " + etc + " " + command + " failed (" + p.exitValue() + "): " + out
                    + "\n" + postfixLog());
        }
    }

    private String postfixLog() {
        try {
            Path log = root.resolve("postfix.log");
            return Files.exists(log) ? Files.readString(log) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static GroupPrincipal nobodysGroup(UserPrincipalLookupService users) throws IOException {
        try {
            return users.lookupPrincipalByGroupName("nogroup"); // Debian
        } catch (UserPrincipalNotFoundException e) {
            return users.lookupPrincipalByGroupName("nobody");
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
            return s.getLocalPort();
        }
    }
}
