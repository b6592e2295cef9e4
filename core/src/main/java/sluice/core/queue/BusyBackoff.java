package sluice.core.queue;

import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedRecipient;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The waits of a recipient whose destination stays busy with our own other deliveries (4.4.5, no attempt:
 * {@link sluice.core.deliver.Outcome.Deferred#notAttempted}). Such a deferral counts no attempt, but polling at
 * the first delay for the whole lifetime would read and trace the message every minute for a day; so a streak of
 * them backs off on its own: the wait doubles from the schedule's first delay up to {@link #CAP} (or its longest
 * delay, if shorter), less a spread of up to a quarter taken from the queue id, so a backlog that was busy at once
 * is not tried again all at once. The first busy deferral of a streak is traced, then one at most each longest
 * delay; the others are only counted ({@link #untraced}).
 *
 * <p>In memory only: nothing stored tells how long a recipient has been busy (its attempts and last reply stay as
 * its last real attempt left them), so after a restart a streak starts again at the first delay. One attempt per
 * message runs at a time, so one recipient's streak is never changed by two callers at once.
 */
final class BusyBackoff {

    /** The longest wait between two busy deferrals: a destination that frees up is tried again within it. */
    static final Duration CAP = Duration.ofMinutes(10);

    /** {@code deferrals} in a row so far, the last traced at {@code traced}. */
    private record Streak(int deferrals, Instant traced) {
    }

    /** One more busy deferral: how long the recipient waits, and whether the trace shows it. */
    record Deferral(Duration delay, boolean traced) {
    }

    private final RetrySchedule schedule;
    private final Duration cap;
    /** Per message, per recipient index: so that a message leaving the queue is forgotten at once. */
    private final Map<QueueId, Map<Integer, Streak>> streaks = new ConcurrentHashMap<>();
    private final AtomicLong untraced = new AtomicLong();

    BusyBackoff(RetrySchedule schedule) {
        this.schedule = schedule;
        this.cap = schedule.maxRetry().compareTo(CAP) < 0 ? schedule.maxRetry() : CAP;
    }

    /** {@code r} deferred busy at {@code now}, once more. */
    Deferral next(QueuedRecipient r, Instant now) {
        Map<Integer, Streak> ofMessage = streaks.computeIfAbsent(r.messageId(), k -> new ConcurrentHashMap<>());
        Streak before = ofMessage.get(r.index());
        int n = before == null ? 0 : before.deferrals();
        boolean traced = before == null || !now.isBefore(before.traced().plus(schedule.maxRetry()));
        ofMessage.put(r.index(), new Streak(n + 1, traced ? now : before.traced()));
        if (!traced) untraced.incrementAndGet();
        return new Deferral(delay(r, n), traced);
    }

    /** {@code r}'s streak is over: it was attempted, or is final. */
    void end(QueuedRecipient r) {
        streaks.computeIfPresent(r.messageId(), (id, ofMessage) -> {
            ofMessage.remove(r.index());
            return ofMessage.isEmpty() ? null : ofMessage;
        });
    }

    /** The message left the queue, or no attempt of it runs for now (suspended, set aside, its attempt lost). */
    void forget(QueueId message) {
        streaks.remove(message);
    }

    /** Recipients in a streak now. */
    int streaks() {
        return streaks.values().stream().mapToInt(Map::size).sum();
    }

    /** Busy deferrals left out of the trace. */
    long untraced() {
        return untraced.get();
    }

    /** After {@code n} busy deferrals in a row: the doubled first delay, capped, less up to a quarter. */
    Duration delay(QueuedRecipient r, int n) {
        Duration base = schedule.firstRetry().multipliedBy(1L << Math.min(n, 30));
        if (base.compareTo(cap) > 0) base = cap;
        double spread = new SplittableRandom(r.messageId().value().hashCode() * 31L + r.index() * 1_000_003L + n).nextDouble();
        return base.minusMillis((long) (base.toMillis() * spread / 4));
    }
}
