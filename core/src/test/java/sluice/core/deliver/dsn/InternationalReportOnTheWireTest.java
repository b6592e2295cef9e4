package sluice.core.deliver.dsn;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDeliveryOptions;
import sluice.core.deliver.remote.SmtpRemoteDelivery;
import sluice.core.dns.DnsJavaResolver;
import sluice.core.dns.DnsStub;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.RetrySchedule;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;
import sluice.smtp.Reply;
import sluice.smtp.client.Timeouts;
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An internationalized report over real sockets, from the refusal to its hand-over: to a sender whose
 * address is not ASCII it goes as SMTPUTF8 mail (its envelope and its To field need it); about a
 * recipient whose address is not ASCII, to an ASCII sender, it needs no SMTPUTF8 (its UTF-8 is in
 * message/global* parts, 8bit MIME) and so still reaches a next hop that lacks the extension. A report
 * about a message whose client asked for SMTPUTF8 asks for it too, as Postfix's does, where the next hop
 * offers it; its own header being ASCII, it still reaches one that does not.
 */
class InternationalReportOnTheWireTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final DnsStub dns = DnsStub.start("127.0.0.1");
    private SmtpSink partner;
    private SmtpSink senders;
    private SmtpRemoteDelivery remote;

    @AfterEach
    void stop() {
        if (remote != null) remote.close();
        if (partner != null) partner.close();
        if (senders != null) senders.close();
        dns.close();
    }

    private QueueRunner runner() {
        remote = new SmtpRemoteDelivery(new DnsJavaResolver(List.of(dns.server()), Duration.ofMillis(300), 0),
                RemoteDeliveryOptions.defaults("out.sluice.test").withTimeouts(Timeouts.uniform(Duration.ofSeconds(5))));
        Router router = new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()), new StaticRoutes(Map.of(
                "partner.example", List.of(partner.hostPort()), "sender.example", List.of(senders.hostPort()))));
        return new QueueRunner(spool, router, new MailboxDelivery(new MemoryMailboxStore()), remote,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), new MemoryTrace(), clock, Runnable::run, RetrySchedule.DEFAULT,
                10, "mx.sluice.test");
    }

    /** Sends a message from {@code sender} that the partner refuses for {@code recipient}, then hands the report over. */
    private SinkMessage reportOnTheWire(String sender, String recipient) throws Exception {
        return reportOnTheWire(sender, recipient, "hi", false);
    }

    /** {@code smtpUtf8}: the original's client asked for SMTPUTF8. */
    private SinkMessage reportOnTheWire(String sender, String recipient, String subject, boolean smtpUtf8) throws Exception {
        partner.replyToRcpt(recipient, Reply.of(550, "5.1.1", "User unknown"));
        QueueRunner runner = runner();
        QueueId id = QueueId.next(clock.instant());
        byte[] content = ("From: " + sender + "\r\nTo: " + recipient + "\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
        QueuedMessage m = new QueuedMessage(id, NetworkMessageId.random(), clock.instant(), sender, null, null, null,
                "192.0.2.7", "client.example.net", content,
                QueuedMessage.Origin.INTERNET, false, null, smtpUtf8);
        var r = new QueuedRecipient(id, 0, Address.parse(recipient), Set.of(), null, QueuedRecipient.State.QUEUED, 0,
                clock.instant(), null, false);
        spool.enqueue(m, List.of(r));
        runner.submit(m, List.of(r));

        List<QueuedMessage> reports = spool.history().stream().filter(QueuedMessage::isBounce).toList();
        assertThat(reports).hasSize(1);
        runner.submit(reports.getFirst(), spool.recipients(reports.getFirst().id()));
        return senders.awaitMessages(1, WAIT).getFirst();
    }

    @Test
    void aReportToANonAsciiSenderGoesAsSmtpUtf8Mail() throws Exception {
        partner = SmtpSink.start("127.0.0.71");
        senders = SmtpSink.start("127.0.0.72");

        SinkMessage got = reportOnTheWire("j\u00f6rg@sender.example", "carol@partner.example");

        assertThat(got.mailLine()).startsWith("MAIL FROM:<>").contains(" SMTPUTF8");
        assertThat(got.rcptTo()).containsExactly("j\u00f6rg@sender.example");
        ReportStructure report = ReportStructure.of(got.content());
        assertThat(report.types()).containsExactly("text/plain", "message/global-delivery-status", "message/global-headers");
        assertThat(report.status()).contains("Final-Recipient: rfc822; carol@partner.example\r\n");
    }

    @Test
    void aReportAboutANonAsciiRecipientReachesANextHopWithoutSmtpUtf8() throws Exception {
        partner = SmtpSink.start("127.0.0.73");
        senders = SmtpSink.on("127.0.0.74").without("SMTPUTF8").start();

        SinkMessage got = reportOnTheWire("ann@sender.example", "j\u00f6rg@partner.example");

        assertThat(got.mailLine()).startsWith("MAIL FROM:<>").doesNotContain("SMTPUTF8").contains(" BODY=8BITMIME");
        ReportStructure report = ReportStructure.of(got.content());
        assertThat(report.types()).containsExactly("text/plain", "message/global-delivery-status", "message/global-headers");
        assertThat(report.status()).contains("Final-Recipient: utf-8;j\u00f6rg@partner.example\r\n", "Status: 5.1.1\r\n");
    }

    @Test
    void aReportAboutSmtpUtf8MailAsksForSmtpUtf8WhereItIsOffered() throws Exception {
        partner = SmtpSink.start("127.0.0.75");
        senders = SmtpSink.start("127.0.0.76");

        SinkMessage got = reportOnTheWire("ann@sender.example", "carol@partner.example", "Gr\u00fc\u00dfe", true);

        assertThat(got.mailLine()).startsWith("MAIL FROM:<>").endsWith(" SMTPUTF8");
        assertThat(ReportStructure.of(got.content()).types())
                .containsExactly("text/plain", "message/global-delivery-status", "message/global-headers");
    }

    @Test
    void aReportAboutSmtpUtf8MailStillReachesANextHopWithoutSmtpUtf8() throws Exception {
        partner = SmtpSink.start("127.0.0.77");
        senders = SmtpSink.on("127.0.0.78").without("SMTPUTF8").start();

        SinkMessage got = reportOnTheWire("ann@sender.example", "carol@partner.example", "Gr\u00fc\u00dfe", true);

        assertThat(got.mailLine()).startsWith("MAIL FROM:<>").doesNotContain("SMTPUTF8").contains(" BODY=8BITMIME");
    }
}
