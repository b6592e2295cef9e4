package sluice.core.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * Runs the attempts of messages the runner holds in flight, each on an executor's thread: a due message read as its
 * envelope, a new one with its body in hand; each delivery admitted by the {@link DeliverySlots}, and the result
 * handed to the {@link AttemptRecorder}, or the attempt retried when it ends in an exception.
 */
final class AttemptRunner {

    /** The runner's logger: what operators already watch for these lines. */
    private static final Logger LOG = LoggerFactory.getLogger(QueueRunner.class);

    private final Spool spool;
    private final InstantSource clock;
    private final DeliverySlots slots;
    private final InFlight inFlight;
    private final DeliveryAttempt attempt;
    private final Schedule schedule;
    private final UnexpectedFailures failures;
    private final AttemptRecorder recorder;

    AttemptRunner(Spool spool, InstantSource clock, DeliverySlots slots, InFlight inFlight, DeliveryAttempt attempt,
                  Schedule schedule, UnexpectedFailures failures, AttemptRecorder recorder) {
        this.spool = spool;
        this.clock = clock;
        this.slots = slots;
        this.inFlight = inFlight;
        this.attempt = attempt;
        this.schedule = schedule;
        this.failures = failures;
        this.recorder = recorder;
    }

    private record Loaded(Spool.Envelope envelope, List<QueuedRecipient> recipients) {
    }

    /** Attempts {@code id}, taken off the schedule and held; a message that left the queue is let go. */
    void due(QueueId id) {
        Optional<Loaded> loaded;
        try {
            loaded = load(id);
        } catch (Throwable e) { // an Error: load handles the rest
            recorder.lost(id, e);
            throw e;
        }
        loaded.ifPresentOrElse(l -> run(Body.stored(spool, l.envelope()), l.recipients()), () -> {
            failures.forget(id);
            attempt.forget(id);
            inFlight.release(id);
        });
    }

    /** The envelope only: a due message may wait for a slot, and a backlog's bodies must not all be in memory. */
    private Optional<Loaded> load(QueueId id) {
        try {
            return spool.envelope(id).map(e -> new Loaded(e, spool.recipients(id)));
        } catch (RuntimeException e) {
            LOG.error("queue: cannot read message {}: {}", id, e.toString());
            schedule.put(id, clock.instant().plus(Duration.ofMinutes(1)));
            return Optional.empty();
        }
    }

    /**
     * Runs one attempt of the message held in flight; each delivery in it waits for its destination's share, and
     * each transaction for a node slot, not the attempt.
     */
    void run(Body body, List<QueuedRecipient> recipients) {
        QueuedMessage message = body.envelope;
        InFlight.Running running = inFlight.started(message.id());
        DeliveryAttempt.Result result;
        try {
            result = attempt.run(message, body.size, body, recipients, clock,
                    (route, delivery) -> slots.deliver(route, body::drop, () -> running.stop, delivery));
        } catch (Throwable e) { // an Error too: it goes on up, but must not leave the message in flight for ever
            recorder.lost(message.id(), e);
            if (e instanceof RuntimeException) return;
            throw e;
        } finally {
            inFlight.ended(message.id(), running);
        }
        recorder.record(message, recipients, result);
        // Only now (an interrupted thread cannot write to some stores: a JDBC driver may close its file), and not
        // when an admin change stopped it: that interrupt only woke it
        if (result.interrupted() && !running.stop) Thread.currentThread().interrupt();
    }
}
