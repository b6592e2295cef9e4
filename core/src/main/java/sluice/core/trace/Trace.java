package sluice.core.trace;

import java.time.Instant;
import java.util.List;

/**
 * The message trace: where events go, and how they are searched.
 *
 * <p>{@link #record} is on the hot path of every message and must not block on a sync; events may
 * become visible to {@link #search} a moment later. Losing the last few events in a crash is
 * acceptable; losing queued mail is not, which is why the queue, not the trace, is the contract.
 */
public interface Trace {

    void record(TraceEvent event);

    /** Messages matching the query, newest first, each summarised with its latest status. */
    List<MessageSummary> search(Query query);

    /** All events of one message (by network message id), oldest first. */
    List<TraceEvent> events(String networkMessageId);

    /**
     * A trace search. Null fields do not constrain. {@code organizationIds} null means all
     * organizations (global administrator).
     */
    record Query(List<String> organizationIds, String sender, String recipient, Instant from, Instant to,
                 Status status, String messageId, int limit) {
    }

    /** A message's status, as EOP's message trace names it. */
    enum Status { RECEIVED, PENDING, DELIVERED, FAILED, QUARANTINED, EXPANDED }

    record MessageSummary(String networkMessageId, String messageId, Instant received, String sender,
                          String recipient, String subject, Status status, String organizationId, long size) {
    }
}
