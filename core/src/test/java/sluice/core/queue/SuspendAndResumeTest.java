package sluice.core.queue;

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
import sluice.core.mail.QueuedRecipient.State;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.RecordingRemoteDelivery;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administrator suspends a deferred message: it is neither attempted nor expired however long it
 * waits; resumed, it is due at once. Driven by a hand-moved clock on a direct executor.
 */
class SuspendAndResumeTest {

    private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(r -> new Outcome.Deferred("421 4.4.0 try later", "host down"));
    private QueueRunner runner;

    @BeforeEach
    void setUp() {
        MemoryDirectory directory = new MemoryDirectory();
        Router router = new Router(directory, new OutboundSelector(new MemoryConnectors()), StaticRoutes.none());
        runner = new QueueRunner(spool, router, new MailboxDelivery(new MemoryMailboxStore()), remote,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), new MemoryTrace(), clock, Runnable::run,
                RetrySchedule.DEFAULT, 10, "mx.sluice.test");
    }

    private QueueId submit() {
        QueueId id = QueueId.next(clock.instant());
        QueuedMessage m = new QueuedMessage(id, NetworkMessageId.random(), clock.instant(), "bob@example.net", null, null,
                null, "192.0.2.7", "client.example.net", "Subject: hi\r\n\r\nHello\r\n".getBytes(StandardCharsets.US_ASCII),
                QueuedMessage.Origin.INTERNET, false, null, false);
        List<QueuedRecipient> rs = List.of(new QueuedRecipient(id, 0, Address.parse("carol@remote.example"), Set.of(), null,
                State.QUEUED, 0, clock.instant(), null, false));
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return id;
    }

    private QueuedRecipient recipient(QueueId id) {
        return spool.recipients(id).getFirst();
    }

    @Test
    void aSuspendedMessageIsNeitherAttemptedNorExpiredAndResumingMakesItDueNow() {
        QueueId id = submit();
        assertThat(remote.recipients()).hasSize(1);

        assertThat(runner.suspend(id)).isEqualTo(QueueAdmin.Change.DONE);
        assertThat(recipient(id).state()).isEqualTo(State.SUSPENDED);
        for (int i = 0; i < 30; i++) { // well past the 24-hour lifetime
            clock.advance(Duration.ofHours(1));
            assertThat(runner.runDue()).isZero();
        }
        assertThat(remote.recipients()).as("no attempt while suspended").hasSize(1);
        assertThat(spool.message(id)).as("not expired while suspended").isPresent();
        assertThat(recipient(id).state()).isEqualTo(State.SUSPENDED);
        assertThat(runner.suspend(id)).isEqualTo(QueueAdmin.Change.NOTHING_TO_CHANGE);

        remote.answer(r -> new Outcome.Delivered("250 2.0.0 ok", "delivered", "remote.example", null));
        assertThat(runner.resume(id)).isEqualTo(QueueAdmin.Change.DONE);

        assertThat(remote.recipients()).as("attempted at once on resume").hasSize(2);
        assertThat(spool.message(id)).as("delivered, so it leaves the queue").isEmpty();
        assertThat(runner.resume(id)).isEqualTo(QueueAdmin.Change.NOT_QUEUED);
    }

    @Test
    void resumedRecipientsAreDueAtTheClocksNowAndSuspendingTwiceOrResumingNothingChangesNothing() {
        QueueId id = submit();
        assertThat(runner.resume(id)).as("nothing suspended").isEqualTo(QueueAdmin.Change.NOTHING_TO_CHANGE);
        assertThat(runner.suspend(id)).isEqualTo(QueueAdmin.Change.DONE);
        clock.advance(Duration.ofMinutes(90));

        assertThat(runner.resume(id)).isEqualTo(QueueAdmin.Change.DONE);

        QueuedRecipient r = recipient(id);
        assertThat(remote.recipients()).hasSize(2);
        assertThat(r.state()).isEqualTo(State.QUEUED);
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(r.nextAttemptAt()).as("deferred again from the resume, not from before").isAfter(T0.plus(Duration.ofMinutes(90)));
        assertThat(runner.suspend(QueueId.next(clock.instant()))).isEqualTo(QueueAdmin.Change.NOT_QUEUED);
    }

    @Test
    void removingASuspendedMessageWithAnNdrFailsItsRecipients() {
        QueueId id = submit();
        runner.suspend(id);

        assertThat(runner.remove(id, true)).isEqualTo(QueueAdmin.Change.DONE);

        assertThat(spool.message(id)).isEmpty();
        assertThat(spool.history().stream().filter(QueuedMessage::isBounce)).hasSize(1);
    }
}
