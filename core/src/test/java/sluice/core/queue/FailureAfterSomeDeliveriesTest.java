package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.mail.QueuedRecipient.State;
import sluice.core.route.Route;
import sluice.core.testing.MemoryMailboxStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Something fails unexpectedly after part of a message was delivered: reading its body again after
 * it waited for a slot, or a later 100-recipient transaction. What was delivered is recorded, and
 * only the recipients of the failed part are tried again (an unknown failure is temporary): the
 * others get no second copy.
 */
class FailureAfterSomeDeliveriesTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);

    /**
     * carol@fine.example is answered at once ({@code answer}); dave@busy.example waits for busy.example's one slot,
     * which an earlier message holds until {@code open}, and meanwhile the message's body is let go. Then the body
     * becomes unreadable and the slot is freed. Returns the message.
     */
    private QueuedMessage carolAnsweredDaveWaitsThenTheBodyIsLost(QueueScenarios.UnreadableBodySpool spool, RecordingRemoteDelivery remote,
                                                                  CountDownLatch open, QueueScenarios.ThreadPerTask executor,
                                                                  QueueRunner runner) throws InterruptedException {
        QueuedMessage first = QueueScenarios.message(T0);
        List<QueuedRecipient> firstRs = QueueScenarios.recipients(first, T0, "first@busy.example");
        spool.enqueue(first, firstRs);
        runner.submit(first, firstRs);
        executor.awaitParked(0); // holds busy.example's one slot

        QueuedMessage m = QueueScenarios.message(T0);
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, T0, "carol@fine.example", "dave@busy.example");
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        executor.awaitParked(1); // carol answered; dave waits, his message's body let go meanwhile
        spool.unreadable = m.id(); // from now on neither dave's delivery nor a report can read it
        open.countDown();
        executor.joinAll();
        return m;
    }

    private QueueRunner runner(QueueScenarios.UnreadableBodySpool spool, RecordingRemoteDelivery remote, QueueScenarios.ThreadPerTask executor) {
        return QueueScenarios.oneAtATimePerDestination(spool, QueueScenarios.internetOnly(),
                new MailboxDelivery(new MemoryMailboxStore()), remote, clock, executor);
    }

    @Test
    void aBodyThatCannotBeReadAgainAfterWaitingDefersOnlyTheRecipientsStillWaiting() throws InterruptedException {
        QueueScenarios.UnreadableBodySpool spool = new QueueScenarios.UnreadableBodySpool();
        CountDownLatch open = new CountDownLatch(1);
        RecordingRemoteDelivery remote = QueueScenarios.holdingFirstUntilOpen(open, QueueScenarios::accepted);
        QueueScenarios.ThreadPerTask executor = new QueueScenarios.ThreadPerTask();
        QueueRunner runner = runner(spool, remote, executor);

        QueuedMessage m = carolAnsweredDaveWaitsThenTheBodyIsLost(spool, remote, open, executor, runner);

        List<QueuedRecipient> after = spool.recipients(m.id());
        assertThat(after.get(0).state()).as("carol's delivery is recorded").isEqualTo(State.DELIVERED);
        assertThat(after.get(1).state()).isEqualTo(State.QUEUED);
        assertThat(after.get(1).attempts()).as("dave's failure counts as a deferral").isEqualTo(1);
        assertThat(runner.inFlightCount()).isZero();

        spool.unreadable = null;
        clock.advance(Duration.ofHours(2));
        runner.runDue();
        executor.joinAll();
        assertThat(spool.message(m.id())).as("dave delivered on the retry").isEmpty();
        assertThat(remote.recipients()).as("one copy each")
                .containsExactlyInAnyOrder("first@busy.example", "carol@fine.example", "dave@busy.example");
    }

    @Test
    void aBodyThatCannotBeReadForTheReportStillRecordsWhatWasDoneAndSendsTheReport() throws InterruptedException {
        QueueScenarios.UnreadableBodySpool spool = new QueueScenarios.UnreadableBodySpool();
        CountDownLatch open = new CountDownLatch(1);
        RecordingRemoteDelivery remote = QueueScenarios.holdingFirstUntilOpen(open, r -> r.address().localPart().equals("carol")
                ? new Outcome.Bounced("550 5.1.1 no such user", "mx said no") : QueueScenarios.accepted(r));
        QueueScenarios.ThreadPerTask executor = new QueueScenarios.ThreadPerTask();
        QueueRunner runner = runner(spool, remote, executor);

        QueuedMessage m = carolAnsweredDaveWaitsThenTheBodyIsLost(spool, remote, open, executor, runner);

        List<QueuedRecipient> after = spool.recipients(m.id());
        assertThat(after.get(0).state()).as("carol's refusal is recorded").isEqualTo(State.FAILED);
        assertThat(after.get(1).state()).isEqualTo(State.QUEUED);
        assertThat(runner.inFlightCount()).isZero();
        assertThat(remote.recipients()).as("the report went to the sender, and carol was tried once")
                .contains("bob@example.net").containsOnlyOnce("carol@fine.example");
        List<QueuedMessage> reports = spool.history().stream().filter(QueuedMessage::isBounce).toList();
        assertThat(reports).hasSize(1);
        String report = new String(reports.getFirst().content(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(report).contains("carol@fine.example", "550 5.1.1 no such user")
                .as("the original could not be read, so none of it is returned").doesNotContain("Subject: hi");
    }

    @Test
    void aFailureInTheSecondTransactionKeepsTheFirstHundredDelivered() {
        MemorySpool spool = new MemorySpool();
        AtomicInteger transactions = new AtomicInteger();
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        RemoteDelivery failsSecond = new RemoteDelivery() {
            @Override
            public List<Outcome> deliver(Route.ToSmartHost route, QueuedMessage message, List<QueuedRecipient> rs) {
                throw new AssertionError("no smart hosts here");
            }

            @Override
            public List<Outcome> deliver(Route.ToMx route, QueuedMessage message, List<QueuedRecipient> rs) {
                if (transactions.incrementAndGet() == 2) throw new IllegalStateException("a bug");
                rs.forEach(r -> delivered.add(r.address().toString()));
                return Collections.nCopies(rs.size(), new Outcome.Delivered("250 2.0.0 ok", "delivered", "mx.example", null));
            }
        };
        QueueRunner runner = QueueScenarios.runner(spool, failsSecond, clock, Runnable::run, 10);
        QueuedMessage m = QueueScenarios.message(T0);
        String[] addresses = new String[150];
        for (int i = 0; i < addresses.length; i++) addresses[i] = "user" + i + "@big.example";
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, T0, addresses);
        spool.enqueue(m, rs);

        runner.submit(m, rs);

        List<QueuedRecipient> after = spool.recipients(m.id());
        assertThat(after.stream().filter(r -> r.state() == State.DELIVERED)).as("the first transaction's").hasSize(100);
        assertThat(after.stream().filter(r -> r.state() == State.QUEUED && r.attempts() == 1)).hasSize(50);

        clock.advance(Duration.ofMinutes(1));
        runner.runDue();
        assertThat(spool.message(m.id())).as("the other 50 delivered on the retry").isEmpty();
        assertThat(delivered).as("nobody twice").doesNotHaveDuplicates().hasSize(150);
    }
}
