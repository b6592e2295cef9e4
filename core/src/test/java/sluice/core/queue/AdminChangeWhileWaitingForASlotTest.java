package sluice.core.queue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.mail.QueuedRecipient.State;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message is half delivered and waits, maybe for hours, for a stalled destination's slot. An
 * administrator removes or suspends it meanwhile: the attempt stops waiting, records what it
 * delivered, and the change applies at once, rather than answering "busy" for as long as it waits.
 */
class AdminChangeWhileWaitingForASlotTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MemorySpool spool = new MemorySpool();
    private final CountDownLatch open = new CountDownLatch(1);
    private final QueueScenarios.ThreadPerTask executor = new QueueScenarios.ThreadPerTask();
    private final RecordingRemoteDelivery remote = QueueScenarios.holdingFirstUntilOpen(open,
            QueueScenarios::accepted);
    private final QueueRunner runner = QueueScenarios.oneAtATimePerDestination(spool, QueueScenarios.internetOnly(),
            new MailboxDelivery(new MemoryMailboxStore()), remote, new MutableClock(T0), executor);

    @AfterEach
    void tearDown() throws InterruptedException {
        open.countDown();
        executor.joinAll();
    }

    /** carol is delivered at once; dave waits behind first@stalled.example for the destination's one slot. */
    private QueuedMessage halfDelivered() throws InterruptedException {
        QueuedMessage first = QueueScenarios.message(T0);
        List<QueuedRecipient> firstRs = QueueScenarios.recipients(first, T0, "first@stalled.example");
        spool.enqueue(first, firstRs);
        runner.submit(first, firstRs);
        executor.awaitParked(0);
        QueuedMessage m = QueueScenarios.message(T0);
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, T0, "carol@fine.example", "dave@stalled.example");
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        executor.awaitParked(1);
        return m;
    }

    @Test
    void removingAMessageWaitingForASlotStopsTheWaitAndReportsOnlyWhatWasNotDelivered() throws InterruptedException {
        QueuedMessage m = halfDelivered();

        assertThat(runner.remove(m.id(), true)).isEqualTo(QueueAdmin.Change.DONE);

        assertThat(spool.message(m.id())).isEmpty();
        List<QueuedMessage> reports = spool.history().stream().filter(QueuedMessage::isBounce).toList();
        assertThat(reports).hasSize(1);
        String report = new String(reports.getFirst().content(), StandardCharsets.UTF_8);
        assertThat(report).contains("dave@stalled.example").doesNotContain("carol@fine.example");
        open.countDown();
        executor.joinAll();
        assertThat(remote.recipients()).as("dave never attempted, carol once, and the report to the sender")
                .containsExactlyInAnyOrder("first@stalled.example", "carol@fine.example", "bob@example.net");
    }

    @Test
    void suspendingAMessageWaitingForASlotStopsTheWaitAndKeepsCarolDelivered() throws InterruptedException {
        QueuedMessage m = halfDelivered();

        assertThat(runner.suspend(m.id())).isEqualTo(QueueAdmin.Change.DONE);

        List<QueuedRecipient> after = spool.recipients(m.id());
        assertThat(after.get(0).state()).isEqualTo(State.DELIVERED);
        assertThat(after.get(1).state()).isEqualTo(State.SUSPENDED);
        open.countDown();
        executor.joinAll();
        assertThat(remote.recipients()).containsExactly("first@stalled.example", "carol@fine.example");
        assertThat(runner.inFlightCount()).isZero();
    }
}
