package sluice.admin.api;

import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.org.Directory;
import sluice.core.trace.Trace;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/stats/mailflow}: the dashboard's mail flow, per hour for the last {@code hours}
 * whole hours (the last one is the hour in progress), every hour present, counted per recipient from
 * the message trace and scoped like the trace search.
 */
public final class StatsRoutes {

    static final String BASE = "/api/v1/stats";
    static final int DEFAULT_HOURS = 24;
    /** A week: the trace is kept longer, but a dashboard wider than this says little per hour. */
    static final int MAX_HOURS = 168;

    private final Trace trace;
    private final Directory directory;
    private final InstantSource clock;

    public StatsRoutes(Trace trace, Directory directory, InstantSource clock) {
        this.trace = trace;
        this.directory = directory;
        this.clock = clock;
    }

    public void register(Router router) {
        router.add("GET", BASE + "/mailflow", this::mailFlow);
    }

    /** Recipients per step of the mail flow; {@code failed} are bounces in delivery, {@code rejected} refusals in the dialogue. */
    record Counts(long received, long delivered, long deferred, long failed, long rejected, long quarantined) {
        static Counts of(Map<Trace.Flow, Long> n) {
            return new Counts(n.getOrDefault(Trace.Flow.RECEIVED, 0L), n.getOrDefault(Trace.Flow.DELIVERED, 0L),
                    n.getOrDefault(Trace.Flow.DEFERRED, 0L), n.getOrDefault(Trace.Flow.FAILED, 0L),
                    n.getOrDefault(Trace.Flow.REJECTED, 0L), n.getOrDefault(Trace.Flow.QUARANTINED, 0L));
        }
    }

    record Hour(Instant hour, Counts counts) {
    }

    /** @param organizationId the organization asked for, or null for every organization in scope */
    record MailFlow(Instant from, Instant to, String organizationId, List<Hour> hours, Counts totals) {
    }

    private Response mailFlow(Request request) {
        request.allowQuery("hours", "organizationId");
        var caller = request.caller();
        int hours = request.queryInt("hours", DEFAULT_HOURS, 1, MAX_HOURS);
        String organizationId = request.query("organizationId")
                .map(id -> Access.organization(directory, caller, id).id()).orElse(null);
        List<String> scope = organizationId != null ? List.of(organizationId) : caller.scope();
        Instant to = clock.instant();
        Instant from = to.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hours - 1L));
        Map<Instant, Map<Trace.Flow, Long>> byHour = new LinkedHashMap<>();
        for (int i = 0; i < hours; i++) byHour.put(from.plus(Duration.ofHours(i)), new LinkedHashMap<>());
        Map<Trace.Flow, Long> totals = new LinkedHashMap<>();
        for (Trace.HourlyCount c : trace.mailFlow(scope, from, to.plusMillis(1))) {
            Map<Trace.Flow, Long> hour = byHour.get(c.hour());
            if (hour == null) continue; // the store's hours are whole UTC hours; anything else is not ours to show
            hour.merge(c.flow(), c.count(), Long::sum);
            totals.merge(c.flow(), c.count(), Long::sum);
        }
        List<Hour> out = new ArrayList<>();
        byHour.forEach((h, n) -> out.add(new Hour(h, Counts.of(n))));
        return Response.ok(new MailFlow(from, to, organizationId, out, Counts.of(totals)));
    }
}
