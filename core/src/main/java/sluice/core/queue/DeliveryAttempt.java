package sluice.core.queue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.QueuedRecipient;
import sluice.core.mail.QueuedMessage;
import sluice.core.deliver.Outcome;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.QueueId;
import sluice.core.route.Route;
import sluice.core.route.Router;
import sluice.core.trace.TraceEvent;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One delivery attempt of one queued message: routes every due recipient afresh, delivers per route,
 * and turns the outcomes into new recipient states, notifications (NDR, delay, success) and trace
 * events. Pure with respect to storage: the runner persists {@link Result} in one atomic step.
 */
final class DeliveryAttempt {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryAttempt.class);

    /**
     * What an attempt produced, to be stored atomically and then announced. {@code interrupted}: the
     * attempt stopped (interrupted, or the node closing) before every recipient was admitted; those
     * not admitted are not in {@code updates}, as they were, and due again.
     */
    record Result(List<QueuedRecipient> updates, List<Spool.Generated> generated, List<TraceEvent> events,
                  boolean interrupted) {
        Result(List<QueuedRecipient> updates, List<Spool.Generated> generated, List<TraceEvent> events) {
            this(updates, generated, events, false);
        }
    }

    /** Admits each delivery to a route: the runner bounds them per destination and per node. */
    interface Gate {
        /**
         * Runs {@code delivery} once admitted to the route's destination; may wait meanwhile. The delivery enters
         * the admission it is given (a node slot) for each transaction: a remote delivery only once it holds
         * a connection permit, so waiting for a busy server takes no node slot.
         */
        List<Outcome> deliver(Route route, DeliverySlots.Admitted<List<Outcome>> delivery)
                throws InterruptedException, DeliverySlots.Busy;
    }

    /**
     * RFC 5321 section 4.5.1 makes us accept postmaster mail; without smtp.postmaster it waits here (so setting
     * the key delivers it), then expires silently.
     */
    static final Outcome.Deferred NO_POSTMASTER = new Outcome.Deferred(
            "451 4.3.5 Held for the postmaster: this node has no postmaster address configured",
            "postmaster mail is held until smtp.postmaster is set in the node configuration");

    private final Router router;
    private final Transactions transactions;
    private final DsnBuilder dsn;
    private final RetrySchedule schedule;
    private final BusyBackoff busy;
    private final String hostname;

    DeliveryAttempt(Router router, MailboxDelivery mailboxes, RemoteDelivery remote, DsnBuilder dsn,
                    RetrySchedule schedule, String hostname) {
        this.router = router;
        this.transactions = new Transactions(mailboxes, remote);
        this.dsn = dsn;
        this.schedule = schedule;
        this.busy = new BusyBackoff(schedule);
        this.hostname = hostname;
    }

    /**
     * Forgets what is kept in memory about the message's recipients: it left the queue, was suspended or set aside,
     * or its attempt's result was lost (what the spool keeps of them is then older than what was kept here).
     */
    void forget(QueueId id) {
        busy.forget(id);
    }

    /** Recipients in a busy streak now ({@link BusyBackoff}). */
    int busyStreaks() {
        return busy.streaks();
    }

    /** Busy deferrals left out of the trace so far ({@link BusyBackoff}). */
    long untracedBusyDeferrals() {
        return busy.untraced();
    }

    /** Reports for this attempt, {@code reportOrganizationId}'s (null: the message's organization's). */
    private Notices notices(String reportOrganizationId) {
        return new Notices(dsn, schedule.maxLifetime(), hostname, reportOrganizationId);
    }

    /**
     * @param message the envelope: its content may be left out (empty), for it is never read
     * @param full    the message with its content; called only once a delivery is admitted, or when a report or the
     *                trace needs the content, so a message waiting for a slot need not hold its body
     * @param clock   read when the attempt starts (which recipients are due) and again as each transaction ends:
     *                a transaction may wait long for its slot, and what follows from its outcome (the trace's time,
     *                the next attempt, expiry, the delay notice) counts from when the outcome came
     * @return what was done; when interrupted while waiting for a slot, what was done until then (so deliveries
     *         made are recorded), the rest left as it was
     */
    Result run(QueuedMessage message, Supplier<QueuedMessage> full, List<QueuedRecipient> recipients, InstantSource clock,
               Gate gate) {
        return run(message, message.content().length, full, recipients, clock, gate);
    }

    /** {@link #run(QueuedMessage, Supplier, List, InstantSource, Gate)} for an envelope whose content is {@code size} long. */
    Result run(QueuedMessage message, long size, Supplier<QueuedMessage> full, List<QueuedRecipient> recipients,
               InstantSource clock, Gate gate) {
        Instant start = clock.instant();
        Notices notices = notices(null);
        List<QueuedRecipient> updates = new ArrayList<>();
        List<TraceEvent> events = new ArrayList<>();
        Facts facts = new Facts(message, size, full);
        RouteGroups groups = RouteGroups.of(router, message, recipients, start, facts, events);
        // Held postmaster mail sends no delay notice and no NDR: anyone may write to <postmaster> with a forged
        // sender, and the notices would be backscatter to that address. The trace keeps the DEFER and the FAIL.
        for (QueuedRecipient r : groups.held()) {
            busy.end(r); // not busy: held, whatever its destination was before
            updates.add(deferred(message, r, NO_POSTMASTER, start, facts, notices(null), events));
        }
        boolean interrupted = false;
        delivering:
        for (var e : groups.localFirst()) {
            for (List<QueuedRecipient> part : Transactions.split(e.getKey(), e.getValue())) {
                List<Outcome> outcomes;
                try {
                    outcomes = transactions.deliverOrDefer(message, e.getKey(), full, part, gate);
                } catch (InterruptedException stop) {
                    interrupted = true;
                    break delivering;
                }
                Instant now = clock.instant();
                for (int i = 0; i < outcomes.size(); i++) {
                    QueuedRecipient r = part.get(i);
                    QueuedRecipient updated = apply(message, r, outcomes.get(i), e.getKey(), now, facts, notices, events);
                    updates.add(groups.asReceived(updated));
                }
            }
        }
        return new Result(updates, notices.generate(message, orEnvelope(message, full), clock.instant(), events, facts),
                events, interrupted);
    }

    /**
     * The message for the reports, or its envelope when the body can no longer be read (a store error after the
     * deliveries): the reports then return none of the original, but what was delivered is still recorded, and
     * nobody gets a second copy for a report's sake.
     */
    private static Supplier<QueuedMessage> orEnvelope(QueuedMessage envelope, Supplier<QueuedMessage> full) {
        QueuedMessage[] read = new QueuedMessage[1];
        return () -> {
            if (read[0] == null) {
                try {
                    read[0] = full.get();
                } catch (RuntimeException e) {
                    LOG.error("queue: the body of {} could not be read for its reports; they go out without it", envelope.id(), e);
                    read[0] = envelope;
                }
            }
            return read[0];
        };
    }

    /** Fails every recipient not yet final with {@code why} (administrative removal), with the usual NDR. */
    Result failAll(QueuedMessage message, List<QueuedRecipient> recipients, Instant now, Outcome.Bounced why) {
        Notices notices = notices(null);
        List<QueuedRecipient> updates = new ArrayList<>();
        List<TraceEvent> events = new ArrayList<>();
        Facts facts = new Facts(() -> message);
        for (QueuedRecipient r : recipients) {
            if (r.isFinal()) continue;
            updates.add(apply(message, r, why, null, now, facts, notices, events)); // no route: the removal's words go to the sender
        }
        return new Result(updates, notices.generate(message, () -> message, now, events, facts), events);
    }

    /**
     * The non-delivery report for recipients refused while their message was received, whose sender
     * must still hear of it (the receiver accepted the message for others). The receiver traced their
     * FAIL; {@code why} is for the sender, so it says nothing the recipients' organization keeps private.
     * The report is {@code senderOrganizationId}'s mail: it is routed and traced there, where its
     * recipient is; the DSN events stay with the refused recipients' organization.
     */
    Result refusedAtReceipt(QueuedMessage message, List<QueuedRecipient> recipients, String reply, String why,
                            String senderOrganizationId, Instant now) {
        Notices notices = notices(senderOrganizationId);
        List<TraceEvent> events = new ArrayList<>();
        for (QueuedRecipient r : recipients) {
            if (Notices.wants(r, "FAILURE")) notices.failed.add(Notices.entry(r.failed(reply), DsnBuilder.Action.FAILED, null, why, now));
        }
        Facts facts = new Facts(() -> message);
        return new Result(List.of(), notices.generate(message, () -> message, now, events, facts), events);
    }

    private QueuedRecipient apply(QueuedMessage m, QueuedRecipient r, Outcome outcome, Route route, Instant now,
                                  Facts facts, Notices notices, List<TraceEvent> events) {
        if (!(outcome instanceof Outcome.Deferred d && d.notAttempted())) busy.end(r);
        String org = m.organizationId();
        String rcpt = r.address().toString();
        return switch (outcome) {
            case Outcome.Delivered d -> {
                boolean local = route instanceof Route.ToMailbox;
                // RFC 3461 section 5.2: a DSN-capable next hop got NOTIFY and reports success itself; a
                // "relayed" notice from us as well would tell the sender twice
                boolean successWanted = r.notifyOn().contains("SUCCESS");
                String handedOver = successWanted && d.nextHopHandlesDsn()
                        ? "; success notice left to " + d.remoteHost() + ", which supports DSN" : "";
                events.add(facts.event(now, local ? TraceEvent.Type.DELIVER : TraceEvent.Type.SEND, org, rcpt,
                        local ? null : d.remoteHost(), d.tls(), d.reply(), d.detail() + via(route) + handedOver));
                QueuedRecipient done = r.delivered(d.reply());
                if (successWanted && !d.nextHopHandlesDsn()) {
                    notices.success.add(Notices.entry(done, local ? DsnBuilder.Action.DELIVERED : DsnBuilder.Action.RELAYED,
                            local ? null : d.remoteHost(), null, now));
                }
                yield done;
            }
            case Outcome.Bounced b -> {
                events.add(facts.event(now, TraceEvent.Type.FAIL, org, rcpt, null, null, b.reply(), b.detail()));
                QueuedRecipient failed = r.failed(b.reply());
                // A refused route's reason is for the trace only (connector names, how domains are set up): the sender's
                // report says what the reply says.
                String forSender = route instanceof Route.Refuse ? null : b.detail();
                if (Notices.wants(r, "FAILURE")) notices.failed.add(Notices.entry(failed, DsnBuilder.Action.FAILED, b.remoteHost(), forSender, now));
                yield failed;
            }
            case Outcome.Deferred d -> deferred(m, r, d, now, facts, notices, events);
        };
    }

    /**
     * A deferral after trying counts as an attempt: the wait doubles, and the recipient keeps the reply. One that
     * was not even tried ({@link Outcome.Deferred#notAttempted}: the destination busy with our own other
     * deliveries) counts nothing and keeps the reply of the last real attempt, which is what its notices quote; it
     * waits as {@link BusyBackoff} says, and its DEFER is traced only when a streak of them begins (then at most
     * once per longest delay), built without reading the message. Either way the recipient fails once the message's
     * lifetime is over.
     */
    private QueuedRecipient deferred(QueuedMessage m, QueuedRecipient r, Outcome.Deferred d, Instant now,
                                     Facts facts, Notices notices, List<TraceEvent> events) {
        String org = m.organizationId();
        String rcpt = r.address().toString();
        Instant expiry = m.receivedAt().plus(schedule.maxLifetime());
        if (!now.isBefore(expiry)) {
            busy.end(r);
            String why = "The message could not be delivered within " + human(schedule.maxLifetime()) + "; "
                    + (d.notAttempted() ? notTried(r, d, true) : "the last attempt failed: " + d.detail());
            events.add(facts.event(now, TraceEvent.Type.FAIL, org, rcpt, null, null, d.reply(), "expired: " + d.detail()));
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
        QueuedRecipient later;
        if (d.interrupted()) { // rare, so traced; the busy streak, if any, is neither ended nor grown
            Instant next = min(now.plus(schedule.firstRetry()), expiry);
            events.add(facts.fromEnvelope(now, TraceEvent.Type.DEFER, org, rcpt, d.reply(), d.detail()
                    + " (this node is shutting down); not counted as an attempt; next attempt at " + next));
            later = r.withState(QueuedRecipient.State.QUEUED, next);
        } else if (d.notAttempted()) {
            BusyBackoff.Deferral busyWait = busy.next(r, now);
            Instant next = min(now.plus(busyWait.delay()), expiry);
            if (busyWait.traced()) {
                events.add(facts.fromEnvelope(now, TraceEvent.Type.DEFER, org, rcpt, d.reply(), d.detail()
                        + "; not counted as an attempt; next attempt at " + next + " (while the destination stays busy,"
                        + " this is traced at most once in " + human(schedule.maxRetry()) + ")"));
            }
            later = r.withState(QueuedRecipient.State.QUEUED, next);
        } else {
            Instant next = min(now.plus(schedule.delayAfter(r.attempts() + 1)), expiry);
            events.add(facts.event(now, TraceEvent.Type.DEFER, org, rcpt, null, null, d.reply(), d.detail()
                    + "; next attempt at " + next));
            later = r.deferred(d.reply(), next);
        }
        boolean delayDue = !schedule.delayNotice().isZero() && !r.delayNotified()
                && !now.isBefore(m.receivedAt().plus(schedule.delayNotice()));
        if (delayDue && Notices.wants(r, "DELAY")) {
            String why = d.notAttempted() ? notTried(r, d, false) : d.detail();
            notices.delayed.add(Notices.entry(later, DsnBuilder.Action.DELAYED, null, why, lastAttempt(d, now), null));
            later = later.withDelayNotified();
        }
        return later;
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

    /** "24 hours", "90 minutes", "3 seconds": the largest unit that states the lifetime exactly. */
    static String human(java.time.Duration d) {
        boolean wholeMinutes = d.toSecondsPart() == 0 && d.toNanosPart() == 0;
        if (wholeMinutes && d.toMinutesPart() == 0 && d.toHours() >= 1) return plural(d.toHours(), "hour");
        if (wholeMinutes && d.toMinutes() >= 1) return plural(d.toMinutes(), "minute");
        return plural(d.toSeconds(), "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
