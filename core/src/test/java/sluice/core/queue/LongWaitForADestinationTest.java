package sluice.core.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message waits half an hour for its destination's only slot, then the destination answers 421.
 * The deferral counts from the answer, not from when the attempt began: its next attempt is a
 * minute after the answer, not a moment already past (which would retry a busy destination at once,
 * over and over).
 */
class LongWaitForADestinationTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final CountDownLatch open = new CountDownLatch(1);
    private final QueueScenarios.ThreadPerTask executor = new QueueScenarios.ThreadPerTask();
    private final RecordingRemoteDelivery remote = QueueScenarios.holdingFirstUntilOpen(open,
            r -> new Outcome.Deferred("421 4.7.0 Try again later", "busy"));
    private final QueueRunner runner = QueueScenarios.oneAtATimePerDestination(spool, QueueScenarios.internetOnly(),
            new MailboxDelivery(new MemoryMailboxStore()), remote, clock, executor);

    @AfterEach
    void tearDown() throws InterruptedException {
        open.countDown();
        executor.joinAll();
    }

    private QueuedMessage submit(String rcpt) {
        QueuedMessage m = QueueScenarios.message(clock.instant());
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, clock.instant(), rcpt);
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return m;
    }

    @Test
    void aDeferralAfterALongWaitForTheDestinationIsScheduledFromTheAnswer() throws InterruptedException {
        submit("first@busy.example");
        executor.awaitParked(0); // holds busy.example's one slot
        QueuedMessage m = submit("dave@busy.example");
        executor.awaitParked(1); // waits for it

        clock.advance(Duration.ofMinutes(30));
        open.countDown();
        executor.joinAll();

        QueuedRecipient dave = spool.recipients(m.id()).getFirst();
        assertThat(dave.state()).isEqualTo(QueuedRecipient.State.QUEUED);
        assertThat(dave.attempts()).isEqualTo(1);
        assertThat(dave.nextAttemptAt()).as("a minute after the 421, which came 30 minutes after the attempt began")
                .isEqualTo(T0.plus(Duration.ofMinutes(31)));
        assertThat(runner.runDue()).as("nothing due at once").isZero();
    }
}
