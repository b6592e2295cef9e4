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
    public List<MessageSummary> search(Query query) {
        throw new UnsupportedOperationException("not needed by core tests");
    }

    @Override
    public synchronized List<TraceEvent> events(String networkMessageId) {
        return events.stream().filter(e -> e.networkId().toString().equals(networkMessageId)).toList();
    }

    public synchronized List<TraceEvent> all() {
        return new ArrayList<>(events);
    }

    public synchronized List<TraceEvent.Type> typesFor(String recipient) {
        return events.stream().filter(e -> recipient.equals(e.recipient())).map(TraceEvent::type).toList();
    }
}
