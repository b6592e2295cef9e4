package sluice.core.queue;

import sluice.core.mail.QueuedRecipient;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueueId;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The durable queue: the contract between receiving and delivering.
 *
 * <p>Every write method returns only once its change is on stable storage (synced), and each call is
 * atomic. Implementations share one sync among concurrent callers (group commit), so callers on many
 * threads should call concurrently rather than batch themselves.
 */
public interface Spool {

    /** Stores a new message and all its recipients in one atomic, synced step. */
    void enqueue(QueuedMessage message, List<QueuedRecipient> recipients);

    /**
     * Stores several new messages, each with all its recipients, in one atomic, synced step: all of
     * them or none (the copies of one bifurcated message, with the reports that go with them).
     */
    default void enqueue(Collection<Generated> messages) {
        update(List.of(), messages);
    }

    /**
     * Records new recipient states (delivered, failed, deferred, suspended) and, in the same atomic
     * step, enqueues any generated messages (NDRs, delay notices). A message whose recipients are all
     * final is removed.
     */
    void update(Collection<QueuedRecipient> recipients, Collection<Generated> generated);

    /** The message without content look-ups: envelope and metadata, with content loaded. */
    Optional<QueuedMessage> message(QueueId id);

    /**
     * The message without reading its content. For scheduling and listing, which must not bring a whole
     * backlog's bodies into memory; read the content with {@link #message} once it is needed.
     */
    Optional<Envelope> envelope(QueueId id);

    /** All recipients of a message, final ones included while the message is still queued. */
    List<QueuedRecipient> recipients(QueueId id);

    /** Every message that still has a non-final recipient, oldest first: used at start-up to resume. */
    List<QueueId> pending();

    /** Removes a message and its recipients at once (admin delete). */
    void delete(QueueId id);

    /**
     * A queued message without its content.
     *
     * @param message envelope and metadata; its {@link QueuedMessage#content()} is empty
     * @param size    the content's length in bytes
     */
    record Envelope(QueuedMessage message, long size) {
        public Envelope {
            if (message.content().length != 0) throw new IllegalArgumentException("an envelope has no content");
        }
    }

    /** A message generated while updating, to be enqueued in the same atomic step. */
    record Generated(QueuedMessage message, List<QueuedRecipient> recipients) {
        public Generated {
            recipients = List.copyOf(recipients);
        }
    }
}
