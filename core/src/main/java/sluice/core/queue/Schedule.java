package sluice.core.queue;

import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedRecipient;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * When each waiting message is due next: at most one time per message, taken in time order. In memory only:
 * the spool is the truth, and {@link QueueRunner#start} rebuilds it from there. Changes are atomic per message,
 * so concurrent callers (an attempt ending, an admin change, the ticker) cannot leave two entries, or none,
 * for one message.
 */
final class Schedule {

    private record Due(Instant at, QueueId id) {
    }

    private final ConcurrentSkipListSet<Due> byTime =
            new ConcurrentSkipListSet<>(Comparator.comparing(Due::at).thenComparing(Due::id));
    private final Map<QueueId, Instant> byMessage = new ConcurrentHashMap<>();

    /** Schedules {@code id} at {@code at}, instead of when it was scheduled, if it was. */
    void put(QueueId id, Instant at) {
        byMessage.compute(id, (k, old) -> {
            if (old != null) byTime.remove(new Due(old, k));
            byTime.add(new Due(at, k));
            return at;
        });
    }

    /** Schedules {@code id} at {@code at} unless it is scheduled already (whoever scheduled it knew better). */
    void putIfAbsent(QueueId id, Instant at) {
        byMessage.computeIfAbsent(id, k -> {
            byTime.add(new Due(at, k));
            return at;
        });
    }

    /** Schedules {@code id} when the first of its waiting recipients is due; as it was when none waits. */
    void putFirstDue(QueueId id, Collection<QueuedRecipient> recipients) {
        recipients.stream().filter(r -> r.state() == QueuedRecipient.State.QUEUED)
                .map(QueuedRecipient::nextAttemptAt).min(Comparator.naturalOrder())
                .ifPresent(at -> put(id, at));
    }

    /** Drops {@code id}'s time, if it has one. */
    void remove(QueueId id) {
        byMessage.computeIfPresent(id, (k, at) -> {
            byTime.remove(new Due(at, k));
            return null;
        });
    }

    /** Takes off the schedule a message due at {@code now} or before, the earliest; null when none is due. */
    QueueId takeDue(Instant now) {
        for (Due d = first(); d != null && !d.at().isAfter(now); d = first()) {
            if (!byTime.remove(d)) continue; // another caller took it, or it was moved meanwhile
            byMessage.remove(d.id(), d.at());
            return d.id();
        }
        return null;
    }

    private Due first() {
        return byTime.isEmpty() ? null : byTime.first();
    }

    /** Messages scheduled. */
    int size() {
        return byMessage.size();
    }
}
