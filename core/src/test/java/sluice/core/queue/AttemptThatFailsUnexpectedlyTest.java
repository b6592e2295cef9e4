package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attempt fails with an unexpected exception (a bug, or an I/O error reading the body), so its
 * result is unknown and some recipients may have been reached. It is tried again with the usual
 * growing delays, not every minute: each try may send another copy.
 */
class AttemptThatFailsUnexpectedlyTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void anAttemptThatKeepsThrowingIsRetriedWithGrowingDelaysAndRecoversOnceItWorks() {
        MutableClock clock = new MutableClock(T0);
        MemorySpool spool = new MemorySpool();
        AtomicInteger calls = new AtomicInteger();
        boolean[] broken = {true};
        RemoteDelivery buggy = new RemoteDelivery() {
            @Override
            public List<Outcome> deliver(Route.ToSmartHost route, QueuedMessage message, List<QueuedRecipient> rs) {
                throw new AssertionError("no smart hosts here");
            }

            @Override
            public List<Outcome> deliver(Route.ToMx route, QueuedMessage message, List<QueuedRecipient> rs) {
                calls.incrementAndGet();
                if (broken[0]) throw new IllegalStateException("a bug");
                return List.of(new Outcome.Delivered("250 2.0.0 ok", "delivered", "mx.remote.example", null));
            }
        };
        QueueRunner runner = QueueScenarios.runner(spool, buggy, clock, Runnable::run, 10);
        QueuedMessage m = QueueScenarios.message(T0);
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, T0, "carol@remote.example");
        spool.enqueue(m, rs);
        runner.submit(m, rs);

        for (int minute = 0; minute < 120; minute++) {
            clock.advance(Duration.ofMinutes(1));
            runner.runDue();
        }
        assertThat(calls.get()).as("tries in two hours: at 0, 1, 3, 7, 15, 31, 63 and 123 minutes, not 121")
                .isEqualTo(7);

        broken[0] = false;
        clock.advance(Duration.ofMinutes(60));
        runner.runDue();
        assertThat(spool.message(m.id())).as("delivered once it works").isEmpty();
        assertThat(runner.scheduledCount()).isZero();
    }
}
