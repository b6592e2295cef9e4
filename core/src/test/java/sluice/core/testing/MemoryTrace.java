package sluice.core.testing;

import sluice.core.trace.Trace;
import sluice.core.trace.TraceEvent;

import java.util.ArrayList;
import java.util.List;

/** Records trace events in memory; search is not needed by core's tests. */
public final class MemoryTrace implements Trace {

    private final List<TraceEvent> events = new ArrayList<>();

    @Override
    public synchronized void record(TraceEvent event) {
        events.add(event);
    }

    @Override
    public Page page(Query query) {
        throw new UnsupportedOperationException("not needed by core tests");
    }

    @Override
    public synchronized List<TraceEvent> events(String networkMessageId) {
        return events.stream().filter(e -> e.networkId().toString().equals(networkMessageId)).toList();
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

    public synchronized List<TraceEvent> all() {
        return new ArrayList<>(events);
    }

    public synchronized List<TraceEvent.Type> typesFor(String recipient) {
        return events.stream().filter(e -> recipient.equals(e.recipient())).map(TraceEvent::type).toList();
    }
}
