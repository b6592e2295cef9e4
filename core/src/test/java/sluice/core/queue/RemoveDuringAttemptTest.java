package sluice.core.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administrator removes a message while an attempt to deliver it is running. Like suspend and
 * resume, the removal is refused (BUSY, try again) rather than telling the sender "removed by an
 * administrator" while the running attempt delivers it, or bounces it a second time.
 */
class RemoveDuringAttemptTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final CountDownLatch inAttempt = new CountDownLatch(1);
    private final CountDownLatch answer = new CountDownLatch(1);
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(r -> {
        inAttempt.countDown();
        try {
            answer.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Outcome.Delivered("250 2.0.0 ok", "delivered", "mx.remote.example", null);
    });
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private QueueRunner runner;

    @BeforeEach
    void setUp() {
        Router router = new Router(new MemoryDirectory(), new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        runner = new QueueRunner(spool, router, new MailboxDelivery(new MemoryMailboxStore()), remote,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), new MemoryTrace(), clock, executor,
                RetrySchedule.DEFAULT, 10, "mx.sluice.test");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        answer.countDown();
        executor.shutdown();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private QueueId submit() {
        QueueId id = QueueId.next(clock.instant());
        QueuedMessage m = new QueuedMessage(id, NetworkMessageId.random(), clock.instant(), "bob@example.net", null, null,
                null, "192.0.2.7", "client.example.net", "Subject: hi\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII));
        List<QueuedRecipient> rs = List.of(new QueuedRecipient(id, 0, Address.parse("carol@remote.example"), Set.of(),
                null, QueuedRecipient.State.QUEUED, 0, clock.instant(), null, false));
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return id;
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
