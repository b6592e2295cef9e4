package sluice.core.queue;

import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.connector.OutboundSelector;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.route.Postmaster;
import sluice.core.route.Router;
import sluice.core.route.StaticRoutes;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryMailboxStore;
import java.time.ZoneOffset;
import sluice.core.deliver.remote.Admission;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.Address;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;
import sluice.core.testing.ForwardingSpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;
import sluice.core.trace.TraceEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A destination that stays busy with our own other deliveries (4.4.5, no attempt) is not polled every minute
 * for the message's whole lifetime: the wait doubles from the first delay up to 10 minutes, spread a little per
 * message so a backlog is not tried again in lockstep, the streak's first DEFER is traced and then one at most an
 * hour (the others counted), and such a deferral never reads the message's body. A real attempt ends the
 * streak. Driven by a hand-moved clock on a direct executor.
 */
class BusyDeferralBackoffTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");
    private static final Outcome BUSY = new Outcome.Deferred("451 4.4.5 Too many connections to mx.remote.example already; will retry",
            "no connection to mx.remote.example came free in time", true);
    private static final Outcome REMOTE_421 = new Outcome.Deferred("421 4.7.0 Try again later", "mx.remote.example said so");

    /** Counts reads of one message's body. */
    private static final class CountingSpool extends ForwardingSpool {
        final AtomicInteger bodyReads = new AtomicInteger();
        volatile QueueId counted;

        @Override
        public Optional<QueuedMessage> message(QueueId id) {
            if (id.equals(counted)) bodyReads.incrementAndGet();
            return super.message(id);
        }
    }

    /** A next hop like SmtpRemoteDelivery's: busy, it reads no body; otherwise it reads it once admitted. */
    private static final class Hop implements RemoteDelivery {
        volatile Outcome answer = BUSY;

        @Override
        public List<Outcome> deliver(Route.ToSmartHost route, QueuedMessage message, List<QueuedRecipient> recipients) {
            return recipients.stream().map(r -> answer).toList();
        }

        @Override
        public List<Outcome> deliver(Route.ToMx route, QueuedMessage message, List<QueuedRecipient> recipients) {
            return recipients.stream().map(r -> answer).toList();
        }

        @Override
        public List<Outcome> deliver(Route.ToMx route, Supplier<QueuedMessage> message, List<QueuedRecipient> recipients,
                                     Admission admission) throws InterruptedException {
            Outcome o = answer;
            if (o == BUSY) return recipients.stream().map(r -> o).toList();
            return admission.admit(() -> deliver(route, message.get(), recipients));
        }
    }

    private final MutableClock clock = new MutableClock(T0);
    private final CountingSpool spool = new CountingSpool();
    private final MemoryTrace trace = new MemoryTrace();
    private final Hop hop = new Hop();
    private final QueueRunner runner = QueueScenarios.runner(spool, hop, trace, clock, Runnable::run, 10);

    private QueuedMessage submit() {
        QueuedMessage m = QueueScenarios.message(clock.instant());
        // NOTIFY=NEVER: no delay notice, whose own busy deferrals would count too
        List<QueuedRecipient> rs = List.of(new QueuedRecipient(m.id(), 0, Address.parse("carol@remote.example"), Set.of("NEVER"),
                null, QueuedRecipient.State.QUEUED, 0, clock.instant(), null, false));
        spool.enqueue(m, rs);
        spool.counted = m.id();
        runner.submit(m, rs);
        return m;
    }

    private QueuedRecipient carol(QueuedMessage m) {
        return spool.recipients(m.id()).getFirst();
    }

    /** Moves the clock to the recipient's next attempt, runs it, and says how long it waits now. */
    private Duration nextAttempt(QueuedMessage m) {
        clock.advance(Duration.between(clock.instant(), carol(m).nextAttemptAt()));
        assertThat(runner.runDue()).isEqualTo(1);
        return Duration.between(clock.instant(), carol(m).nextAttemptAt());
    }

    private static Duration base(int n) {
        Duration d = Duration.ofMinutes(1).multipliedBy(1L << Math.min(n, 20));
        return d.compareTo(BusyBackoff.CAP) > 0 ? BusyBackoff.CAP : d;
    }

    private List<TraceEvent> defers() {
        return trace.all().stream().filter(e -> e.type() == TraceEvent.Type.DEFER && e.recipient().equals("carol@remote.example"))
                .toList();
    }

    @Test
    void aBusyStreakBacksOffToTenMinutesIsTracedOnceAnHourAndReadsNoBody() {
        QueuedMessage m = submit();
        List<Duration> waits = new ArrayList<>(List.of(Duration.between(clock.instant(), carol(m).nextAttemptAt())));
        int reads = spool.bodyReads.get();
        while (clock.instant().plus(Duration.ofMinutes(15)).isBefore(T0.plus(Duration.ofHours(24)))) waits.add(nextAttempt(m));

        for (int n = 0; n < waits.size() - 1; n++) { // the last may be cut short by the lifetime
            Duration base = base(n);
            assertThat(waits.get(n)).as("wait %d", n).isLessThanOrEqualTo(base).isGreaterThanOrEqualTo(base.multipliedBy(3).dividedBy(4));
        }
        assertThat(waits.size()).as("busy deferrals in a day").isLessThan(24 * 60 / 7);
        assertThat(carol(m).attempts()).isZero();
        assertThat(carol(m).lastReply()).isNull();
        assertThat(spool.bodyReads.get()).as("body reads while busy").isEqualTo(reads);

        List<TraceEvent> defers = defers();
        assertThat(defers.getFirst().at()).isEqualTo(T0);
        assertThat(defers).hasSizeBetween(20, 24).allSatisfy(e -> {
            assertThat(e.remoteReply()).startsWith("451 4.4.5");
            assertThat(e.detail()).contains("not counted as an attempt").contains("traced at most once in 1 hour");
            assertThat(e.size()).isEqualTo(m.content().length);
        });
        for (int i = 1; i < defers.size(); i++) {
            assertThat(Duration.between(defers.get(i - 1).at(), defers.get(i).at())).isGreaterThanOrEqualTo(Duration.ofHours(1));
        }
        assertThat(runner.untracedBusyDeferrals()).isEqualTo(waits.size() - defers.size());
    }

    @Test
    void aRealAttemptEndsTheStreakAndTheNextBusyOneStartsAgainAtTheFirstDelay() {
        QueuedMessage m = submit();
        for (int i = 0; i < 4; i++) nextAttempt(m);
        assertThat(defers()).hasSize(1);

        hop.answer = REMOTE_421;
        assertThat(nextAttempt(m)).as("the first delay of the schedule").isEqualTo(Duration.ofMinutes(1));
        assertThat(carol(m).attempts()).isEqualTo(1);

        hop.answer = BUSY;
        assertThat(nextAttempt(m)).isLessThanOrEqualTo(Duration.ofMinutes(1)).isGreaterThanOrEqualTo(Duration.ofSeconds(45));
        assertThat(carol(m).attempts()).isEqualTo(1);
        assertThat(carol(m).lastReply()).isEqualTo("421 4.7.0 Try again later");
        assertThat(defers()).as("busy, 421, busy again: each traced").hasSize(3);
    }

    /** Suspended, the message is no longer waited on: its streak is forgotten, and resumed, it starts again. */
    @Test
    void aSuspendedMessageForgetsItsStreak() {
        QueuedMessage m = submit();
        for (int i = 0; i < 4; i++) nextAttempt(m);
        assertThat(runner.busyStreaks()).isEqualTo(1);

        assertThat(runner.suspend(m.id())).isEqualTo(QueueAdmin.Change.DONE);
        assertThat(runner.busyStreaks()).isZero();

        assertThat(runner.resume(m.id())).isEqualTo(QueueAdmin.Change.DONE); // attempted at once: busy again
        assertThat(Duration.between(clock.instant(), carol(m).nextAttemptAt())).isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(defers()).as("a new streak is traced").hasSize(2);
    }

    /** Postmaster mail for a configured stand-in: its EXPAND event reads no body either while the destination is busy. */
    @Test
    void aPostmasterStandInsBusyRetryReadsNoBody() {
        MemoryDirectory directory = new MemoryDirectory();
        var org = directory.createOrganization("Contoso", false);
        directory.createAcceptedDomain(org.id(), Domain.of("contoso.example"), AcceptedDomain.Type.AUTHORITATIVE, false);
        Router router = new Router(directory, new OutboundSelector(new MemoryConnectors()), StaticRoutes.none(),
                new Postmaster(Domain.of("mx.sluice.test"), Address.parse("noc@remote.example")));
        QueueRunner standIns = new QueueRunner(spool, router, new MailboxDelivery(new MemoryMailboxStore()), hop,
                new DsnBuilder("mx.sluice.test", ZoneOffset.UTC), trace, clock, Runnable::run, RetrySchedule.DEFAULT,
                10, "mx.sluice.test");
        QueuedMessage m = QueueScenarios.message(clock.instant());
        List<QueuedRecipient> rs = List.of(new QueuedRecipient(m.id(), 0, Address.parse("postmaster@contoso.example"), Set.of("NEVER"),
                null, QueuedRecipient.State.QUEUED, 0, clock.instant(), null, false));
        spool.enqueue(m, rs);
        spool.counted = m.id();
        standIns.submit(m, rs);

        clock.advance(Duration.between(clock.instant(), carol(m).nextAttemptAt()));
        assertThat(standIns.runDue()).isEqualTo(1);
        assertThat(carol(m).attempts()).isZero();
        assertThat(trace.all()).anySatisfy(e -> assertThat(e.type()).isEqualTo(TraceEvent.Type.EXPAND));
        assertThat(spool.bodyReads.get()).as("body reads while busy").isZero();
    }

    @Test
    void aBacklogBusyAtOnceIsNotTriedAgainInLockstep() {
        Set<Instant> next = new HashSet<>();
        for (int i = 0; i < 8; i++) next.add(carol(submit()).nextAttemptAt());
        assertThat(next).hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(at -> assertThat(at).isBetween(T0.plusSeconds(45), T0.plusSeconds(60)));
    }
}
