package sluice.core.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.trace.MessageFacts;
import sluice.core.trace.Trace;
import sluice.core.trace.TraceEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Attempts that ended in an exception (a bug, a body the store cannot read, an Error), so their result
 * is lost and some recipients may have been reached. Such a message is tried again with the growing
 * delays of a deferral. Ordinary expiry cannot end it, for no attempt of it ever ends; so once it is
 * past its queue lifetime and has failed {@value #IN_A_ROW} times in a row, it is set aside: its
 * waiting recipients are suspended, neither attempted nor expired until an administrator resumes or
 * removes it (Exchange's poison message queue, Postfix's corrupt queue, with the queue's own states).
 * Nobody is bounced: the report would call undelivered recipients that may have been reached, and
 * building it may be what fails.
 *
 * <p>The lifetime counts from arrival, which is on disk, so a restart does not start it again. The
 * failures in a row are counted in memory only: they keep one passing failure at the moment of expiry
 * from setting a message aside, and after a restart (or a resume) cost at most that many attempts more.
 *
 * <p>Called with the message's in-flight slot held, so no admin change and no other attempt runs meanwhile.
 */
final class UnexpectedFailures {

    private static final Logger LOG = LoggerFactory.getLogger(UnexpectedFailures.class);

    /** Failures in a row, past the lifetime, that set a message aside. */
    static final int IN_A_ROW = 3;
    /** What the trace and the queue listing keep of the last error: one line, clipped. */
    private static final int MAX_ERROR_TEXT = 300;
    static final String SET_ASIDE_REPLY = "451 4.3.0 Set aside after failing unexpectedly";

    private final QueueRunner runner;
    private final Spool spool;
    private final Trace trace;
    private final InstantSource clock;
    private final RetrySchedule retry;
    private final Map<QueueId, Integer> inARow = new ConcurrentHashMap<>();

    UnexpectedFailures(QueueRunner runner, Spool spool, Trace trace, InstantSource clock, RetrySchedule retry) {
        this.runner = runner;
        this.spool = spool;
        this.trace = trace;
        this.clock = clock;
        this.retry = retry;
    }

    /** The message's attempt was recorded, or the message is gone: a next failure is the first in a row again. */
    void forget(QueueId id) {
        inARow.remove(id);
    }

    /** Counts a failed attempt of {@code id}, then schedules it again, or sets it aside and unschedules it. */
    void failed(QueueId id, Throwable why) {
        int failures = inARow.merge(id, 1, Integer::sum);
        Duration pause = retry.delayAfter(failures);
        runner.scheduleAt(id, clock.instant().plus(pause)); // first: should setting aside fail, even with an Error, the retry stands
        if (failures >= IN_A_ROW && setAside(id, failures, why)) {
            runner.unschedule(id);
            inARow.remove(id);
            return;
        }
        LOG.error("queue: the attempt to deliver {} failed unexpectedly ({} in a row); trying again in {} min",
                id, failures, pause.toMinutes(), why);
    }

    /** Suspends the waiting recipients of {@code id} if it is past its lifetime; false if it is not, or cannot be. */
    private boolean setAside(QueueId id, int failures, Throwable why) {
        Instant now = clock.instant();
        String error;
        Spool.Envelope envelope;
        List<QueuedRecipient> suspended;
        try {
            error = describe(why);
            Optional<Spool.Envelope> e = spool.envelope(id);
            if (e.isEmpty() || now.isBefore(e.get().message().receivedAt().plus(retry.maxLifetime()))) return false;
            envelope = e.get();
            suspended = spool.recipients(id).stream().filter(r -> r.state() == QueuedRecipient.State.QUEUED)
                    .map(r -> new QueuedRecipient(r.messageId(), r.index(), r.address(), r.notifyOn(), r.orcpt(),
                            QueuedRecipient.State.SUSPENDED, r.attempts(), r.nextAttemptAt(),
                            SET_ASIDE_REPLY + ": " + error, r.delayNotified()))
                    .toList();
            if (suspended.isEmpty()) return false;
            spool.update(suspended, List.of());
        } catch (RuntimeException e) {
            LOG.error("queue: could not set aside {}, which keeps failing unexpectedly past its queue lifetime ({})",
                    id, e.toString());
            return false;
        }
        QueuedMessage m = envelope.message();
        String lifetime = DeliveryAttempt.human(retry.maxLifetime());
        LOG.error("queue: set aside message {} from <{}> received {}: its delivery attempts failed unexpectedly {} times "
                        + "in a row and it is past its queue lifetime of {}; last error: {}. Its {} waiting recipient(s) "
                        + "are suspended, not bounced (some may have been reached). Find the cause, then resume it "
                        + "(sluice queue resume {}) or remove it (sluice queue remove {} --no-ndr, or --ndr to tell the sender).",
                id, m.sender(), m.receivedAt(), failures, lifetime, error, suspended.size(), id, id, why);
        trace(envelope, suspended, now, "set aside (suspended): delivery attempts failed unexpectedly " + failures
                + " times in a row past the queue lifetime of " + lifetime + " (last error: " + error + "); not bounced, as "
                + "some recipients may have been reached; an administrator resumes or removes it in the queue");
        return true;
    }

    /** A DEFER per recipient set aside. Stored already: a failure to trace must not undo it. */
    private void trace(Spool.Envelope envelope, List<QueuedRecipient> suspended, Instant now, String detail) {
        QueuedMessage m = envelope.message();
        try {
            // the envelope's facts: the body may be what cannot be read
            MessageFacts facts = new MessageFacts(m.networkId(), m.id(), null, m.sender(), null, envelope.size());
            for (QueuedRecipient r : suspended) {
                trace.record(facts.event(now, TraceEvent.Type.DEFER, m.organizationId(), r.address().toString(), null,
                        null, SET_ASIDE_REPLY, detail));
            }
        } catch (RuntimeException e) {
            LOG.error("queue: set aside {}, but could not trace it: {}", m.id(), e.toString());
        }
    }

    /** The error on one line, clipped: exception texts can be long, or span lines. */
    private static String describe(Throwable why) {
        String text = why == null ? "an Error while recording an attempt's outcome (logged where it was thrown)"
                : why.toString().replaceAll("\\s+", " ").strip();
        return text.length() <= MAX_ERROR_TEXT ? text : text.substring(0, MAX_ERROR_TEXT) + "...";
    }
}
