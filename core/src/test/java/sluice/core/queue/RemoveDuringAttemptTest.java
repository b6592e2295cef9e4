package sluice.core.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administrator removes a message while it is being delivered. Like suspend and resume, the
 * removal is refused (BUSY, try again) rather than telling the sender "removed by an administrator"
 * while the delivery in progress delivers it, or bounces it a second time. (An attempt only waiting
 * for a slot is stopped instead: AdminChangeWhileWaitingForASlotTest.)
 */
class RemoveDuringAttemptTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final CountDownLatch inAttempt = new CountDownLatch(1);
    private final CountDownLatch answer = new CountDownLatch(1);
    private final RecordingRemoteDelivery remote = QueueScenarios.acceptingOnceOpen(answer, inAttempt::countDown);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final QueueRunner runner = QueueScenarios.runner(spool, remote, clock, executor, 10);

    @AfterEach
    void tearDown() throws InterruptedException {
        answer.countDown();
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private QueueId submit() {
        QueuedMessage m = QueueScenarios.message(clock.instant());
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, clock.instant(), "carol@remote.example");
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return m.id();
    }

    @Test
    void removingAMessageWhileItIsBeingDeliveredIsRefusedAndTheSenderGetsNoReport() throws InterruptedException {
        QueueId id = submit();
        assertThat(inAttempt.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(runner.remove(id, true)).isEqualTo(QueueAdmin.Change.BUSY);
        assertThat(runner.remove(id, false)).isEqualTo(QueueAdmin.Change.BUSY);
        assertThat(spool.message(id)).as("still queued: the attempt decides").isPresent();

        answer.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (runner.inFlightCount() > 0 && System.nanoTime() < deadline) Thread.sleep(10);

        assertThat(spool.message(id)).as("delivered").isEmpty();
        assertThat(spool.history().stream().filter(QueuedMessage::isBounce)).as("no 'removed' report").isEmpty();
        assertThat(runner.remove(id, true)).isEqualTo(QueueAdmin.Change.NOT_QUEUED);
    }
}
