package sluice.core.queue;

import sluice.core.mail.QueuedRecipient;
import sluice.core.mail.QueuedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.deliver.mailbox.MailboxDelivery;
import sluice.core.deliver.remote.RemoteDelivery;
import sluice.core.mail.QueueId;
import sluice.core.route.Router;
import sluice.core.trace.MessageFacts;
import sluice.core.trace.Trace;
import sluice.core.trace.TraceEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The queue manager: delivers new messages at once, keeps a schedule of deferred ones (in memory;
 * the spool is the truth and the schedule is rebuilt from it at start-up), and applies each
 * attempt's result to the spool in one atomic step before announcing it in the trace.
 *
 * <p>Time comes from the injected clock and work runs on the injected executor, so tests drive
 * retries and expiry by moving the clock and calling {@link #runDue()} on a direct executor.
 *
 * <p>The administrator's operations ({@link QueueAdmin}) are {@link QueueAdministration}'s; the runner
 * hands them on, and lends that class the in-flight handshake ({@link InFlight}) and the schedule
 * ({@link Schedule}) through package-private methods. One attempt is {@link DeliveryAttempt}'s, with the
 * message's {@link Body} read only while a delivery runs; {@link AttemptRunner} runs it on the executor, and
 * {@link AttemptRecorder} stores its result.
 */
public final class QueueRunner implements QueueAdmin, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueRunner.class);

    /** When to look again at a due message that an attempt or an admin change holds. */
    private static final Duration HELD_RETRY = Duration.ofSeconds(5);

    private final Spool spool;
    private final Trace trace;
    private final InstantSource clock;
    private final Executor executor;
    private final DeliverySlots slots;
    private final DeliveryAttempt attempt;
    private final String hostname;

    private final Schedule schedule = new Schedule();
    private final InFlight inFlight;
    private final AtomicBoolean running = new AtomicBoolean();
    private final QueueAdministration admin;
    private final AttemptRecorder recorder;
    private final AttemptRunner attempts;
    private Thread ticker;

    /** A runner whose destinations may each take every delivery slot of the node (tests of other concerns). */
    public QueueRunner(Spool spool, Router router, MailboxDelivery mailboxes, RemoteDelivery remote, DsnBuilder dsn,
                       Trace trace, InstantSource clock, Executor executor, RetrySchedule retry,
                       int maxConcurrentDeliveries, String hostname) {
        this(spool, router, mailboxes, remote, dsn, trace, clock, executor, retry, maxConcurrentDeliveries,
                maxConcurrentDeliveries, hostname);
    }

    /** A runner that waits {@link #DEFAULT_DESTINATION_WAIT} for a destination's share. */
    public QueueRunner(Spool spool, Router router, MailboxDelivery mailboxes, RemoteDelivery remote, DsnBuilder dsn,
                       Trace trace, InstantSource clock, Executor executor, RetrySchedule retry,
                       int maxConcurrentDeliveries, int maxDeliveriesPerDestination, String hostname) {
        this(spool, router, mailboxes, remote, dsn, trace, clock, executor, retry, maxConcurrentDeliveries,
                maxDeliveriesPerDestination, DEFAULT_DESTINATION_WAIT, hostname);
    }

    /** How long a delivery waits for its destination's share unless told otherwise (see {@link DeliverySlots}). */
    public static final Duration DEFAULT_DESTINATION_WAIT = DeliverySlots.DEFAULT_DESTINATION_WAIT;

    /**
     * @param maxConcurrentDeliveries   deliveries at once on this node
     * @param maxDeliveriesPerDestination deliveries at once to one destination (see {@link DeliverySlots}); below
     *                                  {@code maxConcurrentDeliveries}, or one stalled destination can take them all
     * @param destinationWait           how long a delivery waits for its destination's share; past it, its
     *                                  recipients are deferred (4.4.5, not counted as an attempt)
     */
    public QueueRunner(Spool spool, Router router, MailboxDelivery mailboxes, RemoteDelivery remote, DsnBuilder dsn,
                       Trace trace, InstantSource clock, Executor executor, RetrySchedule retry,
                       int maxConcurrentDeliveries, int maxDeliveriesPerDestination, Duration destinationWait,
                       String hostname) {
        this.spool = spool;
        this.trace = trace;
        this.clock = clock;
        this.executor = executor;
        this.slots = new DeliverySlots(maxConcurrentDeliveries, maxDeliveriesPerDestination, destinationWait);
        this.inFlight = new InFlight(slots);
        this.attempt = new DeliveryAttempt(router, mailboxes, remote, dsn, retry, hostname);
        this.hostname = hostname;
        this.admin = new QueueAdministration(this, spool, trace, clock, attempt);
        UnexpectedFailures failures = new UnexpectedFailures(this, spool, trace, clock, retry);
        this.recorder = new AttemptRecorder(this, spool, trace, clock, schedule, inFlight, attempt, failures);
        this.attempts = new AttemptRunner(spool, clock, slots, inFlight, attempt, schedule, failures, recorder);
    }

    /** Rebuilds the schedule from the spool and starts the timer that runs due retries. */
    public void start() {
        List<QueueId> pending = spool.pending();
        for (QueueId id : pending) schedule.putFirstDue(id, spool.recipients(id));
        LOG.info("queue: {} message(s) pending at start", pending.size());
        running.set(true);
        ticker = Thread.ofPlatform().name("queue-ticker").daemon().start(() -> {
            while (running.get()) {
                try {
                    runDue();
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.error("queue ticker", e);
                }
            }
        });
    }

    /**
     * A message just made durable by the receiver: deliver it now, without reading it back. Only the
     * attempt's {@link Body} keeps the content, so it is let go should the attempt wait for a slot.
     */
    public void submit(QueuedMessage message, List<QueuedRecipient> recipients) {
        if (!inFlight.claim(message.id())) return;
        Body body = Body.received(spool, message);
        executor.execute(() -> attempts.run(body, recipients));
    }

    /** Starts every message whose time has come; returns how many were started. */
    public int runDue() {
        Instant now = clock.instant();
        int started = 0;
        for (QueueId due = schedule.takeDue(now); due != null; due = schedule.takeDue(now)) {
            QueueId id = due;
            AttemptRecorder.Unrecorded u = recorder.takeUnrecorded(id);
            if (u != null) { // still in flight: only its result is due to be written again
                executor.execute(() -> recorder.record(u));
                continue;
            }
            if (!inFlight.claim(id)) {
                // An attempt or an admin change holds it. An attempt reschedules it when it ends, but a change
                // that changes nothing does not, and the attempt may have rescheduled just before letting go:
                // try again shortly rather than lose the retry (and the expiry) until the next start.
                schedule.putIfAbsent(id, now.plus(HELD_RETRY));
                continue;
            }
            started++;
            executor.execute(() -> attempts.due(id));
        }
        return started;
    }

    /** Reports to store with other messages, then to {@link #announce}: what they say is traced only once they are stored. */
    public record Reports(QueuedMessage cause, List<Spool.Generated> messages, List<TraceEvent> events) {
        public Reports {
            messages = List.copyOf(messages);
            events = List.copyOf(events);
        }
    }

    /**
     * The non-delivery report for recipients refused while {@code message} was received although the
     * transaction was accepted for others, so the sender hears of them only this way. The report is the
     * sender's organization's mail. Nothing is stored: the caller stores {@link Reports#messages()}
     * (with what else it stores), then calls {@link #announce}.
     */
    public Reports refusedAtReceipt(QueuedMessage message, List<QueuedRecipient> recipients, String reply, String why,
                                    String senderOrganizationId, Instant now) {
        DeliveryAttempt.Result r = attempt.refusedAtReceipt(message, recipients, reply, why, senderOrganizationId, now);
        return new Reports(message, r.generated(), r.events());
    }

    /** Stored reports: traced (DSN events, the report's RECEIVE) and delivered. */
    public void announce(Reports reports) {
        reports.events().forEach(trace::record);
        for (Spool.Generated g : reports.messages()) announceGenerated(reports.cause(), g);
    }

    void announceGenerated(QueuedMessage cause, Spool.Generated g) {
        QueuedMessage m = g.message();
        MessageFacts facts = MessageFacts.of(m.networkId(), m.id(), "", m.content());
        for (QueuedRecipient r : g.recipients()) {
            trace.record(facts.event(m.receivedAt(), TraceEvent.Type.RECEIVE, m.organizationId(), r.address().toString(),
                    null, null, null, "generated by " + hostname + " about message " + cause.networkId()));
        }
        submit(m, g.recipients());
    }

    /** Schedules {@code id} at {@code at}, instead of when it was scheduled ({@link Schedule#put}). */
    void scheduleAt(QueueId id, Instant at) {
        schedule.put(id, at);
    }

    /** Number of messages waiting for a retry (for health and metrics). */
    public int scheduledCount() {
        return schedule.size();
    }

    /** Recipients in a busy streak now, kept in memory. */
    int busyStreaks() {
        return attempt.busyStreaks();
    }

    /**
     * Busy deferrals (4.4.5, no attempt) left out of the trace since the start: a recipient's first busy deferral
     * in a row is traced, then one at most per {@link RetrySchedule#maxRetry()} (for metrics).
     */
    public long untracedBusyDeferrals() {
        return attempt.untracedBusyDeferrals();
    }

    /** Deliveries running now. */
    public int inFlightCount() {
        return inFlight.size();
    }

    /** How long {@link #close} waits for deliveries in progress to end and be recorded. */
    private static final Duration DRAIN = Duration.ofSeconds(30);

    /**
     * Stops running due retries and admitting deliveries: attempts waiting for a slot stop there and
     * record what they delivered (the rest is due again at the next start). Waits up to 30 s for
     * deliveries in progress to end and be recorded, then says which outcomes could not be written.
     */
    @Override
    public void close() {
        running.set(false);
        slots.close();
        if (ticker != null) ticker.interrupt();
        recorder.drain(DRAIN);
    }

    // ---- QueueAdmin: the administrator's operations, in QueueAdministration ----

    @Override
    public List<Entry> list(List<String> organizationIds, int limit) {
        return admin.list(organizationIds, limit);
    }

    @Override
    public Optional<Entry> get(QueueId id) {
        return admin.get(id);
    }

    @Override
    public boolean retryNow(QueueId id) {
        return admin.retryNow(id);
    }

    @Override
    public Change suspend(QueueId id) {
        return admin.suspend(id);
    }

    @Override
    public Change resume(QueueId id) {
        return admin.resume(id);
    }

    @Override
    public Change remove(QueueId id, boolean ndr) {
        return admin.remove(id, ndr);
    }

    // ---- The handshake QueueAdministration holds a message with while it changes it ----

    /** Takes the message's in-flight slot; false while an attempt (or another change) holds it. */
    boolean claim(QueueId id) {
        return inFlight.claim(id);
    }

    /** Lets go of the in-flight slot taken with {@link #claim}. */
    void release(QueueId id) {
        inFlight.release(id);
    }

    /** Asks the attempt running for the message, if any, to stop at its next admission ({@link InFlight#askToStop}). */
    void askToStop(QueueId id) {
        inFlight.askToStop(id);
    }

    /** Drops the message's retry, if any (suspended, set aside, or removed), and what is kept of its busy streaks. */
    void unschedule(QueueId id) {
        schedule.remove(id);
        attempt.forget(id);
    }
}
