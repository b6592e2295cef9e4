package sluice.core.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * New mail handed to the runner by the receiver goes to a destination that is stalled: while it
 * waits for the destination's slot it holds no body (the spool has it, and it is read again once
 * admitted), so mail piling up behind a stalled destination does not pile up in memory.
 */
class NewMailWaitingForADestinationTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MemorySpool spool = new MemorySpool();
    private final CountDownLatch open = new CountDownLatch(1);
    private final QueueScenarios.ThreadPerTask executor = new QueueScenarios.ThreadPerTask();
    private final RecordingRemoteDelivery remote = QueueScenarios.acceptingOnceOpen(open, () -> {});
    private final QueueRunner runner = QueueScenarios.oneAtATimePerDestination(spool, QueueScenarios.internetOnly(),
            new MailboxDelivery(new MemoryMailboxStore()), remote, new MutableClock(T0), executor);

    @AfterEach
    void tearDown() throws InterruptedException {
        open.countDown();
        executor.joinAll();
    }

    /** Queues a message the way the receiver does, and returns a weak reference to the body it handed over. */
    private WeakReference<byte[]> receive(String rcpt) {
        QueuedMessage m = QueueScenarios.message(T0);
        QueuedMessage stored = m.withContent(m.content().clone());
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, T0, rcpt);
        spool.enqueue(stored, rs);
        runner.submit(m, rs);
        return new WeakReference<>(m.content());
    }

    @Test
    void aMessageWaitingForItsDestinationHoldsNoBody() throws InterruptedException {
        receive("first@stalled.example");
        executor.awaitParked(0); // holds stalled.example's one slot
        WeakReference<byte[]> body = receive("second@stalled.example");
        executor.awaitParked(1);

        for (int i = 0; i < 20 && body.get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(body.get()).as("the body handed over by the receiver, while its message waits").isNull();

        open.countDown();
        executor.joinAll();
        assertThat(spool.pending()).as("both delivered once the destination answers, the second read from the spool")
                .isEmpty();
        assertThat(remote.recipients()).containsExactly("first@stalled.example", "second@stalled.example");
    }
}
