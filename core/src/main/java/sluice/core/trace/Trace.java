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
     * recipient), with that copy's latest status. At most {@code query.limit()} of them, from just
     * after {@code query.after()} when it is set; {@link Page#next} says where the next page starts.
     *
     * <p>The order is total: received time descending, then network message id, organization id and
     * recipient key ascending. A page starts strictly after its position, so walking the pages
     * returns every row once, and mail received meanwhile (newer, so before the first page) does not
     * shift the pages still to come.
     */
    Page page(Query query);

    /** The items of {@link #page}, for callers that want one page only. */
    default List<MessageSummary> search(Query query) {
        return page(query).items();
    }

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
                 Status status, String messageId, int limit, Position after) {

        /** The first page. */
        public Query(List<String> organizationIds, String sender, String recipient, Instant from, Instant to,
                     Status status, String messageId, int limit) {
            this(organizationIds, sender, recipient, from, to, status, messageId, limit, null);
        }

        /** The same search, from just after {@code position}. */
        public Query startingAfter(Position position) {
            return new Query(organizationIds, sender, recipient, from, to, status, messageId, limit, position);
        }
    }

    /**
     * A row's whole place in the search order, so a page can start just after it. Only a position: it
     * never widens what a query may see, whichever organization the row belonged to.
     *
     * @param organizationId the summary's organization, {@code ""} for mail of no organization
     * @param recipientKey   the recipient in lower case, {@code ""} for an event that names none
     */
    record Position(Instant received, String networkMessageId, String organizationId, String recipientKey) {
        public Position {
            if (received == null || networkMessageId == null || organizationId == null || recipientKey == null)
                throw new IllegalArgumentException("a trace position needs every part of the sort key");
        }
    }

    /** One page of a search: its items, and the position to continue after, or null on the last page. */
    record Page(List<MessageSummary> items, Position next) {
        public Page {
            items = List.copyOf(items);
        }
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
