package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.testing.ForwardingSpool;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An attempt ends in an Error (out of memory, a linkage error in a store driver). It goes where
 * Errors go, but the message is not left in flight for ever: it is let go and tried again later,
 * so it is neither stuck (never retried nor expired) nor busy for every admin change.
 */
class ErrorDuringAttemptTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(QueueScenarios::accepted);
    private QueueRunner runner;

    /** Submits a message to carol@remote.example on a direct executor, where the attempt's Error reaches the caller. */
    private QueuedMessage submitEndingIn(Spool spool, Class<? extends Error> error) {
        runner = QueueScenarios.runner(spool, remote, clock, Runnable::run, 10);
        QueuedMessage m = QueueScenarios.message(T0);
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, T0, "carol@remote.example");
        spool.enqueue(m, rs);
        assertThatThrownBy(() -> runner.submit(m, rs)).isInstanceOf(error);
        return m;
    }

    private static Outcome outOfMemory(QueuedRecipient r) {
        throw new OutOfMemoryError("Java heap space (a test's)");
    }

    @Test
    void anAttemptEndingInAnErrorLetsGoOfTheMessageAndIsTriedAgain() {
        MemorySpool spool = new MemorySpool();
        remote.answer(ErrorDuringAttemptTest::outOfMemory);
        QueuedMessage m = submitEndingIn(spool, OutOfMemoryError.class);

        assertThat(runner.inFlightCount()).as("let go").isZero();
        assertThat(runner.scheduledCount()).as("tried again later").isEqualTo(1);
        assertThat(runner.suspend(m.id())).as("admin changes are not refused as busy").isEqualTo(QueueAdmin.Change.DONE);

        remote.answer(QueueScenarios::accepted);
        assertThat(runner.resume(m.id())).isEqualTo(QueueAdmin.Change.DONE);
        assertThat(spool.message(m.id())).as("delivered once the error is gone").isEmpty();
    }

    @Test
    void anErrorIsRetriedOnItsOwnWithoutAnAdministrator() {
        MemorySpool spool = new MemorySpool();
        remote.answer(r -> {
            throw new StackOverflowError("a test's");
        });
        QueuedMessage m = submitEndingIn(spool, StackOverflowError.class);

        remote.answer(QueueScenarios::accepted);
        clock.advance(Duration.ofMinutes(1));
        runner.runDue();
        assertThat(spool.message(m.id())).as("delivered at the retry").isEmpty();
    }

    @Test
    void anErrorWritingTheResultLetsGoOfTheMessageToo() {
        boolean[] broken = {true};
        ForwardingSpool spool = new ForwardingSpool() {
            @Override
            public void update(Collection<QueuedRecipient> recipients, Collection<Generated> generated) {
                if (broken[0]) outOfMemory(null);
                super.update(recipients, generated);
            }
        };
        QueuedMessage m = submitEndingIn(spool, OutOfMemoryError.class);
        assertThat(runner.inFlightCount()).isZero();

        broken[0] = false;
        clock.advance(Duration.ofMinutes(1));
        runner.runDue();
        assertThat(spool.message(m.id())).as("attempted again and recorded").isEmpty();
    }
}
