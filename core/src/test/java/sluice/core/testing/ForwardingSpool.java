package sluice.core.testing;

import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.queue.Spool;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** A {@link MemorySpool} to extend: a scenario overrides the calls it counts, fails or interleaves with. */
public class ForwardingSpool implements Spool {

    protected final MemorySpool delegate = new MemorySpool();

    @Override
    public void enqueue(QueuedMessage message, List<QueuedRecipient> recipients) {
        delegate.enqueue(message, recipients);
    }

    @Override
    public void update(Collection<QueuedRecipient> recipients, Collection<Generated> generated) {
        delegate.update(recipients, generated);
    }

    @Override
    public Optional<QueuedMessage> message(QueueId id) {
        return delegate.message(id);
    }

    @Override
    public Optional<Envelope> envelope(QueueId id) {
        return delegate.envelope(id);
    }

    @Override
    public List<QueuedRecipient> recipients(QueueId id) {
        return delegate.recipients(id);
    }

    @Override
    public List<QueueId> pending() {
        return delegate.pending();
    }

    @Override
    public void delete(QueueId id) {
        delegate.delete(id);
    }
}
