package sluice.core.receive;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.InboundMatcher;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.filter.Pipeline;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.QueuedRecipient;
import sluice.core.mailbox.MailboxStore;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Mailbox;
import sluice.core.org.Passwords;
import sluice.core.quarantine.QuarantinePolicy;
import sluice.core.quarantine.QuarantineService;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.RetrySchedule;
import sluice.core.route.Postmaster;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryDkimKeys;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemoryPolicies;
import sluice.core.testing.MemoryQuarantineStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.RecordingRemoteDelivery;
import sluice.core.trace.TraceEvent;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.Reply;
import sluice.smtp.client.SmtpConnection;
import sluice.smtp.client.Timeouts;
import sluice.smtp.client.TlsContexts;
import sluice.smtp.client.TransactionResult;
import sluice.smtp.server.SmtpServer;
import sluice.smtp.server.SmtpServerConfig;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 5321 section 4.5.1 over a real socket: {@code <postmaster>} without a domain, in any case, and
 * postmaster at every accepted domain are taken, and reach {@code smtp.postmaster} when no mailbox does.
 */
class PostmasterIsAlwaysAcceptedTest {

    private static final String OK = "250 2.1.5 Recipient OK";

    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryMailboxStore mailboxes = new MemoryMailboxStore();
    private final MemorySpool spool = new MemorySpool();
    private final MemoryTrace trace = new MemoryTrace();
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(
            r -> new Outcome.Delivered("250 2.0.0 Ok", "sent", "mx.partner.example", null));
    private final String org = directory.createOrganization("Contoso", false).id();
    private SmtpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private Mailbox mailbox(String address) {
        return directory.createMailbox(new Mailbox("", org, Address.parse(address), List.of(), address, null, 0));
    }

    /** A node called mx.test for contoso.example (Authoritative) with {@code smtp.postmaster} set to {@code postmaster}. */
    private void start(String postmaster) throws Exception {
        directory.createAcceptedDomain(org, Domain.of("contoso.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        Router router = new Router(directory, new OutboundSelector(new MemoryConnectors()), StaticRoutes.none(),
                new Postmaster(Domain.of("mx.test"), postmaster == null ? null : Address.parse(postmaster)));
        QueueRunner queue = new QueueRunner(spool, router, new MailboxDelivery(mailboxes), remote,
                new DsnBuilder("mx.test", ZoneOffset.UTC), trace, InstantSource.system(), Runnable::run,
                RetrySchedule.DEFAULT, 4, "mx.test");
        Receiver receiver = new Receiver(router, directory, new InboundMatcher(new MemoryConnectors(), TlsContexts.jdkTrust()),
                mailboxes, spool, queue, trace, InstantSource.system(), ZoneOffset.UTC, "mx.test", Passwords.OWASP,
                SubmissionLimits.DEFAULT, new Pipeline(List.of(), new MemoryPolicies()),
                new QuarantineService(new MemoryQuarantineStore(), spool, trace, InstantSource.system(), QuarantinePolicy.DEFAULT,
                        queue::submit), new MemoryDkimKeys());
        server = new SmtpServer(SmtpServerConfig.builder("mx.test").build(), receiver.mx()).start();
    }

    private TransactionResult send(String... rcpts) throws Exception {
        try (SmtpConnection c = SmtpConnection.open(new InetSocketAddress("127.0.0.1", server.port()), Timeouts.RFC_5321)) {
            c.ehlo("client.example.net");
            List<RcptTo> to = new ArrayList<>();
            for (String r : rcpts) to.add(new RcptTo(r, Set.of(), null));
            TransactionResult result = c.send(new MailFrom("bob@example.net", -1, MailFrom.Body.SEVEN_BIT, false, null, null), to,
                    "Subject: your server\r\n\r\nit is down\r\n".getBytes(StandardCharsets.US_ASCII));
            c.quit(Duration.ofSeconds(1));
            return result;
        }
    }

    private List<String> rcptReplies(TransactionResult r) {
        return r.rcpt().stream().map(Reply::toString).toList();
    }

    @Test
    void barePostmasterInAnyCaseAndPostmasterOfAnAcceptedDomainReachTheConfiguredMailbox() throws Exception {
        Mailbox ops = mailbox("ops@contoso.example");
        start("ops@contoso.example");

        TransactionResult r = send("postmaster", "PostMaster", "postmaster@contoso.example", "POSTMASTER@mx.test",
                "postmaster@elsewhere.example");
        assertThat(rcptReplies(r)).containsExactly(OK, OK, OK, OK, "550 5.7.64 TenantAttribution; Relay Access Denied");
        assertThat(r.data().code()).isEqualTo(250);

        assertThat(mailboxes.list(ops.id(), MailboxStore.Folder.INBOX)).hasSize(1);
        assertThat(trace.all()).filteredOn(e -> e.type() == TraceEvent.Type.EXPAND).extracting(TraceEvent::detail).contains(
                "postmaster@mx.test rewritten to ops@contoso.example (smtp.postmaster; RFC 5321 section 4.5.1)",
                "postmaster@contoso.example rewritten to ops@contoso.example (smtp.postmaster; RFC 5321 section 4.5.1)");
        assertThat(trace.typesFor("postmaster@mx.test")).containsOnly(TraceEvent.Type.RECEIVE);
        assertThat(trace.typesFor("ops@contoso.example")).contains(TraceEvent.Type.EXPAND, TraceEvent.Type.DELIVER);
    }

    @Test
    void anExternalPostmasterAddressGetsTheMailOverSmtp() throws Exception {
        start("noc@partner.example");
        assertThat(rcptReplies(send("postmaster"))).containsExactly(OK);
        assertThat(remote.recipients()).containsExactly("noc@partner.example");
    }

    @Test
    void aRealPostmasterMailboxKeepsItsMail() throws Exception {
        Mailbox own = mailbox("postmaster@contoso.example");
        Mailbox ops = mailbox("ops@contoso.example");
        start("ops@contoso.example");
        assertThat(rcptReplies(send("postmaster@contoso.example"))).containsExactly(OK);
        assertThat(mailboxes.list(own.id(), MailboxStore.Folder.INBOX)).hasSize(1);
        assertThat(mailboxes.list(ops.id(), MailboxStore.Folder.INBOX)).isEmpty();
    }

    @Test
    void withoutSmtpPostmasterTheMailIsAcceptedAndHeldNotRefused() throws Exception {
        start(null);
        TransactionResult r = send("postmaster", "postmaster@contoso.example");
        assertThat(rcptReplies(r)).containsExactly(OK, OK);
        assertThat(r.data().code()).isEqualTo(250);

        List<QueuedRecipient> held = spool.recipients(spool.history().getFirst().id());
        assertThat(held).allSatisfy(q -> {
            assertThat(q.state()).isEqualTo(QueuedRecipient.State.QUEUED);
            assertThat(q.lastReply()).isEqualTo("451 4.3.5 Held for the postmaster: this node has no postmaster address configured");
        });
        assertThat(remote.recipients()).isEmpty();
        assertThat(trace.typesFor("postmaster@mx.test")).containsExactly(TraceEvent.Type.RECEIVE, TraceEvent.Type.DEFER);
    }
}
