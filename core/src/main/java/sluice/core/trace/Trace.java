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

    /**
     * Messages matching the query, newest first: one summary per recipient of each organization's copy
     * (the copies of a message split per organization share its network message id and may share a
     * recipient), with that copy's latest status.
     */
    List<MessageSummary> search(Query query);

    /** All events of one message (by network message id), oldest first. */
    List<TraceEvent> events(String networkMessageId);

    /**
     * The mail flow per hour of {@code [from, to)}, for the dashboard: how many recipients were
     * received, delivered, deferred, failed, rejected or quarantined in each whole UTC hour. Hours and
     * steps without events are absent. {@code organizationIds} null means all organizations; events of
     * no organization count only then. Like {@link #search}, events may show up a moment late.
     */
    List<HourlyCount> mailFlow(List<String> organizationIds, Instant from, Instant to);

    /**
     * A trace search. Null fields do not constrain. {@code organizationIds} null means all
     * organizations (global administrator).
     */
    record Query(List<String> organizationIds, String sender, String recipient, Instant from, Instant to,
                 Status status, String messageId, int limit) {
    }

    /** A message's status, as EOP's message trace names it. */
    enum Status { RECEIVED, PENDING, DELIVERED, FAILED, QUARANTINED, EXPANDED }

    /** {@code count} events of step {@code flow} in the hour starting at {@code hour}. */
    record HourlyCount(Instant hour, Flow flow, long count) {
    }

    /** The steps of the mail flow the dashboard counts (EOP's mail flow status report). */
    enum Flow {
        RECEIVED, DELIVERED, DEFERRED, FAILED, REJECTED, QUARANTINED;

        /**
         * The step an event counts for, or null for the events that are no step of their own
         * (filtering, expansion, notices, release). A FAIL during the SMTP dialogue is a rejection; a
         * FAIL in delivery is a failure (a bounce).
         */
        public static Flow of(TraceEvent.Type type, String detail) {
            return switch (type) {
                case RECEIVE -> RECEIVED;
                case SEND, DELIVER -> DELIVERED;
                case DEFER -> DEFERRED;
                case FAIL -> detail != null && detail.startsWith(TraceEvent.REJECTED) ? REJECTED : FAILED;
                case QUARANTINE -> QUARANTINED;
                case EXPAND, FILTER, RELEASE, DSN -> null;
            };
        }
    }

    record MessageSummary(String networkMessageId, String messageId, Instant received, String sender,
                          String recipient, String subject, Status status, String organizationId, long size) {
    }
}
