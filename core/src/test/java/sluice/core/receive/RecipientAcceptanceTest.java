package sluice.core.receive;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Mailbox;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.RetrySchedule;
import sluice.core.route.Route;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.connector.InboundMatcher;
import sluice.core.connector.OutboundSelector;
import sluice.core.org.Passwords;
import sluice.core.filter.Pipeline;
import sluice.core.quarantine.QuarantinePolicy;
import sluice.core.quarantine.QuarantineService;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryPolicies;
import sluice.core.testing.MemoryQuarantineStore;
import sluice.core.testing.MemoryDirectory;
import sluice.smtp.client.TlsContexts;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.trace.TraceEvent;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.Reply;
import sluice.smtp.client.SmtpConnection;
import sluice.smtp.client.Timeouts;
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
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The receiving side over a real socket: which recipients are accepted, with which replies, and what
 * a queued message looks like once 250 was given.
 */
class RecipientAcceptanceTest {

    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryMailboxStore mailboxes = new MemoryMailboxStore();
    private final MemorySpool spool = new MemorySpool();
    private final MemoryTrace trace = new MemoryTrace();
    private final MemoryConnectors connectors = new MemoryConnectors();
    private final List<QueuedMessage> remote = new ArrayList<>();
    private SmtpServer server;
    private Mailbox alice;
    private Mailbox full;

