package sluice.core.queue;

import org.junit.jupiter.api.AfterEach;
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

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(r -> {
        delivering.incrementAndGet();
        try {
            answer.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Outcome.Delivered("250 2.0.0 ok", "delivered", "mx.remote.example", null);
    });
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
        for (int i = 0; i < BACKLOG; i++) {
            QueueId id = QueueId.next(clock.instant());
            QueuedMessage m = new QueuedMessage(id, NetworkMessageId.random(), T0.minusSeconds(600), "bob@example.net",
                    null, null, null, "192.0.2.7", "client.example.net",
                    "Subject: hi\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII));
            spool.enqueue(m, List.of(new QueuedRecipient(id, 0, Address.parse("carol@d" + i + ".example"), Set.of(), null,
                    QueuedRecipient.State.QUEUED, 1, T0, "421 4.4.0 try later", false)));
        }
        Router router = new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        runner = new QueueRunner(spool, router, new MailboxDelivery(new MemoryMailboxStore()), remote,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), new MemoryTrace(), clock, executor,
                RetrySchedule.DEFAULT, NODE_SLOTS, "mx.sluice.test");

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
    private static final class CountingSpool implements Spool {
        private final MemorySpool delegate = new MemorySpool();
        final AtomicInteger bodiesRead = new AtomicInteger();

        @Override
        public void enqueue(QueuedMessage message, List<QueuedRecipient> recipients) {
            delegate.enqueue(message, recipients);
        }

        @Override
        public void update(Collection<QueuedRecipient> recipients, Collection<Generated> generated) {
            delegate.update(recipients, generated);
        }

        @Override
        public Optional<QueuedMessage> message(QueueId id) {
            bodiesRead.incrementAndGet();
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
