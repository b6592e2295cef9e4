package sluice.admin.testing;

import sluice.core.mail.QueueId;
import sluice.core.queue.QueueAdmin;
import sluice.core.mail.QueuedRecipient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link QueueAdmin} over a sorted map; records removals so tests can check the NDR choice. */
public final class InMemoryQueueAdmin implements QueueAdmin {

    private final TreeMap<QueueId, Entry> entries = new TreeMap<>();
    private final List<String> removals = new ArrayList<>();
    private final java.util.Set<QueueId> busy = new java.util.HashSet<>();
    private final Instant now;

    /** @param now what "due now" means for {@link #retryNow} */
    public InMemoryQueueAdmin(Instant now) {
        this.now = now;
    }

    public synchronized void add(Entry entry) {
        entries.put(entry.id(), entry);
    }

    @Override
    public synchronized List<Entry> list(List<String> organizationIds, int limit) {
        return entries.values().stream()
                .filter(e -> organizationIds == null || e.organizationId() != null && organizationIds.contains(e.organizationId()))
                .limit(limit).toList();
    }

    @Override
    public synchronized Optional<Entry> get(QueueId id) {
        return Optional.ofNullable(entries.get(id));
    }

    @Override
    public synchronized boolean retryNow(QueueId id) {
        Entry e = entries.get(id);
        if (e == null) return false;
        List<QueuedRecipient> due = e.recipients().stream()
                .map(r -> r.state() == QueuedRecipient.State.QUEUED ? r.withState(QueuedRecipient.State.QUEUED, now) : r)
                .toList();
        entries.put(id, new Entry(e.id(), e.networkMessageId(), e.organizationId(), e.sender(), e.receivedAt(), e.size(), due));
        return true;
    }

    @Override
    public synchronized Change suspend(QueueId id) {
        return move(id, QueuedRecipient.State.QUEUED, QueuedRecipient.State.SUSPENDED);
    }

    @Override
    public synchronized Change resume(QueueId id) {
        return move(id, QueuedRecipient.State.SUSPENDED, QueuedRecipient.State.QUEUED);
    }

    private Change move(QueueId id, QueuedRecipient.State from, QueuedRecipient.State to) {
        Entry e = entries.get(id);
        if (e == null) return Change.NOT_QUEUED;
        if (e.recipients().stream().noneMatch(r -> r.state() == from)) return Change.NOTHING_TO_CHANGE;
        List<QueuedRecipient> moved = e.recipients().stream()
                .map(r -> r.state() == from ? r.withState(to, now) : r).toList();
        entries.put(id, new Entry(e.id(), e.networkMessageId(), e.organizationId(), e.sender(), e.receivedAt(), e.size(), moved));
        return Change.DONE;
    }

    @Override
    public synchronized Change remove(QueueId id, boolean ndr) {
        if (busy.contains(id)) return Change.BUSY;
        if (entries.remove(id) == null) return Change.NOT_QUEUED;
        removals.add(id + (ndr ? " with NDR" : " without NDR"));
        return Change.DONE;
    }

    /** From now on, {@code id} is being delivered: changes to it answer BUSY. */
    public synchronized void attempting(QueueId id) {
        busy.add(id);
    }

    public synchronized List<String> removals() {
        return List.copyOf(removals);
    }
}
