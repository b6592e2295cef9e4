package sluice.core.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.trace.Trace;

import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stores each attempt's result in one atomic step, then reschedules its message, lets go of it, and traces and
 * announces what the attempt did. A result whose write fails is kept, its message still held, and written again
 * after growing pauses; an attempt whose result is lost altogether is tried again ({@link UnexpectedFailures}).
 */
final class AttemptRecorder {

    /** The runner's logger: what operators already watch for these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(QueueRunner.class);

    /** First pause before writing an attempt's result again after a failed write; doubles up to the maximum. */
    private static final Duration WRITE_RETRY = Duration.ofSeconds(5);
    private static final Duration MAX_WRITE_RETRY = Duration.ofMinutes(5);

    /**
     * An attempt's result not yet on disk. Deliveries in it may have happened, so it is kept (and the
     * message kept in flight, so no new attempt starts) until it is written: dropping it would send
     * every delivered recipient another copy at each retry.
     */
    record Unrecorded(QueuedMessage message, List<QueuedRecipient> recipients, DeliveryAttempt.Result result,
                      int failures) {
    }

    private final QueueRunner runner;
    private final Spool spool;
    private final Trace trace;
    private final InstantSource clock;
    private final Schedule schedule;
    private final InFlight inFlight;
    private final DeliveryAttempt attempt;
    private final UnexpectedFailures failures;
    private final Map<QueueId, Unrecorded> unrecorded = new ConcurrentHashMap<>();

    /** @param runner announces the reports an attempt generated ({@link QueueRunner#announceGenerated}) */
    AttemptRecorder(QueueRunner runner, Spool spool, Trace trace, InstantSource clock, Schedule schedule,
                    InFlight inFlight, DeliveryAttempt attempt, UnexpectedFailures failures) {
        this.runner = runner;
        this.spool = spool;
        this.trace = trace;
        this.clock = clock;
        this.schedule = schedule;
        this.inFlight = inFlight;
        this.attempt = attempt;
        this.failures = failures;
    }

    /**
     * The result of an attempt of {@code message} (its envelope: announcing reports needs no body), which holds the
     * message in flight; {@code recipients} as the attempt found them.
     */
    void record(QueuedMessage message, List<QueuedRecipient> recipients, DeliveryAttempt.Result result) {
        record(new Unrecorded(message, recipients, result, 0));
    }

    /** The result kept for {@code id} after a failed write, taken off to be written again; null if none is kept. */
    Unrecorded takeUnrecorded(QueueId id) {
        return unrecorded.remove(id);
    }

    /** Writes an attempt's result, then traces, announces and reschedules; on failure tries again later. */
    void record(Unrecorded u) {
        if (!written(u)) return;
        QueueId id = u.message().id();
        if (u.failures() > 0) LOG.info("queue: recorded the outcome of the attempt to deliver {} after {} failed writes", id, u.failures());
        failures.forget(id);
        try {
            rescheduleRemaining(id, u.recipients(), u.result().updates());
        } finally {
            // Only after rescheduling: once let go, retryNow may schedule the message for now, and this attempt's
            // later time must not overwrite that
            inFlight.release(id);
        }
        try { // stored already: a failure here must not lose the schedule, nor run the attempt again
            u.result().events().forEach(trace::record);
            for (Spool.Generated g : u.result().generated()) runner.announceGenerated(u.message(), g);
        } catch (RuntimeException e) {
            LOG.error("queue: recorded the outcome of the attempt to deliver {}, but could not trace or announce it "
                    + "(reports it generated are queued and are delivered at the latest after a restart)", id, e);
        }
    }

    /** Stores the result; false when that failed and the result is kept to be written again, as scheduled. */
    private boolean written(Unrecorded u) {
        QueueId id = u.message().id();
        boolean written = false;
        try {
            spool.update(u.result().updates(), u.result().generated());
            written = true;
        } catch (RuntimeException e) {
            Duration pause = WRITE_RETRY.multipliedBy(1L << Math.min(u.failures(), 6));
            if (pause.compareTo(MAX_WRITE_RETRY) > 0) pause = MAX_WRITE_RETRY;
            LOG.error("queue: cannot record the outcome of the attempt to deliver {} ({}); trying again in {} s. "
                    + "No new attempt starts meanwhile; should the node stop first, the message is attempted again "
                    + "at start-up, so recipients it reached may get a second copy. Check the data directory's disk.",
                    id, e.toString(), pause.toSeconds());
            unrecorded.put(id, new Unrecorded(u.message(), u.recipients(), u.result(), u.failures() + 1));
            schedule.put(id, clock.instant().plus(pause));
            return false;
        } finally {
            // An Error while writing: neither written nor kept, so the attempt is as good as lost; let go and try again
            if (!written && !unrecorded.containsKey(id)) lost(id, null);
        }
        return true;
    }

    /**
     * An attempt whose result is lost (it ended in an exception) lets go of the message and is tried
     * again later. Some recipients may have been reached, and each retry may send them another copy, so
     * it backs off as for a deferral rather than try every minute; past its lifetime it is set aside
     * ({@link UnexpectedFailures}).
     */
    void lost(QueueId id, Throwable why) {
        attempt.forget(id); // the streaks it advanced were not stored: the next attempt starts from the spool's state
        try {
            failures.failed(id, why);
        } finally { // scheduled first: once let go, an admin change may schedule it and must not be overwritten
            inFlight.release(id);
        }
    }

    private void rescheduleRemaining(QueueId id, List<QueuedRecipient> before, List<QueuedRecipient> updates) {
        Map<Integer, QueuedRecipient> now = new HashMap<>();
        before.forEach(r -> now.put(r.index(), r));
        updates.forEach(r -> now.put(r.index(), r));
        schedule.putFirstDue(id, now.values());
    }

    /**
     * Waits up to {@code drain} for the attempts running to end and be recorded, then says which are still running
     * and which outcomes could not be written.
     */
    void drain(Duration drain) {
        long deadline = System.nanoTime() + drain.toNanos();
        try {
            // attempts still running: in flight and not merely waiting to write their result again
            while (inFlight.size() > unrecorded.size() && System.nanoTime() < deadline) Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inFlight.size() > unrecorded.size()) {
            LOG.warn("queue: stopping with {} delivery attempt(s) still running after {} s; their messages are attempted "
                    + "again at the next start", inFlight.size() - unrecorded.size(), drain.toSeconds());
        }
        if (!unrecorded.isEmpty()) {
            LOG.warn("queue: stopping with the outcome of {} attempt(s) not recorded ({}); those messages are attempted "
                    + "again at the next start", unrecorded.size(), unrecorded.keySet());
        }
    }
}
