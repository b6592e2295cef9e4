package sluice.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import sluice.core.trace.Trace;
import sluice.core.trace.TraceEvent;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The trace, counted: every event also increments {@code sluice_messages_events_total{event=...}},
 * so mail flow shows in Prometheus without a second path through the code.
 */
final class MeteredTrace implements Trace {

    private final Trace delegate;
    private final Map<TraceEvent.Type, Counter> counters = new EnumMap<>(TraceEvent.Type.class);

    MeteredTrace(Trace delegate, MeterRegistry registry) {
        this.delegate = delegate;
        for (TraceEvent.Type t : TraceEvent.Type.values()) {
            counters.put(t, Counter.builder("sluice.messages.events").tag("event", t.name())
                    .description("message trace events, per recipient").register(registry));
        }
    }

    @Override
    public void record(TraceEvent event) {
        counters.get(event.type()).increment();
        delegate.record(event);
    }

    @Override
    public Page page(Query query) {
        return delegate.page(query);
    }

    @Override
    public List<TraceEvent> events(String networkMessageId) {
        return delegate.events(networkMessageId);
    }

    @Override
    public List<HourlyCount> mailFlow(List<String> organizationIds, java.time.Instant from, java.time.Instant to) {
        return delegate.mailFlow(organizationIds, from, to);
    }
}
