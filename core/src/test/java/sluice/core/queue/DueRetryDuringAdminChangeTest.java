package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.testing.ForwardingSpool;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ticker runs while an administrator's change holds a message. A due retry it finds held must
 * not be lost (a resume with nothing to resume reschedules nothing): it runs a moment later, and the
 * message is retried and eventually expires as usual. And a retry-now must not write its view of the
 * recipients over an attempt that finished meanwhile.
 */
class DueRetryDuringAdminChangeTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final TickingSpool spool = new TickingSpool();
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(r -> new Outcome.Deferred("421 4.4.0 try later", "host down"));
    private final QueueRunner runner = QueueScenarios.runner(spool, remote, clock, Runnable::run, 10);

    private QueueId submit(String... rcpts) {
        QueuedMessage m = QueueScenarios.message(clock.instant());
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, clock.instant(), rcpts);
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return m.id();
    }

    @Test
    void aRetryThatFallsDueWhileAResumeHoldsTheMessageIsRunALittleLater() {
        QueueId id = submit("carol@remote.example");
        assertThat(remote.recipients()).hasSize(1);

        clock.advance(Duration.ofMinutes(1)); // the retry is due
        spool.tickOnNextRead = () -> runner.runDue(); // the ticker runs while resume holds the message
        assertThat(runner.resume(id)).isEqualTo(QueueAdmin.Change.NOTHING_TO_CHANGE);
        assertThat(remote.recipients()).as("not attempted while held").hasSize(1);
        assertThat(runner.scheduledCount()).as("the due retry is still scheduled").isEqualTo(1);

        clock.advance(Duration.ofSeconds(30));
        runner.runDue();
        assertThat(remote.recipients()).as("retried a moment later").hasSize(2);

        for (int i = 0; i < 30 && spool.message(id).isPresent(); i++) {
            clock.advance(Duration.ofHours(1));
            runner.runDue();
        }
        assertThat(spool.message(id)).as("and expires as usual").isEmpty();
    }

    @Test
    void retryNowWhileAnAttemptFinishesDoesNotBringADeliveredRecipientBack() {
        QueueId id = submit("carol@a.example", "dave@b.example");
        remote.answer(r -> r.address().domain().name().equals("a.example")
                ? new Outcome.Delivered("250 2.0.0 ok", "delivered", "mx.a.example", null)
                : new Outcome.Deferred("421 4.4.0 try later", "host down"));

        clock.advance(Duration.ofMinutes(1)); // the retry is due
        spool.tickOnNextRead = () -> runner.runDue(); // the ticker's attempt runs while retryNow reads the recipients
        assertThat(runner.retryNow(id)).isTrue();
        runner.runDue();

        assertThat(remote.recipients().stream().filter("carol@a.example"::equals))
                .as("one deferred attempt, then delivered once").hasSize(2);
        assertThat(spool.recipients(id).getFirst().state()).isEqualTo(QueuedRecipient.State.DELIVERED);
    }

    /** Runs {@link #tickOnNextRead} once, just after the next read of a message's recipients (before the caller sees it). */
    private static final class TickingSpool extends ForwardingSpool {
        Runnable tickOnNextRead;

        @Override
        public List<QueuedRecipient> recipients(QueueId id) {
            List<QueuedRecipient> read = super.recipients(id);
            Runnable tick = tickOnNextRead;
            tickOnNextRead = null;
            if (tick != null) tick.run();
            return read;
        }
    }
}
