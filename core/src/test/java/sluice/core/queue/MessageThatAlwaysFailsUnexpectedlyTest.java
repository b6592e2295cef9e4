package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.mail.QueuedRecipient.State;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;
import sluice.core.trace.TraceEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every attempt of a message ends in an exception (here its body cannot be read), so no attempt ever
 * ends and ordinary expiry never comes. Once past its queue lifetime, after a few failures in a row,
 * it is set aside: its recipients are suspended where the queue listing shows why, the trace says
 * so, and nobody is bounced (some recipients may have been reached). An administrator resumes it
 * once the cause is fixed, or removes it.
 */
class MessageThatAlwaysFailsUnexpectedlyTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Duration LIFETIME = RetrySchedule.DEFAULT.maxLifetime();

    private final MutableClock clock = new MutableClock(T0);
    private final MemoryTrace trace = new MemoryTrace();
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(QueueScenarios::accepted);
    /** Attempts started (each runs at once, on the caller's thread). */
    private final AtomicInteger attempts = new AtomicInteger();
    private final Executor counting = task -> {
        attempts.incrementAndGet();
        task.run();
    };

    /** A message from bob to carol, received at {@code receivedAt}, whose body cannot be read; attempted once now. */
    private QueuedMessage unreadableMessage(QueueScenarios.UnreadableBodySpool spool, QueueRunner runner, Instant receivedAt) {
        QueuedMessage m = QueueScenarios.message(receivedAt);
        spool.enqueue(m, QueueScenarios.recipients(m, receivedAt, "carol@remote.example"));
        spool.unreadable = m.id();
        runner.retryNow(m.id()); // as the schedule does when it is due
        return m;
    }

    private QueueRunner runner(Spool spool) {
        return QueueScenarios.runner(spool, remote, trace, clock, counting, 10);
    }

    /** Moves the clock a minute at a time for {@code d}, running what is due. */
    private void run(QueueRunner runner, Duration d) {
        for (long minute = 0; minute < d.toMinutes(); minute++) {
            clock.advance(Duration.ofMinutes(1));
            runner.runDue();
        }
    }

    private List<TraceEvent> setAsideEvents() {
        return trace.all().stream().filter(e -> e.type() == TraceEvent.Type.DEFER && e.detail().startsWith("set aside")).toList();
    }

    @Test
    void isSetAsideSoonAfterItsLifetimeWithoutABounceAndIsNotAttemptedAgain() {
        QueueScenarios.UnreadableBodySpool spool = new QueueScenarios.UnreadableBodySpool();
        QueueRunner runner = runner(spool);
        QueuedMessage m = unreadableMessage(spool, runner, T0);

        run(runner, LIFETIME.minusMinutes(1));
        assertThat(spool.recipients(m.id())).as("still tried within its lifetime")
                .allMatch(r -> r.state() == State.QUEUED);
        assertThat(runner.scheduledCount()).isEqualTo(1);

        run(runner, Duration.ofHours(2));
        QueuedRecipient carol = spool.recipients(m.id()).getFirst();
        assertThat(carol.state()).as("set aside where the queue shows it").isEqualTo(State.SUSPENDED);
        assertThat(carol.lastReply()).isEqualTo("451 4.3.0 Set aside after failing unexpectedly: "
                + "java.lang.IllegalStateException: I/O error reading the body");
        assertThat(runner.list(null, 10)).extracting(QueueAdmin.Entry::id).containsExactly(m.id());
        assertThat(runner.scheduledCount()).isZero();
        assertThat(runner.inFlightCount()).isZero();
        assertThat(spool.history()).as("no report: carol may have been reached").containsExactly(m);

        List<TraceEvent> events = setAsideEvents();
        assertThat(events).hasSize(1);
        TraceEvent e = events.getFirst();
        assertThat(e.recipient()).isEqualTo("carol@remote.example");
        assertThat(e.networkId()).isEqualTo(m.networkId());
        assertThat(e.remoteReply()).isEqualTo("451 4.3.0 Set aside after failing unexpectedly");
        assertThat(e.detail()).contains("past the queue lifetime of 24 hours",
                "last error: java.lang.IllegalStateException: I/O error reading the body", "not bounced");
        assertThat(e.at()).as("within the longest retry delay of the lifetime's end")
                .isBetween(T0.plus(LIFETIME), T0.plus(LIFETIME).plus(RetrySchedule.DEFAULT.maxRetry()));

        int before = attempts.get();
        run(runner, Duration.ofDays(3));
        assertThat(attempts.get()).as("neither attempted nor expired while set aside").isEqualTo(before);
        assertThat(spool.recipients(m.id()).getFirst().state()).isEqualTo(State.SUSPENDED);
    }

    @Test
    void afterARestartItIsSetAsideWithinMinutesNotAfterAnotherLifetime() {
        QueueScenarios.UnreadableBodySpool spool = new QueueScenarios.UnreadableBodySpool();
        clock.advance(LIFETIME.plusHours(2)); // the node was down when it expired; the new runner knows of no failure
        QueueRunner restarted = runner(spool);
        QueuedMessage m = unreadableMessage(spool, restarted, T0);

        run(restarted, Duration.ofMinutes(10));
        assertThat(spool.recipients(m.id()).getFirst().state()).isEqualTo(State.SUSPENDED);
        assertThat(attempts.get()).as("tries in a row before it is set aside").isEqualTo(UnexpectedFailures.IN_A_ROW);
        assertThat(spool.history()).containsExactly(m);
    }

    @Test
    void onePassingFailureAfterItsLifetimeDoesNotSetItAside() {
        QueueScenarios.UnreadableBodySpool spool = new QueueScenarios.UnreadableBodySpool();
        clock.advance(LIFETIME.plusHours(2));
        QueueRunner runner = runner(spool);
        QueuedMessage m = unreadableMessage(spool, runner, T0);

        spool.unreadable = null; // the store recovers
        run(runner, Duration.ofMinutes(1));
        assertThat(spool.message(m.id())).as("delivered at the next try").isEmpty();
        assertThat(remote.recipients()).containsExactly("carol@remote.example");
        assertThat(setAsideEvents()).isEmpty();
    }

    @Test
    void aResumedMessageIsSetAsideAgainWhileTheCauseRemainsAndDeliveredOnceItIsFixed() {
        QueueScenarios.UnreadableBodySpool spool = new QueueScenarios.UnreadableBodySpool();
        clock.advance(LIFETIME.plusHours(2));
        QueueRunner runner = runner(spool);
        QueuedMessage m = unreadableMessage(spool, runner, T0);
        run(runner, Duration.ofMinutes(10));
        assertThat(spool.recipients(m.id()).getFirst().state()).isEqualTo(State.SUSPENDED);

        assertThat(runner.resume(m.id())).isEqualTo(QueueAdmin.Change.DONE);
        run(runner, Duration.ofMinutes(10));
        assertThat(spool.recipients(m.id()).getFirst().state()).as("still failing: set aside again")
                .isEqualTo(State.SUSPENDED);
        assertThat(setAsideEvents()).hasSize(2);

        spool.unreadable = null;
        assertThat(runner.resume(m.id())).isEqualTo(QueueAdmin.Change.DONE);
        assertThat(spool.message(m.id())).as("delivered").isEmpty();
        assertThat(remote.recipients()).containsExactly("carol@remote.example");
    }

    @Test
    void aStoreThatCannotSetItAsideKeepsItsRetry() {
        boolean[] refuseSuspension = {true};
        QueueScenarios.UnreadableBodySpool spool = new QueueScenarios.UnreadableBodySpool() {
            @Override
            public void update(Collection<QueuedRecipient> recipients, Collection<Generated> generated) {
                if (refuseSuspension[0] && recipients.stream().anyMatch(r -> r.state() == State.SUSPENDED)) {
                    throw new IllegalStateException("disk full");
                }
                super.update(recipients, generated);
            }
        };
        clock.advance(LIFETIME.plusHours(2));
        QueueRunner runner = runner(spool);
        QueuedMessage m = unreadableMessage(spool, runner, T0);

        run(runner, Duration.ofMinutes(30));
        assertThat(spool.recipients(m.id()).getFirst().state()).isEqualTo(State.QUEUED);
        assertThat(runner.scheduledCount()).as("still tried, with growing delays").isEqualTo(1);
        assertThat(attempts.get()).isBetween(UnexpectedFailures.IN_A_ROW, 6);

        refuseSuspension[0] = false;
        run(runner, Duration.ofHours(1));
        assertThat(spool.recipients(m.id()).getFirst().state()).as("set aside once the store takes it")
                .isEqualTo(State.SUSPENDED);
    }
}
