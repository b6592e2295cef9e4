package sluice.core.queue;

import sluice.core.deliver.Outcome;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.trace.Trace;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * The administrator's operations on the queue. Each change holds the message's in-flight slot in the
 * {@link QueueRunner} while it writes, so no delivery attempt runs on a stale view of the recipients;
 * the runner keeps the schedule and the attempts, and this class reaches them only through the
 * runner's package-private handshake (claim, release, ask to stop, schedule, unschedule).
 */
final class QueueAdministration implements QueueAdmin {

    /** How long an admin change waits for an attempt it asked to stop; a delivery in progress is not cut short. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private final QueueRunner runner;
    private final Spool spool;
    private final Trace trace;
    private final InstantSource clock;
    private final DeliveryAttempt attempt;

    QueueAdministration(QueueRunner runner, Spool spool, Trace trace, InstantSource clock, DeliveryAttempt attempt) {
        this.runner = runner;
        this.spool = spool;
        this.trace = trace;
        this.clock = clock;
        this.attempt = attempt;
    }

    /** Envelopes only, and recipients only of the messages listed: listing a large queue reads no bodies. */
    @Override
    public List<Entry> list(List<String> organizationIds, int limit) {
        return spool.pending().stream().map(spool::envelope).flatMap(Optional::stream)
                .filter(e -> organizationIds == null || organizationIds.contains(e.message().organizationId()))
                .limit(limit).map(this::entry).toList();
    }

    @Override
    public Optional<Entry> get(QueueId id) {
        return spool.envelope(id).map(this::entry);
    }

    private Entry entry(Spool.Envelope e) {
        QueuedMessage m = e.message();
        return new Entry(m.id(), m.networkId().toString(), m.organizationId(), m.sender(), m.receivedAt(), e.size(),
                spool.recipients(m.id()));
    }

    /**
     * Holds the in-flight slot like {@link #change}: written over a running attempt, the stale "waiting"
     * state would bring back a recipient the attempt just delivered, and deliver it again. While an
     * attempt runs, that attempt is the retry asked for.
     */
    @Override
    public boolean retryNow(QueueId id) {
        Instant now = clock.instant();
        return switch (change(id, QueuedRecipient.State.QUEUED, r -> r.withState(QueuedRecipient.State.QUEUED, now), true, false)) {
            case DONE, BUSY -> true;
            case NOT_QUEUED, NOTHING_TO_CHANGE -> false;
        };
    }

    @Override
    public Change suspend(QueueId id) {
        return change(id, QueuedRecipient.State.QUEUED, r -> r.withState(QueuedRecipient.State.SUSPENDED, r.nextAttemptAt()), false,
                true);
    }

    @Override
    public Change resume(QueueId id) {
        Instant now = clock.instant();
        return change(id, QueuedRecipient.State.SUSPENDED, r -> r.withState(QueuedRecipient.State.QUEUED, now), true, false);
    }

    /**
     * Moves the recipients in state {@code from} with {@code to}, holding the message's in-flight slot
     * meanwhile: a delivery attempt that started before would write its stale view of these recipients
     * back, and none may start until the new states are on disk.
     *
     * @param stopsAttempt whether an attempt running asks to be stopped (see {@link #hold})
     */
    private Change change(QueueId id, QueuedRecipient.State from, java.util.function.UnaryOperator<QueuedRecipient> to,
                          boolean dueNow, boolean stopsAttempt) {
        if (spool.envelope(id).isEmpty()) return Change.NOT_QUEUED;
        if (!(stopsAttempt ? hold(id) : runner.claim(id))) return Change.BUSY;
        try {
            List<QueuedRecipient> changed = spool.recipients(id).stream().filter(r -> r.state() == from).map(to).toList();
            if (changed.isEmpty()) return Change.NOTHING_TO_CHANGE;
            spool.update(changed, List.of());
            if (!dueNow) runner.unschedule(id);
        } finally {
            runner.release(id);
        }
        if (dueNow) { // only after letting go: runDue would find the message held and look again only later
            runner.scheduleAt(id, clock.instant());
            runner.runDue();
        }
        return Change.DONE;
    }

    /**
     * Takes the message's in-flight slot for an admin change. An attempt holding it is asked to stop at
     * its next admission (and woken if it waits for a slot, which can take hours behind a stalled
     * destination): it records what it delivered and lets go. False if it does not within
     * {@link #STOP_WAIT} (a delivery in progress); the request stands, so the attempt stops after that
     * delivery and the change succeeds when tried again.
     */
    private boolean hold(QueueId id) {
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (!runner.claim(id)) {
            runner.askToStop(id);
            if (System.nanoTime() > deadline) return false;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** Holds the message's in-flight slot like {@link #change}: no attempt runs while it is removed. */
    @Override
    public Change remove(QueueId id, boolean ndr) {
        if (!hold(id)) return Change.BUSY;
        Optional<QueuedMessage> message;
        DeliveryAttempt.Result r;
        try {
            message = spool.message(id);
            if (message.isEmpty()) return Change.NOT_QUEUED;
            if (!ndr || message.get().isBounce()) {
                spool.delete(id);
                runner.unschedule(id);
                attempt.forget(id);
                return Change.DONE;
            }
            r = attempt.failAll(message.get(), spool.recipients(id), clock.instant(),
                    new Outcome.Bounced("550 5.3.0 Message removed from the queue by an administrator",
                            "removed from the queue by an administrator"));
            spool.update(r.updates(), r.generated());
            runner.unschedule(id); // only once written: a failed write leaves the message queued and scheduled
        } finally {
            runner.release(id);
        }
        r.events().forEach(trace::record);
        r.generated().forEach(g -> runner.announceGenerated(message.get(), g));
        return Change.DONE;
    }
}
