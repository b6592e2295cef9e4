package sluice.core.testing;

import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.queue.Spool;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A spool in memory for core's unit tests: same semantics as the SQL one, minus durability. */
public final class MemorySpool implements Spool {

    private final Map<QueueId, QueuedMessage> messages = new TreeMap<>();
    private final Map<QueueId, TreeMap<Integer, QueuedRecipient>> recipients = new TreeMap<>();
    private final List<QueuedMessage> history = new ArrayList<>();
    /** While true, {@link #update} fails as a store that cannot write would (tests of what survives that). */
    public volatile boolean refuseUpdates;

    @Override
    public synchronized void enqueue(QueuedMessage message, List<QueuedRecipient> rcpts) {
        messages.put(message.id(), message);
        history.add(message);
        TreeMap<Integer, QueuedRecipient> m = new TreeMap<>();
        rcpts.forEach(r -> m.put(r.index(), r));
        recipients.put(message.id(), m);
    }

    @Override
    public synchronized void update(Collection<QueuedRecipient> updates, Collection<Generated> generated) {
        if (refuseUpdates) throw new IllegalStateException("spool cannot write");
        for (QueuedRecipient r : updates) {
            var m = recipients.get(r.messageId());
            if (m != null) m.put(r.index(), r);
        }
        for (Generated g : generated) enqueue(g.message(), g.recipients());
        for (QueuedRecipient r : updates) {
            var m = recipients.get(r.messageId());
            if (m != null && m.values().stream().allMatch(QueuedRecipient::isFinal)) delete(r.messageId());
        }
    }

    @Override
    public synchronized Optional<QueuedMessage> message(QueueId id) {
        return Optional.ofNullable(messages.get(id));
    }

    /** Like the SQL spool: the content left out, so a caller that delivers this by mistake delivers nothing. */
    @Override
    public synchronized Optional<Envelope> envelope(QueueId id) {
        return Optional.ofNullable(messages.get(id)).map(m -> new Envelope(m.withContent(new byte[0]), m.content().length));
    }

    @Override
    public synchronized List<QueuedRecipient> recipients(QueueId id) {
        var m = recipients.get(id);
        return m == null ? List.of() : List.copyOf(m.values());
    }

    @Override
    public synchronized List<QueueId> pending() {
        return new ArrayList<>(messages.keySet());
    }

    @Override
    public synchronized void delete(QueueId id) {
        messages.remove(id);
        recipients.remove(id);
    }

    /** Every message ever enqueued, delivered ones included, in order. */
    public synchronized List<QueuedMessage> history() {
        return List.copyOf(history);
    }
}
