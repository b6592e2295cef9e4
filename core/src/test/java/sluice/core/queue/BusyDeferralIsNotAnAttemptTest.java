package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.mail.Address;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;
import sluice.core.testing.RecordingRemoteDelivery;
import sluice.core.trace.TraceEvent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deferral because the destination is busy with our own other deliveries (4.4.5, nothing was tried) is no
 * attempt: it neither counts nor grows the attempts' backoff (busy deferrals back off on their own, see
 * {@link BusyDeferralBackoffTest}), the recipient keeps the reply of its last real attempt, and delay notices and
 * NDRs never quote our 4.4.5 as the server's word. The trace shows the first DEFER of a busy streak with its
 * reason, and the message still expires at its lifetime.
 * Driven by a hand-moved clock on a direct executor.
 */
class BusyDeferralIsNotAnAttemptTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Outcome REMOTE_421 = new Outcome.Deferred("421 4.7.0 Try again later", "mx.remote.example said so");
    private static final Outcome BUSY = new Outcome.Deferred("451 4.4.5 Too many connections to mx.remote.example already; will retry",
            "no connection to mx.remote.example came free in time", true);

    private final MutableClock clock = new MutableClock(T0);
    private final MemorySpool spool = new MemorySpool();
    private final MemoryTrace trace = new MemoryTrace();
    private final RecordingRemoteDelivery remote = new RecordingRemoteDelivery(r -> REMOTE_421);
    private final QueueRunner runner = QueueScenarios.runner(spool, remote, trace, clock, Runnable::run, 10);

    private QueuedMessage submit() {
        QueuedMessage m = QueueScenarios.message(clock.instant());
        List<QueuedRecipient> rs = QueueScenarios.recipients(m, clock.instant(), "carol@remote.example");
        spool.enqueue(m, rs);
        runner.submit(m, rs);
        return m;
    }

    private QueuedRecipient carol(QueuedMessage m) {
        return spool.recipients(m.id()).getFirst();
    }

    /** Moves the clock to the recipient's next attempt and runs it. */
    private void nextAttempt(QueuedMessage m) {
        clock.advance(Duration.between(clock.instant(), carol(m).nextAttemptAt()));
        assertThat(runner.runDue()).isEqualTo(1);
    }

    private List<String> reports(String kind) {
        return spool.history().stream().filter(QueuedMessage::isBounce)
                .map(b -> new String(b.content(), StandardCharsets.UTF_8)).filter(t -> t.contains("Subject: " + kind)).toList();
    }

    @Test
    void aBusyDeferralNeitherCountsNorGrowsTheBackoffNorReplacesTheLastReply() {
        QueuedMessage m = submit(); // 421: attempt 1, next in a minute
        assertThat(carol(m).attempts()).isEqualTo(1);

        remote.answer(r -> BUSY);
        for (int i = 0; i < 5; i++) {
            Instant before = clock.instant();
            nextAttempt(m);
            QueuedRecipient c = carol(m);
            assertThat(c.attempts()).isEqualTo(1);
            assertThat(c.lastReply()).isEqualTo("421 4.7.0 Try again later");
            Duration busyDelay = Duration.ofMinutes(Math.min(1L << i, 10));
            assertThat(c.nextAttemptAt()).as("the busy streak's own backoff, from the first delay")
                    .isBetween(clock.instant().plus(busyDelay.multipliedBy(3).dividedBy(4)), clock.instant().plus(busyDelay));
            assertThat(clock.instant()).isAfter(before);
        }
        assertThat(trace.all()).filteredOn(e -> e.type() == TraceEvent.Type.DEFER).hasSize(2)
                .filteredOn(e -> e.remoteReply().startsWith("451 4.4.5")).hasSize(1)
                .allSatisfy(e -> assertThat(e.detail()).contains("no connection to mx.remote.example came free in time")
                        .contains("not counted as an attempt"));

        remote.answer(r -> REMOTE_421);
        nextAttempt(m);
        assertThat(carol(m).attempts()).isEqualTo(2);
        assertThat(carol(m).nextAttemptAt()).as("the second delay of the schedule").isEqualTo(clock.instant().plus(Duration.ofMinutes(2)));
    }

    @Test
    void theDelayNoticeQuotesWhatTheServerLastSaidNotOurLimit() {
        QueuedMessage m = submit();
        remote.answer(r -> BUSY);
        clock.advance(Duration.ofHours(4));
        assertThat(runner.runDue()).isEqualTo(1);

        assertThat(carol(m).delayNotified()).isTrue();
        assertThat(reports("Delayed")).singleElement().satisfies(notice -> assertThat(notice)
                .contains("Diagnostic-Code: smtp; 421 4.7.0 Try again later")
                .contains("Status: 4.7.0")
                .contains("busy with other mail from this system")
                .as("this time was no attempt, and when the last was is not kept").doesNotContain("Last-Attempt-Date")
                .doesNotContain("4.4.5").doesNotContain("Too many connections"));
    }

    @Test
    void aDelayNoticeBeforeAnyRealAttemptSaysNoneCouldBeMadeYet() {
        remote.answer(r -> BUSY);
        QueuedMessage m = submit();
        assertThat(carol(m).attempts()).isZero();
        assertThat(carol(m).lastReply()).isNull();
        clock.advance(Duration.ofHours(4));
        assertThat(runner.runDue()).isEqualTo(1);

        assertThat(reports("Delayed")).singleElement().satisfies(notice -> assertThat(notice)
                .contains("no delivery attempt could be made yet")
                .doesNotContain("Diagnostic-Code").doesNotContain("4.4.5"));
    }

    @Test
    void ourOwnBusyReplyKeptByAnEarlierVersionIsNotQuotedAsTheServers() {
        remote.answer(r -> BUSY);
        QueuedMessage m = QueueScenarios.message(clock.instant());
        // written by a version that counted busy deferrals and kept their reply
        List<QueuedRecipient> rs = List.of(new QueuedRecipient(m.id(), 0, Address.parse("carol@remote.example"), Set.of(), null,
                QueuedRecipient.State.QUEUED, 3, clock.instant(), "451 4.4.5 Too many connections to mx.remote.example already; will retry",
                false));
        spool.enqueue(m, rs);
        clock.advance(Duration.ofHours(4));
        runner.submit(m, rs);

        assertThat(reports("Delayed")).singleElement().satisfies(notice -> assertThat(notice)
                .contains("no delivery attempt could be made yet")
                .doesNotContain("Diagnostic-Code").doesNotContain("4.4.5").doesNotContain("Too many connections"));
    }

    private static final Outcome SHUTTING_DOWN = new Outcome.Deferred("451 4.3.0 Delivery interrupted (shutting down)",
            "interrupted while waiting for a connection to mx.remote.example", true);

    /** An interrupt as the node stops is no busy destination: the trace and the delay notice say what it was. */
    @Test
    void aShutdownInterruptIsNotCalledBusy() {
        QueuedMessage m = submit();
        remote.answer(r -> SHUTTING_DOWN);
        clock.advance(Duration.ofHours(4));
        assertThat(runner.runDue()).isEqualTo(1);

        assertThat(carol(m).attempts()).isEqualTo(1);
        assertThat(carol(m).lastReply()).isEqualTo("421 4.7.0 Try again later");
        assertThat(trace.all().getLast().detail()).contains("shutting down").doesNotContain("busy");
        assertThat(reports("Delayed")).singleElement().satisfies(notice -> assertThat(notice)
                .contains("Diagnostic-Code: smtp; 421 4.7.0 Try again later")
                .contains("shutting down")
                .doesNotContain("busy").doesNotContain("4.3.0"));
    }

    @Test
    void ourOwnInterruptReplyKeptByAnEarlierVersionIsNotQuotedAsTheServers() {
        remote.answer(r -> BUSY);
        QueuedMessage m = QueueScenarios.message(clock.instant());
        List<QueuedRecipient> rs = List.of(new QueuedRecipient(m.id(), 0, Address.parse("carol@remote.example"), Set.of(), null,
                QueuedRecipient.State.QUEUED, 1, clock.instant(), "451 4.3.0 Delivery interrupted (shutting down)", false));
        spool.enqueue(m, rs);
        clock.advance(Duration.ofHours(4));
        runner.submit(m, rs);

        assertThat(reports("Delayed")).singleElement().satisfies(notice -> assertThat(notice)
                .contains("no delivery attempt could be made yet")
                .doesNotContain("Diagnostic-Code").doesNotContain("interrupted"));
    }

    @Test
    void aMessageThatIsOnlyEverBusyStillBouncesAtItsLifetime() {
        remote.answer(r -> BUSY);
        QueuedMessage m = submit();
        for (int i = 0; i < 3; i++) nextAttempt(m);
        assertThat(carol(m).attempts()).isZero();

        clock.advance(Duration.ofHours(24));
        assertThat(runner.runDue()).isEqualTo(1);

        assertThat(spool.message(m.id())).as("the original leaves the queue").isEmpty();
        assertThat(trace.all()).filteredOn(e -> e.type() == TraceEvent.Type.FAIL).singleElement()
                .satisfies(e -> assertThat(e.detail()).startsWith("expired: no connection to mx.remote.example"));
        assertThat(reports("Undeliverable")).singleElement().satisfies(ndr -> assertThat(ndr)
                .contains("could not be delivered within 24 hours; no delivery attempt could be made, as the receiving mail")
                .contains("Action: failed\r\nStatus: 5.4.7\r\n")
                .doesNotContain("Diagnostic-Code").doesNotContain("4.4.5").doesNotContain("Last-Attempt-Date"));
        assertThat(spool.history().stream().filter(QueuedMessage::isBounce).map(b -> spool.recipients(b.id()).getFirst().address()))
                .contains(Address.parse("bob@example.net"));
    }

    @Test
    void anExpiryAfterARealAttemptQuotesThatAttemptsReply() {
        QueuedMessage m = submit();
        remote.answer(r -> BUSY);
        clock.advance(Duration.ofHours(24));
        assertThat(runner.runDue()).isEqualTo(1);

        assertThat(reports("Undeliverable")).singleElement().satisfies(ndr -> assertThat(ndr)
                .contains("the last attempt was deferred (its reply is below)")
                .contains("Diagnostic-Code: smtp; 421 4.7.0 Try again later")
                .doesNotContain("4.4.5"));
        assertThat(spool.message(m.id())).isEmpty();
    }

    @Test
    void ourOwnDestinationLimitIsABusyDeferralToo() {
        RecordingRemoteDelivery never = new RecordingRemoteDelivery(r -> { throw new AssertionError("not admitted"); });
        DeliveryAttempt attempt = new DeliveryAttempt(QueueScenarios.internetOnly(),
                new sluice.core.deliver.mailbox.MailboxDelivery(new sluice.core.testing.MemoryMailboxStore()), never,
                new sluice.core.deliver.dsn.DsnBuilder(QueueScenarios.HOSTNAME, java.time.ZoneOffset.UTC),
                sluice.core.queue.RetrySchedule.DEFAULT, QueueScenarios.HOSTNAME);
        QueuedMessage m = QueueScenarios.message(T0);
        QueuedRecipient before = new QueuedRecipient(m.id(), 0, Address.parse("carol@remote.example"), Set.of(), null,
                QueuedRecipient.State.QUEUED, 3, T0, "421 4.7.0 Try again later", false);

        DeliveryAttempt.Result r = attempt.run(m, () -> m, List.of(before), clock, (route, delivery) -> {
            throw new DeliverySlots.Busy("no delivery slot of remote.example came free within PT5M (other messages hold all 1)");
        });

        assertThat(r.updates()).singleElement().satisfies(c -> {
            assertThat(c.attempts()).isEqualTo(3);
            assertThat(c.lastReply()).isEqualTo("421 4.7.0 Try again later");
            assertThat(c.nextAttemptAt()).isBetween(T0.plusSeconds(45), T0.plus(Duration.ofMinutes(1)));
        });
        assertThat(r.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(TraceEvent.Type.DEFER);
            assertThat(e.remoteReply()).isEqualTo("451 4.4.5 Too many deliveries to remote.example already; will retry");
        });
    }
}
