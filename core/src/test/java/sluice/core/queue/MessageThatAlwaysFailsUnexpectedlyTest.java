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
    private QueueRunner runner;

    /** A message from bob to carol, received at {@code receivedAt}, whose body cannot be read; attempted once now. */
    private QueuedMessage unreadableMessage(QueueScenarios.UnreadableBodySpool spool, Instant receivedAt) {
        QueuedMessage m = QueueScenarios.message(receivedAt);
        spool.enqueue(m, QueueScenarios.recipients(m, receivedAt, "carol@remote.example"));
        spool.unreadable = m.id();
        runner.retryNow(m.id()); // as the schedule does when it is due
        return m;
    }

    /**
     * The node starts two hours after the lifetime of a message it cannot read ended (it was down meanwhile), so its
     * runner knows of no failure of it; the message is attempted once.
     */
    private QueuedMessage pastItsLifetimeAfterARestart(QueueScenarios.UnreadableBodySpool spool) {
        clock.advance(LIFETIME.plusHours(2));
        runner = runner(spool);
        return unreadableMessage(spool, T0);
    }

    /** {@link #pastItsLifetimeAfterARestart}, then ten minutes in which it is set aside. */
    private QueuedMessage setAsideAfterARestart(QueueScenarios.UnreadableBodySpool spool) {
        QueuedMessage m = pastItsLifetimeAfterARestart(spool);
        run(Duration.ofMinutes(10));
        assertThat(state(spool, m)).as("set aside").isEqualTo(State.SUSPENDED);
        return m;
    }

    private static State state(Spool spool, QueuedMessage m) {
        return spool.recipients(m.id()).getFirst().state();
    }

    private QueueRunner runner(Spool spool) {
        return QueueScenarios.runner(spool, remote, trace, clock, counting, 10);
    }

    /** Moves the clock a minute at a time for {@code d}, running what is due. */
    private void run(Duration d) {
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
        runner = runner(spool);
        QueuedMessage m = unreadableMessage(spool, T0);

        run(LIFETIME.minusMinutes(1));
        assertThat(spool.recipients(m.id())).as("still tried within its lifetime")
                .allMatch(r -> r.state() == State.QUEUED);
        assertThat(runner.scheduledCount()).isEqualTo(1);

        run(Duration.ofHours(2));
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
        run(Duration.ofDays(3));
        assertThat(attempts.get()).as("neither attempted nor expired while set aside").isEqualTo(before);
        assertThat(state(spool, m)).isEqualTo(State.SUSPENDED);
    }

    @Test
    void afterARestartItIsSetAsideWithinMinutesNotAfterAnotherLifetime() {
        QueueScenarios.UnreadableBodySpool spool = new QueueScenarios.UnreadableBodySpool();
        QueuedMessage m = setAsideAfterARestart(spool);

        assertThat(attempts.get()).as("tries in a row before it is set aside").isEqualTo(UnexpectedFailures.IN_A_ROW);
        assertThat(spool.history()).containsExactly(m);
    }

    @Test
    void onePassingFailureAfterItsLifetimeDoesNotSetItAside() {
        QueueScenarios.UnreadableBodySpool spool = new QueueScenarios.UnreadableBodySpool();
        QueuedMessage m = pastItsLifetimeAfterARestart(spool);

        spool.unreadable = null; // the store recovers
        run(Duration.ofMinutes(1));
        assertThat(spool.message(m.id())).as("delivered at the next try").isEmpty();
        assertThat(remote.recipients()).containsExactly("carol@remote.example");
        assertThat(setAsideEvents()).isEmpty();
    }

    @Test
    void aResumedMessageIsSetAsideAgainWhileTheCauseRemainsAndDeliveredOnceItIsFixed() {
        QueueScenarios.UnreadableBodySpool spool = new QueueScenarios.UnreadableBodySpool();
        QueuedMessage m = setAsideAfterARestart(spool);

        assertThat(runner.resume(m.id())).isEqualTo(QueueAdmin.Change.DONE);
        run(Duration.ofMinutes(10));
        assertThat(state(spool, m)).as("still failing: set aside again").isEqualTo(State.SUSPENDED);
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
        QueuedMessage m = pastItsLifetimeAfterARestart(spool);

        run(Duration.ofMinutes(30));
        assertThat(state(spool, m)).isEqualTo(State.QUEUED);
        assertThat(runner.scheduledCount()).as("still tried, with growing delays").isEqualTo(1);
        assertThat(attempts.get()).isBetween(UnexpectedFailures.IN_A_ROW, 6);

        refuseSuspension[0] = false;
        run(Duration.ofHours(1));
        assertThat(state(spool, m)).as("set aside once the store takes it")
                .isEqualTo(State.SUSPENDED);
    }
}
