package sluice.core.mail;


import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The durable delivery state of one recipient of one queued message.
 *
 * @param index         position within the message (stable key together with the message id)
 * @param notify        RFC 3461 NOTIFY keywords (upper case); empty means the default (FAILURE, DELAY)
 * @param orcpt         RFC 3461 ORCPT as received, or null
 * @param attempts      delivery attempts made so far
 * @param nextAttemptAt when the recipient is due; meaningful only while {@link State#QUEUED}
 * @param lastReply     the last remote reply or local reason, or null
 * @param delayNotified true once a delay notice was sent for this recipient
 */
public record QueuedRecipient(QueueId messageId, int index, Address address, Set<String> notifyOn, String orcpt,
                              State state, int attempts, Instant nextAttemptAt, String lastReply,
                              boolean delayNotified) {

    public enum State { QUEUED, DELIVERED, FAILED, SUSPENDED }

    public QueuedRecipient {
        Objects.requireNonNull(messageId);
        Objects.requireNonNull(address);
        notifyOn = Set.copyOf(notifyOn);
        Objects.requireNonNull(state);
        Objects.requireNonNull(nextAttemptAt);
    }

    public boolean isFinal() {
        return state == State.DELIVERED || state == State.FAILED;
    }

    public QueuedRecipient delivered(String reply) {
        return new QueuedRecipient(messageId, index, address, notifyOn, orcpt, State.DELIVERED, attempts + 1, nextAttemptAt, reply, delayNotified);
    }

    public QueuedRecipient failed(String reply) {
        return new QueuedRecipient(messageId, index, address, notifyOn, orcpt, State.FAILED, attempts + 1, nextAttemptAt, reply, delayNotified);
    }

    public QueuedRecipient deferred(String reply, Instant next) {
        return new QueuedRecipient(messageId, index, address, notifyOn, orcpt, State.QUEUED, attempts + 1, next, reply, delayNotified);
    }

    public QueuedRecipient withDelayNotified() {
        return new QueuedRecipient(messageId, index, address, notifyOn, orcpt, state, attempts, nextAttemptAt, lastReply, true);
    }

    /** The same recipient delivered to {@code to} instead (a stand-in such as the node's postmaster). */
    public QueuedRecipient withAddress(Address to) {
        return new QueuedRecipient(messageId, index, to, notifyOn, orcpt, state, attempts, nextAttemptAt, lastReply, delayNotified);
    }

    public QueuedRecipient withState(State s, Instant next) {
        return new QueuedRecipient(messageId, index, address, notifyOn, orcpt, s, attempts, next, lastReply, delayNotified);
    }
}
