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
 * One delivery attempt of one queued message: routes every due recipient afresh ({@link RouteGroups}), delivers per
 * route ({@link Transactions}), and turns the outcomes into new recipient states, notifications (NDR, delay, success)
 * and trace events ({@link RecipientOutcomes}). Pure with respect to storage: the runner persists {@link Result} in
 * one atomic step.
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

    /** What the outcomes make of the recipients of {@code message}, collected into {@code notices} and {@code events}. */
    private RecipientOutcomes outcomes(QueuedMessage message, Facts facts, Notices notices, List<TraceEvent> events) {
        return new RecipientOutcomes(schedule, busy, message, facts, notices, events);
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
        RecipientOutcomes unannounced = outcomes(message, facts, notices(null), events); // its notices are never sent
        for (QueuedRecipient r : groups.held()) updates.add(unannounced.held(r, start));
        RecipientOutcomes outcomes = outcomes(message, facts, notices, events);
        boolean interrupted = false;
        delivering:
        for (var e : groups.localFirst()) {
            for (List<QueuedRecipient> part : Transactions.split(e.getKey(), e.getValue())) {
                List<Outcome> done;
                try {
                    done = transactions.deliverOrDefer(message, e.getKey(), full, part, gate);
                } catch (InterruptedException stop) {
                    interrupted = true;
                    break delivering;
                }
                Instant now = clock.instant();
                for (int i = 0; i < done.size(); i++) {
                    updates.add(groups.asReceived(outcomes.apply(part.get(i), done.get(i), e.getKey(), now)));
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
        RecipientOutcomes outcomes = outcomes(message, facts, notices, events);
        for (QueuedRecipient r : recipients) {
            if (r.isFinal()) continue;
            updates.add(outcomes.apply(r, why, null, now)); // no route: the removal's words go to the sender
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
