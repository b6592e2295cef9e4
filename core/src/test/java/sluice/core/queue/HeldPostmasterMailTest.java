package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.org.AcceptedDomain;
import sluice.core.route.Postmaster;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;
import sluice.core.trace.TraceEvent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Postmaster mail held because no {@code smtp.postmaster} is configured: anyone can send it with a
 * forged sender, so its life in the queue must never produce a delay notice or an NDR (backscatter).
 * An ordinary undeliverable message in the same queue still gets both, so the test can tell.
 */
class HeldPostmasterMailTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final MemoryTrace trace = new MemoryTrace();
    private final MemoryDirectory directory = new MemoryDirectory();
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(r -> new Outcome.Deferred("421 4.4.0 try later", "host down"));
    private final QueueRunner runner;

    HeldPostmasterMailTest() {
        var org = directory.createOrganization("Contoso", false);
        directory.createAcceptedDomain(org.id(), Domain.of("contoso.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        Router router = new Router(directory, new OutboundSelector(new MemoryConnectors()), StaticRoutes.none(),
                new Postmaster(Domain.of("mx.sluice.test"), null));
        runner = new QueueRunner(spool, router, new MailboxDelivery(new MemoryMailboxStore()), remote,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), trace, clock, Runnable::run, RetrySchedule.DEFAULT,
                10, "mx.sluice.test");
    }

    private QueuedMessage submit(String sender, String rcpt) {
        QueueId id = QueueId.next(clock.instant());
        byte[] content = "Subject: hello postmaster\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII);
        QueuedMessage m = new QueuedMessage(id, NetworkMessageId.random(), clock.instant(), sender, null, null, null,
                "192.0.2.7", "client.example.net", content, QueuedMessage.Origin.INTERNET, false, null, false);
        List<QueuedRecipient> rs = List.of(new QueuedRecipient(id, 0, Address.parse(rcpt), Set.of(), null,
                QueuedRecipient.State.QUEUED, 0, clock.instant(), null, false));
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return m;
    }

    private List<String> noticesTo(String address) {
        return spool.history().stream().filter(QueuedMessage::isBounce)
                .filter(b -> spool.recipients(b.id()).stream().anyMatch(r -> r.address().toString().equals(address)))
                .map(b -> new String(b.content(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void heldPostmasterMailExpiresWithoutDelayNoticeOrNdrWhileOrdinaryMailGetsBoth() {
        QueuedMessage held = submit("victim@forged.example", "postmaster@contoso.example");
        QueuedMessage ordinary = submit("bob@example.net", "carol@remote.example");
        for (int i = 0; i < 30 && (spool.message(held.id()).isPresent() || spool.message(ordinary.id()).isPresent()); i++) {
            clock.advance(Duration.ofMinutes(60));
            runner.runDue();
        }
        assertThat(spool.message(held.id())).as("expired after the queue lifetime").isEmpty();
        assertThat(noticesTo("victim@forged.example")).as("no backscatter").isEmpty();
        assertThat(trace.typesFor("postmaster@contoso.example")).contains(TraceEvent.Type.DEFER, TraceEvent.Type.FAIL);
        assertThat(remote.recipients()).doesNotContain("postmaster@contoso.example");

        assertThat(noticesTo("bob@example.net")).as("the control: a delay notice and an NDR")
                .anySatisfy(n -> assertThat(n).contains("Action: delayed"))
                .anySatisfy(n -> assertThat(n).contains("Action: failed"));
    }
}
