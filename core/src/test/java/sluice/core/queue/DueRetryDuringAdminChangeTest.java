package sluice.core.queue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
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
import sluice.core.testing.RecordingRemoteDelivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ticker finds a message's retry due at the instant an administrator's resume holds the message
 * (it has nothing to resume, so it reschedules nothing). The due retry must not be lost: it runs a
 * moment later, and the message is retried and eventually expires as usual.
 */
class DueRetryDuringAdminChangeTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final TickingSpool spool = new TickingSpool();
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(r -> new Outcome.Deferred("421 4.4.0 try later", "host down"));
    private QueueRunner runner;

    @BeforeEach
    void setUp() {
        Router router = new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        runner = new QueueRunner(spool, router, new MailboxDelivery(new MemoryMailboxStore()), remote,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), new MemoryTrace(), clock, Runnable::run,
                RetrySchedule.DEFAULT, 10, "mx.sluice.test");
    }

    @Test
    void aRetryThatFallsDueWhileAResumeHoldsTheMessageIsRunALittleLater() {
        QueueId id = QueueId.next(clock.instant());
        QueuedMessage m = new QueuedMessage(id, NetworkMessageId.random(), clock.instant(), "bob@example.net", null, null,
                null, "192.0.2.7", "client.example.net", "Subject: hi\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII));
        List<QueuedRecipient> rs = List.of(new QueuedRecipient(id, 0, Address.parse("carol@remote.example"), Set.of(),
                null, QueuedRecipient.State.QUEUED, 0, clock.instant(), null, false));
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        assertThat(remote.recipients()).hasSize(1);

        clock.advance(Duration.ofMinutes(1)); // the retry is due
        spool.tickOnNextRead = () -> runner.runDue(); // the ticker runs while resume holds the message
        assertThat(runner.resume(id)).isEqualTo(QueueAdmin.Change.NOTHING_TO_CHANGE);
        assertThat(remote.recipients()).as("not attempted while held").hasSize(1);
        assertThat(runner.scheduledCount()).as("the due retry is still scheduled").isEqualTo(1);

        clock.advance(Duration.ofSeconds(30));
        runner.runDue();
        assertThat(remote.recipients()).as("retried a moment later").hasSize(2);

        for (int i = 0; i < 30 && spool.message(id).isPresent(); i++) {
            clock.advance(Duration.ofHours(1));
            runner.runDue();
        }
        assertThat(spool.message(id)).as("and expires as usual").isEmpty();
    }

    @Test
    void retryNowWhileAnAttemptFinishesDoesNotBringADeliveredRecipientBack() {
        QueueId id = QueueId.next(clock.instant());
        QueuedMessage m = new QueuedMessage(id, NetworkMessageId.random(), clock.instant(), "bob@example.net", null, null,
                null, "192.0.2.7", "client.example.net", "Subject: hi\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII));
        List<QueuedRecipient> rs = List.of(
                new QueuedRecipient(id, 0, Address.parse("carol@a.example"), Set.of(), null, QueuedRecipient.State.QUEUED, 0,
                        clock.instant(), null, false),
                new QueuedRecipient(id, 1, Address.parse("dave@b.example"), Set.of(), null, QueuedRecipient.State.QUEUED, 0,
                        clock.instant(), null, false));
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        remote.answer(r -> r.address().domain().name().equals("a.example")
                ? new Outcome.Delivered("250 2.0.0 ok", "delivered", "mx.a.example", null)
                : new Outcome.Deferred("421 4.4.0 try later", "host down"));

        clock.advance(Duration.ofMinutes(1)); // the retry is due
        spool.tickOnNextRead = () -> runner.runDue(); // the ticker's attempt runs while retryNow reads the recipients
        assertThat(runner.retryNow(id)).isTrue();
        runner.runDue();

        assertThat(remote.recipients().stream().filter("carol@a.example"::equals))
                .as("one deferred attempt, then delivered once").hasSize(2);
        assertThat(spool.recipients(id).getFirst().state()).isEqualTo(QueuedRecipient.State.DELIVERED);
    }

    /** Runs {@link #tickOnNextRead} once, just after the next read of a message's recipients (before the caller sees it). */
    private static final class TickingSpool implements Spool {
        private final MemorySpool delegate = new MemorySpool();
        Runnable tickOnNextRead;

        @Override
        public void enqueue(QueuedMessage message, List<QueuedRecipient> recipients) {
            delegate.enqueue(message, recipients);
        }

        @Override
        public void update(Collection<QueuedRecipient> recipients, Collection<Generated> generated) {
            delegate.update(recipients, generated);
        }

        @Override
        public Optional<QueuedMessage> message(QueueId id) {
            return delegate.message(id);
        }

        @Override
        public Optional<Envelope> envelope(QueueId id) {
            return delegate.envelope(id);
        }

        @Override
        public List<QueuedRecipient> recipients(QueueId id) {
            List<QueuedRecipient> read = delegate.recipients(id);
            Runnable tick = tickOnNextRead;
            tickOnNextRead = null;
            if (tick != null) tick.run();
            return read;
        }

        @Override
        public List<QueueId> pending() {
            return delegate.pending();
        }

        @Override
        public void delete(QueueId id) {
            delegate.delete(id);
        }
    }
}
