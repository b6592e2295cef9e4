package sluice.core.queue;

import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;
import sluice.core.trace.TraceEvent;

import java.time.Instant;
import java.util.List;

/**
 * What the outcomes of one attempt make of its recipients: each one's new state, its trace event, and its line in
 * the sender's notices (non-delivery, delay, success). Collects into the attempt's events and notices; stores nothing.
 */
final class RecipientOutcomes {

    private final RetrySchedule schedule;
    private final BusyBackoff busy;
    private final QueuedMessage message;
    private final Facts facts;
    private final Notices notices;
    private final List<TraceEvent> events;

    /** @param message the attempt's message (its envelope will do: {@code facts} reads the content when needed) */
    RecipientOutcomes(RetrySchedule schedule, BusyBackoff busy, QueuedMessage message, Facts facts, Notices notices,
                      List<TraceEvent> events) {
        this.schedule = schedule;
        this.busy = busy;
        this.message = message;
        this.facts = facts;
        this.notices = notices;
        this.events = events;
    }

    /**
     * {@code r} after {@code outcome}.
     *
     * @param route the route it took; null for none (an administrator's removal, whose words go to the sender)
     */
    QueuedRecipient apply(QueuedRecipient r, Outcome outcome, Route route, Instant now) {
        if (!(outcome instanceof Outcome.Deferred d && d.notAttempted())) busy.end(r);
        return switch (outcome) {
            case Outcome.Delivered d -> delivered(r, d, route, now);
            case Outcome.Bounced b -> bounced(r, b, route, now);
            case Outcome.Deferred d -> deferred(r, d, now);
        };
    }

    /** Postmaster mail held while the node has no postmaster address ({@link DeliveryAttempt#NO_POSTMASTER}). */
    QueuedRecipient held(QueuedRecipient r, Instant now) {
        busy.end(r); // not busy: held, whatever its destination was before
        return deferred(r, DeliveryAttempt.NO_POSTMASTER, now);
    }

    private QueuedRecipient delivered(QueuedRecipient r, Outcome.Delivered d, Route route, Instant now) {
        boolean local = route instanceof Route.ToMailbox;
        // RFC 3461 section 5.2: a DSN-capable next hop got NOTIFY and reports success itself; a
        // "relayed" notice from us as well would tell the sender twice
        boolean successWanted = r.notifyOn().contains("SUCCESS");
        String handedOver = successWanted && d.nextHopHandlesDsn()
                ? "; success notice left to " + d.remoteHost() + ", which supports DSN" : "";
        events.add(facts.event(now, local ? TraceEvent.Type.DELIVER : TraceEvent.Type.SEND, message.organizationId(),
                r.address().toString(), local ? null : d.remoteHost(), d.tls(), d.reply(), d.detail() + via(route) + handedOver));
        QueuedRecipient done = r.delivered(d.reply());
        if (successWanted && !d.nextHopHandlesDsn()) {
            notices.success.add(Notices.entry(done, local ? DsnBuilder.Action.DELIVERED : DsnBuilder.Action.RELAYED,
                    local ? null : d.remoteHost(), null, now));
        }
        return done;
    }

    private QueuedRecipient bounced(QueuedRecipient r, Outcome.Bounced b, Route route, Instant now) {
        events.add(facts.event(now, TraceEvent.Type.FAIL, message.organizationId(), r.address().toString(), null, null,
                b.reply(), b.detail()));
        QueuedRecipient failed = r.failed(b.reply());
        // A refused route's reason is for the trace only (connector names, how domains are set up): the sender's
        // report says what the reply says.
        String forSender = route instanceof Route.Refuse ? null : b.detail();
        if (Notices.wants(r, "FAILURE")) notices.failed.add(Notices.entry(failed, DsnBuilder.Action.FAILED, b.remoteHost(), forSender, now));
        return failed;
    }

    /**
     * A deferral after trying counts as an attempt: the wait doubles, and the recipient keeps the reply. One that
     * was not even tried ({@link Outcome.Deferred#notAttempted}: the destination busy with our own other
     * deliveries) counts nothing and keeps the reply of the last real attempt, which is what its notices quote; it
     * waits as {@link BusyBackoff} says, and its DEFER is traced only when a streak of them begins (then at most
     * once per longest delay), built without reading the message. Either way the recipient fails once the message's
     * lifetime is over.
     */
    private QueuedRecipient deferred(QueuedRecipient r, Outcome.Deferred d, Instant now) {
        Instant expiry = message.receivedAt().plus(schedule.maxLifetime());
        if (!now.isBefore(expiry)) return expired(r, d, now);
        QueuedRecipient later;
        if (d.interrupted()) later = interrupted(r, d, now, expiry);
        else if (d.notAttempted()) later = busyAgain(r, d, now, expiry);
        else later = retried(r, d, now, expiry);
        boolean delayDue = !schedule.delayNotice().isZero() && !r.delayNotified()
                && !now.isBefore(message.receivedAt().plus(schedule.delayNotice()));
        if (delayDue && Notices.wants(r, "DELAY")) {
            String why = d.notAttempted() ? notTried(r, d, false) : d.detail();
            notices.delayed.add(Notices.entry(later, DsnBuilder.Action.DELAYED, null, why, lastAttempt(d, now), null));
            later = later.withDelayNotified();
        }
        return later;
    }