    @BeforeEach
    void start() throws Exception {
        var org = directory.createOrganization("Contoso", false);
        directory.createAcceptedDomain(org.id(), Domain.of("contoso.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        directory.createAcceptedDomain(org.id(), Domain.of("hybrid.example"), AcceptedDomain.Type.INTERNAL_RELAY, true);
        directory.createAcceptedDomain(org.id(), Domain.of("noroute.example"), AcceptedDomain.Type.INTERNAL_RELAY, false);
        alice = directory.createMailbox(new Mailbox("", org.id(), Address.parse("alice@contoso.example"),
                List.of(Address.parse("sales@contoso.example")), "Alice", null, 0));
        full = directory.createMailbox(new Mailbox("", org.id(), Address.parse("full@contoso.example"), List.of(),
                "Full", null, 10));
        mailboxes.append(full.id(), sluice.core.mailbox.MailboxStore.Folder.INBOX, new byte[10], 0);

        Router router = new Router(directory, new OutboundSelector(connectors), new StaticRoutes(Map.of("hybrid.example", List.of("127.0.0.1:2999"))));
        RemoteDelivery recording = new RemoteDelivery() {
            @Override
            public List<Outcome> deliver(Route.ToSmartHost route, QueuedMessage m, List<QueuedRecipient> rs) {
                synchronized (remote) {
                    remote.add(m);
                }
                return rs.stream().<Outcome>map(r -> new Outcome.Delivered("250 2.0.0 Ok", "sent", "onprem", null)).toList();
            }

            @Override
            public List<Outcome> deliver(Route.ToMx route, QueuedMessage m, List<QueuedRecipient> rs) {
                return deliver(new Route.ToSmartHost(List.of(sluice.core.mail.HostPort.parse("x")), route.tls(), null, true, false), m, rs);
            }
        };
        QueueRunner queue = new QueueRunner(spool, router, new MailboxDelivery(mailboxes), recording,
                new DsnBuilder("mx.test", ZoneOffset.UTC), trace, InstantSource.system(), Runnable::run,
                RetrySchedule.DEFAULT, 4, "mx.test");
        Receiver receiver = new Receiver(router, directory, new InboundMatcher(connectors, TlsContexts.jdkTrust()), mailboxes,
                spool, queue, trace, InstantSource.system(), ZoneOffset.UTC, "mx.test", Passwords.OWASP, SubmissionLimits.DEFAULT,
                new Pipeline(List.of(), new MemoryPolicies()),
                new QuarantineService(new MemoryQuarantineStore(), spool, trace, InstantSource.system(), QuarantinePolicy.DEFAULT, queue::submit),
                new sluice.core.testing.MemoryDkimKeys());
        server = new SmtpServer(SmtpServerConfig.builder("mx.test").build(), receiver.mx()).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private TransactionResult send(String from, String... rcpts) throws Exception {
        return send(false, from, rcpts);
    }

    private TransactionResult send(boolean smtpUtf8, String from, String... rcpts) throws Exception {
        try (SmtpConnection c = SmtpConnection.open(new InetSocketAddress("127.0.0.1", server.port()), Timeouts.RFC_5321)) {
            c.ehlo("client.example.net");
            List<RcptTo> to = new ArrayList<>();
            for (String r : rcpts) to.add(new RcptTo(r, Set.of(), null));
            TransactionResult result = c.send(new MailFrom(from, -1, MailFrom.Body.SEVEN_BIT, smtpUtf8, null, null), to,
                    "Subject: hi\r\nMessage-ID: <t1@example.net>\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
            c.quit(Duration.ofSeconds(1));
            return result;
        }
    }

    @Test
    void eachRecipientGetsTheReplyItsRouteDeserves() throws Exception {
        TransactionResult r = send("bob@example.net",
                "alice@contoso.example",      // mailbox
                "SALES@Contoso.Example",      // alias, any case
                "nobody@contoso.example",     // Authoritative, unknown
                "anyone@hybrid.example",      // InternalRelay with a route
                "x@sub.hybrid.example",       // matchSubdomains
                "anyone@noroute.example",     // InternalRelay without a route
                "full@contoso.example",       // over quota
                "victim@elsewhere.example",   // not ours
                "victim@[127.0.0.1]");         // address literal
        assertThat(r.rcpt()).extracting(Reply::toString).containsExactly(
                "250 2.1.5 Recipient OK",
                "250 2.1.5 Recipient OK",
                "550 5.4.1 Recipient address rejected: Access denied",
                "250 2.1.5 Recipient OK",
                "250 2.1.5 Recipient OK",
                "550 5.4.1 Recipient address rejected: Access denied",
                "552 5.2.2 Mailbox full",
                "550 5.7.64 TenantAttribution; Relay Access Denied",
                "550 5.7.64 TenantAttribution; Relay Access Denied");
        assertThat(r.data().code()).isEqualTo(250);
        assertThat(r.data().text()).matches("Ok: queued as [0-9A-F]{20}");
    }

    @Test
    void relayTricksNeverReachAForeignDomain() throws Exception {
        String[] tricks = {
                "victim%elsewhere.example@contoso.example",
                "elsewhere.example!victim@contoso.example",
                "\"victim@elsewhere.example\"@contoso.example",
                "victim@elsewhere.example@contoso.example",
                "victim%elsewhere.example",
                "victim",
                // passed on to the on-premises server, which may well route by them (Postfix does by default)
                "victim%elsewhere.example@hybrid.example",
                "elsewhere.example!victim@hybrid.example",
                "\"victim@elsewhere.example\"@hybrid.example",
        };
        for (String trick : tricks) {
            TransactionResult r = send("bob@example.net", trick);
            assertThat(r.rcpt().getFirst().code()).as(trick).isGreaterThanOrEqualTo(500);
        }
        assertThat(remote).isEmpty();
        assertThat(spool.history()).isEmpty();
    }

    @Test
    void anAcceptedMessageIsQueuedWithAReceivedHeaderAndTraced() throws Exception {
        send("bob@example.net", "alice@contoso.example", "anyone@hybrid.example");
        QueuedMessage m = spool.history().getFirst();
        String content = new String(m.content(), StandardCharsets.UTF_8);
        assertThat(content).startsWith("Received: from client.example.net ([127.0.0.1])\r\n\tby mx.test (Sluice) with ESMTP id "
                + m.id().value() + ";\r\n\t");
        assertThat(content).contains("\r\nSubject: hi\r\n");
        assertThat(m.sender()).isEqualTo("bob@example.net");
        assertThat(m.clientAddress()).isEqualTo("127.0.0.1");
        assertThat(trace.typesFor("alice@contoso.example")).containsExactly(TraceEvent.Type.RECEIVE, TraceEvent.Type.DELIVER);
        assertThat(trace.typesFor("anyone@hybrid.example")).containsExactly(TraceEvent.Type.RECEIVE, TraceEvent.Type.SEND);
        assertThat(mailboxes.list(alice.id(), sluice.core.mailbox.MailboxStore.Folder.INBOX)).hasSize(1);
        assertThat(remote).hasSize(1);
    }

    /** RFC 6531 section 4.3: a transaction whose client asked for SMTPUTF8 is received "with UTF8SMTP". */
    @Test
    void aMessageSentWithSmtpUtf8IsReceivedWithUtf8Smtp() throws Exception {
        send(true, "bob@example.net", "alice@contoso.example");
        QueuedMessage m = spool.history().getFirst();
        assertThat(m.smtpUtf8()).isTrue();
        assertThat(new String(m.content(), StandardCharsets.UTF_8))
                .startsWith("Received: from client.example.net ([127.0.0.1])\r\n\tby mx.test (Sluice) with UTF8SMTP id ");
    }
}
