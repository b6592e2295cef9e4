package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.testing.ForwardingSpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;
import sluice.core.trace.TraceEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

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
    private final QueueRunner runner = QueueScenarios.runner(spool, remote, trace, clock, Runnable::run, 10);

    @Test
    void aDeliveredMessageWhoseOutcomeCannotBeWrittenIsNotSentAgainAndTheOutcomeIsWrittenOnceTheDiskRecovers() {
        spool.full = true;
        QueuedMessage m = QueueScenarios.message(T0);
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, T0, "carol@remote.example");
        spool.enqueue(m, rs);
        runner.submit(m, rs);
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

        assertThat(spool.message(m.id())).as("the outcome is recorded: delivered, so it leaves the queue").isEmpty();
        assertThat(runner.inFlightCount()).isZero();
        assertThat(runner.scheduledCount()).isZero();
        assertThat(remote.recipients()).hasSize(1);
        assertThat(trace.typesFor("carol@remote.example")).containsExactly(TraceEvent.Type.SEND);
    }

    /** A spool whose writes fail while {@link #full}, as with a full disk. */
    private static final class DiskFullSpool extends ForwardingSpool {
        volatile boolean full;
        int failedWrites;

        @Override
        public void update(Collection<QueuedRecipient> recipients, Collection<Generated> generated) {
            if (full) {
                failedWrites++;
                throw new IllegalStateException("No space left on device");
            }
            super.update(recipients, generated);
        }
    }
}
