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
import sluice.core.trace.TraceEvent;

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
 * The disk fills up just after a message was delivered: the outcome cannot be recorded. The runner
 * keeps it and tries to record it again, with growing pauses, and meanwhile starts no new attempt of
 * that message, so the recipient gets one copy and not one a minute.
 */
class OutcomeNotRecordedTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final DiskFullSpool spool = new DiskFullSpool();
    private final MemoryTrace trace = new MemoryTrace();
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(
            r -> new Outcome.Delivered("250 2.0.0 ok", "delivered", "mx.remote.example", null));
    private QueueRunner runner;

    @BeforeEach
    void setUp() {
        Router router = new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        runner = new QueueRunner(spool, router, new MailboxDelivery(new MemoryMailboxStore()), remote,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), trace, clock, Runnable::run, RetrySchedule.DEFAULT,
                10, "mx.sluice.test");
    }

    private QueueId submit() {
        QueueId id = QueueId.next(clock.instant());
        QueuedMessage m = new QueuedMessage(id, NetworkMessageId.random(), clock.instant(), "bob@example.net", null, null,
                null, "192.0.2.7", "client.example.net", "Subject: hi\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII));
        List<QueuedRecipient> rs = List.of(new QueuedRecipient(id, 0, Address.parse("carol@remote.example"), Set.of(),
                null, QueuedRecipient.State.QUEUED, 0, clock.instant(), null, false));
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return id;
    }

    @Test
    void aDeliveredMessageWhoseOutcomeCannotBeWrittenIsNotSentAgainAndTheOutcomeIsWrittenOnceTheDiskRecovers() {
        spool.full = true;
        QueueId id = submit();
        assertThat(remote.recipients()).hasSize(1);
        assertThat(runner.inFlightCount()).as("kept in flight until its outcome is on disk").isEqualTo(1);

        int writesBefore = spool.failedWrites;
        for (int minute = 0; minute < 30; minute++) {
            clock.advance(Duration.ofMinutes(1));
            runner.runDue();
        }
        assertThat(remote.recipients()).as("one copy, however long the disk stays full").hasSize(1);
        int writes = spool.failedWrites - writesBefore;
        assertThat(writes).as("tried again, with growing pauses").isBetween(3, 15);
        assertThat(trace.typesFor("carol@remote.example")).as("traced only once recorded").isEmpty();

        spool.full = false;
        clock.advance(Duration.ofMinutes(10));
        runner.runDue();

        assertThat(spool.message(id)).as("the outcome is recorded: delivered, so it leaves the queue").isEmpty();
        assertThat(runner.inFlightCount()).isZero();
        assertThat(runner.scheduledCount()).isZero();
        assertThat(remote.recipients()).hasSize(1);
        assertThat(trace.typesFor("carol@remote.example")).containsExactly(TraceEvent.Type.SEND);
    }

    /** A spool whose writes fail while {@link #full}, as with a full disk. */
    private static final class DiskFullSpool implements Spool {
        private final MemorySpool delegate = new MemorySpool();
        volatile boolean full;
        int failedWrites;

        @Override
        public void enqueue(QueuedMessage message, List<QueuedRecipient> recipients) {
            delegate.enqueue(message, recipients);
        }

        @Override
        public void update(Collection<QueuedRecipient> recipients, Collection<Generated> generated) {
            if (full) {
                failedWrites++;
                throw new IllegalStateException("No space left on device");
            }
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
            return delegate.recipients(id);
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
