package sluice.admin.testing;

import sluice.core.trace.Trace;
import sluice.core.trace.TraceEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Trace} in a list. A summary is one row per message, organization and recipient, as the SQL
 * trace keeps it (the copies of a message split per organization share its network message id): the
 * RECEIVE event gives time, sender and subject; the latest event gives the status.
 */
public final class InMemoryTrace implements Trace {

    private final List<TraceEvent> events = new ArrayList<>();
    /** The last query the API passed, so tests can assert what the store was asked. */
    private volatile Query lastQuery;
    private volatile RuntimeException nextFailure;
    private volatile Position nextPageEnd;

    @Override
    public synchronized void record(TraceEvent event) {
        events.add(event);
    }

    @Override
    public synchronized Page page(Query q) {
        lastQuery = q;
        RuntimeException failure = nextFailure;
        nextFailure = null;
        if (failure != null) throw failure;
        Position end = nextPageEnd;
        nextPageEnd = null;
        if (end != null) return new Page(List.of(), end);
        Map<String, List<TraceEvent>> rows = new LinkedHashMap<>();
        for (TraceEvent e : events) rows.computeIfAbsent(e.networkId() + " " + e.organizationId() + " " + e.recipient(), k -> new ArrayList<>()).add(e);
        List<MessageSummary> found = rows.values().stream().map(InMemoryTrace::summary)
                .filter(s -> q.organizationIds() == null || s.organizationId() != null && q.organizationIds().contains(s.organizationId()))
                .filter(s -> q.sender() == null || q.sender().equalsIgnoreCase(s.sender()))
                .filter(s -> q.recipient() == null || q.recipient().equalsIgnoreCase(s.recipient()))
                // in epoch milliseconds, 'to' excluded, as the SQL trace compares (and overflows) them
                .filter(s -> q.from() == null || s.received().toEpochMilli() >= q.from().toEpochMilli())
                .filter(s -> q.to() == null || s.received().toEpochMilli() < q.to().toEpochMilli())
                .filter(s -> q.status() == null || q.status() == s.status())
                .filter(s -> q.messageId() == null || q.messageId().equals(s.messageId()))
                .filter(s -> q.after() == null || ORDER.compare(position(s), q.after()) > 0)
                .sorted(Comparator.comparing(InMemoryTrace::position, ORDER))
                .limit(q.limit() + 1L)
                .toList();
        return found.size() > q.limit() ? new Page(found.subList(0, q.limit()), position(found.get(q.limit() - 1)))
                : new Page(found, null);
    }

    /** Text as SQLite compares it: by UTF-8 bytes, which is by code point (not UTF-16 units, as String's compareTo). */
    private static final Comparator<String> UTF8 = (a, b) -> java.util.Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray());

    /** The SQL trace's order: newest first, then network id, organization and recipient key. */
    private static final Comparator<Position> ORDER = Comparator.comparing(Position::received).reversed()
            .thenComparing(Position::networkMessageId, UTF8).thenComparing(Position::organizationId, UTF8)
            .thenComparing(Position::recipientKey, UTF8);

    private static Position position(MessageSummary s) {
        return new Position(s.received(), s.networkMessageId(), s.organizationId() == null ? "" : s.organizationId(),
                s.recipient() == null ? "" : s.recipient().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public synchronized List<TraceEvent> events(String networkMessageId) {
        return events.stream().filter(e -> e.networkId().toString().equals(networkMessageId))
                .sorted(Comparator.comparing(TraceEvent::at)).toList();
    }

    @Override
    public synchronized List<HourlyCount> mailFlow(List<String> organizationIds, java.time.Instant from, java.time.Instant to) {
        var counts = new java.util.TreeMap<java.time.Instant, java.util.EnumMap<Flow, Long>>();
        for (TraceEvent e : events) {
            Flow flow = Flow.of(e.type(), e.detail());
            if (flow == null || e.at().isBefore(from) || !e.at().isBefore(to)) continue;
            if (organizationIds != null && (e.organizationId() == null || !organizationIds.contains(e.organizationId()))) continue;
            counts.computeIfAbsent(e.at().truncatedTo(java.time.temporal.ChronoUnit.HOURS), h -> new java.util.EnumMap<>(Flow.class))
                    .merge(flow, 1L, Long::sum);
        }
        List<HourlyCount> out = new ArrayList<>();
        counts.forEach((hour, byFlow) -> byFlow.forEach((flow, n) -> out.add(new HourlyCount(hour, flow, n))));
        return out;
    }

    /** Makes the next search throw, as a broken store would. */
    public void failNextSearch(RuntimeException failure) {
        nextFailure = failure;
    }

    /** Makes the next search answer no rows and {@code next} as its position, as a broken store might. */
    public void endNextPageAt(Position next) {
        nextPageEnd = next;
    }

    public Query lastQuery() {
        return lastQuery;
    }

    private static MessageSummary summary(List<TraceEvent> row) {
        TraceEvent first = row.getFirst();
        TraceEvent last = row.stream().max(Comparator.comparing(TraceEvent::at)).orElseThrow();
        return new MessageSummary(first.networkId().toString(), first.messageId(), first.at(), first.sender(),
                first.recipient(), first.subject(), status(last.type()), first.organizationId(), first.size());
    }

    private static Status status(TraceEvent.Type type) {
        return switch (type) {
            case RECEIVE, FILTER, RELEASE -> Status.RECEIVED;
            case DEFER -> Status.PENDING;
            case SEND, DELIVER -> Status.DELIVERED;
            case FAIL, DSN -> Status.FAILED;
            case QUARANTINE -> Status.QUARANTINED;
            case EXPAND -> Status.EXPANDED;
        };
    }
}