    /** Deferred past the message's lifetime: failed, and reported to the sender as never delivered. */
    private QueuedRecipient expired(QueuedRecipient r, Outcome.Deferred d, Instant now) {
        busy.end(r);
        String why = "The message could not be delivered within " + DeliveryAttempt.human(schedule.maxLifetime()) + "; "
                + (d.notAttempted() ? notTried(r, d, true) : "the last attempt failed: " + d.detail());
        events.add(facts.event(now, TraceEvent.Type.FAIL, message.organizationId(), r.address().toString(), null, null,
                d.reply(), "expired: " + d.detail()));
        QueuedRecipient failed = d.notAttempted() ? r.withState(QueuedRecipient.State.FAILED, r.nextAttemptAt())
                : r.failed(d.reply());
        if (Notices.wants(r, "FAILURE")) {
            // never tried: no reply to give, and the status says why (RFC 3463 5.4.7, delivery time expired)
            boolean neverTried = d.notAttempted() && Notices.lastReply(r) == null;
            notices.failed.add(Notices.entry(failed, DsnBuilder.Action.FAILED, null, why, lastAttempt(d, now),
                    neverTried ? "5.4.7" : null));
        }
        return failed;
    }

    /** Stopped by the node shutting down: rare, so traced; the busy streak, if any, is neither ended nor grown. */
    private QueuedRecipient interrupted(QueuedRecipient r, Outcome.Deferred d, Instant now, Instant expiry) {
        Instant next = min(now.plus(schedule.firstRetry()), expiry);
        events.add(facts.fromEnvelope(now, TraceEvent.Type.DEFER, message.organizationId(), r.address().toString(),
                d.reply(), d.detail() + " (this node is shutting down); not counted as an attempt; next attempt at " + next));
        return r.withState(QueuedRecipient.State.QUEUED, next);
    }

    /** Not tried, the destination busy with our own other deliveries: one more in the recipient's busy streak. */
    private QueuedRecipient busyAgain(QueuedRecipient r, Outcome.Deferred d, Instant now, Instant expiry) {
        BusyBackoff.Deferral busyWait = busy.next(r, now);
        Instant next = min(now.plus(busyWait.delay()), expiry);
        if (busyWait.traced()) {
            events.add(facts.fromEnvelope(now, TraceEvent.Type.DEFER, message.organizationId(), r.address().toString(),
                    d.reply(), d.detail() + "; not counted as an attempt; next attempt at " + next
                            + " (while the destination stays busy, this is traced at most once in "
                            + DeliveryAttempt.human(schedule.maxRetry()) + ")"));
        }
        return r.withState(QueuedRecipient.State.QUEUED, next);
    }

    /** Deferred after trying: an attempt, so the wait doubles. */
    private QueuedRecipient retried(QueuedRecipient r, Outcome.Deferred d, Instant now, Instant expiry) {
        Instant next = min(now.plus(schedule.delayAfter(r.attempts() + 1)), expiry);
        events.add(facts.event(now, TraceEvent.Type.DEFER, message.organizationId(), r.address().toString(), null, null,
                d.reply(), d.detail() + "; next attempt at " + next));
        return r.deferred(d.reply(), next);
    }

    /**
     * The report's Last-Attempt-Date: now for a deferral after trying; none for one that was no attempt, as when
     * the last real attempt was is not kept.
     */
    private static Instant lastAttempt(Outcome.Deferred d, Instant now) {
        return d.notAttempted() ? null : now;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isAfter(b) ? b : a;
    }

    /**
     * For the sender, why a recipient was not tried this time ({@code expired}: nor will be): our own limit or our
     * shutdown, not anything the destination said. The reply of the last real attempt, if any, goes with it in the report.
     */
    private static String notTried(QueuedRecipient r, Outcome.Deferred d, boolean expired) {
        String cause = d.interrupted() ? "this mail system was shutting down"
                : "the receiving mail system " + (expired ? "was" : "is") + " busy with other mail from this system";
        return Notices.lastReply(r) == null ? "no delivery attempt could be made" + (expired ? "" : " yet") + ", as " + cause
                : "the last attempt was deferred (its reply is below), and " + (d.interrupted()
                        ? "the next one could not be made, as " + cause : "since then " + cause);
    }

    /** Which outbound connector chose the next hop, for the trace. */
    private static String via(Route route) {
        String connector = switch (route) {
            case Route.ToSmartHost s -> s.connector();
            case Route.ToMx mx -> mx.connector();
            case Route.ToMailbox ignored -> null;
            case Route.Refuse ignored -> null;
        };
        return connector == null ? "" : " (outbound connector " + connector + ")";
    }
}
