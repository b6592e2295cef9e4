package sluice.core.queue;

import sluice.core.mail.QueuedRecipient;
import sluice.core.mail.QueueId;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What an administrator can see and do with the queue. */
public interface QueueAdmin {

    /** Queued messages, oldest first; {@code organizationIds} null means all organizations. */
    List<Entry> list(List<String> organizationIds, int limit);

    Optional<Entry> get(QueueId id);

    /**
     * Makes every deferred recipient of the message due now (while an attempt of it runs, that attempt is the
     * retry). False when the message is not queued or has no recipient waiting (all suspended).
     */
    boolean retryNow(QueueId id);

    /**
     * Removes the message from the queue. With {@code ndr}, the sender gets a non-delivery report for
     * every recipient not yet delivered ("removed by an administrator"). {@link Change#DONE},
     * {@link Change#NOT_QUEUED}, or {@link Change#BUSY} while a delivery is in progress (it could deliver
     * what the report calls removed, or bounce it a second time). An attempt merely waiting for a delivery
     * slot is stopped instead: it records what it delivered, and the removal applies to the rest.
     */
    Change remove(QueueId id, boolean ndr);

    /**
     * Suspends the message: every recipient still waiting goes to {@link QueuedRecipient.State#SUSPENDED}
     * and is neither attempted nor expired until resumed (Exchange's Suspend-Message, Postfix's hold).
     */
    Change suspend(QueueId id);

    /** Resumes a suspended message: its suspended recipients become due now. */
    Change resume(QueueId id);

    /** What a suspend, resume or removal did. */
    enum Change {
        DONE,
        /** The message is not in the queue. */
        NOT_QUEUED,
        /** No recipient is in the state the change applies to (nothing waiting, or nothing suspended). */
        NOTHING_TO_CHANGE,
        /** A delivery attempt of the message is running; try again in a moment. */
        BUSY
    }

    record Entry(QueueId id, String networkMessageId, String organizationId, String sender, Instant receivedAt,
                 long size, List<QueuedRecipient> recipients) {
        public Entry {
            recipients = List.copyOf(recipients);
        }
    }
}
