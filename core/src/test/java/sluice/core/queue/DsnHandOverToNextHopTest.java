package sluice.core.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.dsn.DsnBuilder;
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
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;
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
 * RFC 3461 section 5.2 over real sockets: a next hop that announces DSN is given NOTIFY, ORCPT, RET
 * and ENVID and owns the success notice; one that does not gets none of them, and the sender who
 * asked for NOTIFY=SUCCESS hears "relayed" from us.
 */
class DsnHandOverToNextHopTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final MemoryTrace trace = new MemoryTrace();
    private final DnsStub dns = DnsStub.start("127.0.0.1");
    private SmtpSink sink;
    private SmtpRemoteDelivery remote;

    @AfterEach
    void stop() {
        if (remote != null) remote.close();
        if (sink != null) sink.close();
        dns.close();
    }

    private QueueRunner runnerTo(SmtpSink next) {
        Timeouts fast = Timeouts.uniform(Duration.ofSeconds(5));
        remote = new SmtpRemoteDelivery(new DnsJavaResolver(List.of(dns.server()), Duration.ofMillis(300), 0),
                RemoteDeliveryOptions.defaults("out.sluice.test").withTimeouts(fast));
        Router router = new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()),
                new StaticRoutes(Map.of("partner.example", List.of(next.hostPort()))));
        return new QueueRunner(spool, router, new MailboxDelivery(new MemoryMailboxStore()), remote,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), trace, clock, Runnable::run, RetrySchedule.DEFAULT,
                10, "mx.sluice.test");
    }

    /** NOTIFY=SUCCESS,FAILURE with an ORCPT that needs xtext ('+', '=' and a non-ASCII letter). */
    private void submit(QueueRunner runner) {
        QueueId id = QueueId.next(clock.instant());
        byte[] content = "Subject: contract\r\n\r\nsigned\r\n".getBytes(StandardCharsets.US_ASCII);
        QueuedMessage m = new QueuedMessage(id, NetworkMessageId.random(), clock.instant(), "bob@example.net", null,
                "HDRS", "env 42+x", "192.0.2.7", "client.example.net", content,
                QueuedMessage.Origin.INTERNET, false, null, false);
        var r = new QueuedRecipient(id, 0, Address.parse("carol@partner.example"), Set.of("SUCCESS", "FAILURE"),
                "rfc822;jörg+a=b@old.example", QueuedRecipient.State.QUEUED, 0, clock.instant(), null, false);
        spool.enqueue(m, List.of(r));
        runner.submit(m, List.of(r));
    }

    private List<QueuedMessage> notices() {
        return spool.history().stream().filter(QueuedMessage::isBounce).toList();
    }

    @Test
    void dsnCapableNextHopGetsTheParametersAndNoRelayedNoticeIsQueued() throws Exception {
        sink = SmtpSink.start("127.0.0.61");
        submit(runnerTo(sink));

        SinkMessage got = sink.awaitMessages(1, Duration.ofSeconds(10)).getFirst();
        assertThat(got.mailLine()).endsWith(" RET=HDRS ENVID=env+2042+2Bx");
        assertThat(got.rcptLines()).containsExactly(
                "RCPT TO:<carol@partner.example> NOTIFY=FAILURE,SUCCESS ORCPT=rfc822;j+C3+B6rg+2Ba+3Db@old.example");
        assertThat(notices()).as("the next hop reports success; a notice from us would be a duplicate").isEmpty();
        assertThat(trace.all()).anySatisfy(e -> assertThat(e.detail())
                .contains("success notice left to [" + sink.address() + "]:" + sink.port() + ", which supports DSN"));
    }

    @Test
    void nextHopWithoutDsnGetsNoParametersAndTheSenderHearsRelayed() throws Exception {
        sink = SmtpSink.on("127.0.0.62").without("DSN").start();
        submit(runnerTo(sink));

        SinkMessage got = sink.awaitMessages(1, Duration.ofSeconds(10)).getFirst();
        assertThat(got.mailLine()).doesNotContain("RET=").doesNotContain("ENVID=");
        assertThat(got.rcptLines()).containsExactly("RCPT TO:<carol@partner.example>");
        assertThat(notices()).hasSize(1);
        String notice = new String(notices().getFirst().content(), StandardCharsets.UTF_8);
        assertThat(notice).contains("Action: relayed", "Final-Recipient: rfc822; carol@partner.example",
                "Original-Envelope-Id: env 42+x", "which do not report delivery");
    }
}
