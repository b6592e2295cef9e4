package sluice.core.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.testing.ForwardingSpool;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node restarts with a large backlog of deferred mail, all of it due. Every message may wait for a
 * delivery slot, but only the messages being delivered have their bodies read: the backlog does not
 * all come into memory at once.
 */
class BacklogAtStartTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final int BACKLOG = 50;
    private static final int NODE_SLOTS = 2;

    private final MutableClock clock = new MutableClock(T0);
    private final CountingSpool spool = new CountingSpool();
    private final CountDownLatch answer = new CountDownLatch(1);
    private final AtomicInteger delivering = new AtomicInteger();
    private final RecordingRemoteDelivery remote = QueueScenarios.acceptingOnceOpen(answer, delivering::incrementAndGet);
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private QueueRunner runner;

    @AfterEach
    void tearDown() throws InterruptedException {
        answer.countDown();
        if (runner != null) runner.close();
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void onlyTheMessagesBeingDeliveredHaveTheirBodiesRead() throws InterruptedException {
        for (int i = 0; i < BACKLOG; i++) { // deferred before the restart, due now
            QueuedMessage m = QueueScenarios.message(T0.minusSeconds(600));
            spool.enqueue(m, QueueScenarios.recipients(m, T0, "carol@d" + i + ".example"));
        }
        runner = QueueScenarios.runner(spool, remote, clock, executor, NODE_SLOTS);

        runner.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (delivering.get() < NODE_SLOTS && System.nanoTime() < deadline) Thread.sleep(10);
        Thread.sleep(300); // the rest of the backlog starts and waits for a slot meanwhile

        assertThat(delivering.get()).isEqualTo(NODE_SLOTS);
        assertThat(runner.inFlightCount()).as("the whole backlog waits for a slot").isEqualTo(BACKLOG);
        assertThat(spool.bodiesRead.get()).as("bodies read while %d slots deliver", NODE_SLOTS).isEqualTo(NODE_SLOTS);

        answer.countDown();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!spool.pending().isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(spool.pending()).as("the backlog drains").isEmpty();
    }

    /** Counts reads of message bodies. */
    private static final class CountingSpool extends ForwardingSpool {
        final AtomicInteger bodiesRead = new AtomicInteger();

        @Override
        public Optional<QueuedMessage> message(QueueId id) {
            bodiesRead.incrementAndGet();
            return super.message(id);
        }
    }
}
