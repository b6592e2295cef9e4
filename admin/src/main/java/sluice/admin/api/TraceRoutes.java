package sluice.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import sluice.admin.auth.Caller;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.mail.NetworkMessageId;
import sluice.core.org.Directory;
import sluice.core.trace.Trace;
import sluice.core.trace.TraceEvent;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/trace}: message trace search and the events of one message. Like EOP's, a search
 * without a time range covers the last 48 hours. The store is asked for the caller's scope only, and
 * results are filtered by scope again here, so a store bug cannot leak another tenant's mail.
 *
 * <p>A search answers a page: {@code nextCursor} and a {@code next} link while more rows follow. The
 * cursor only positions (just after the previous page's last row); the scope and filters come from
 * the request each time. The {@code next} link repeats this page's filters with the time range it
 * resolved, so a search that defaulted to "the last 48 hours" keeps the same 48 hours on every page.
 * A cursor names its row, so it is checked against the scope like the items: a page the store ended
 * on another organization's row is a 500 (logged, with no detail for the client) rather than a page
 * cut short without a cursor, which would pass for the whole answer.
 */
public final class TraceRoutes {

    static final String BASE = "/api/v1/trace";
    static final Duration DEFAULT_RANGE = Duration.ofHours(48);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    /** The first part of this search's cursors, so another search's cursor is refused. */
    private static final String CURSOR = "trace";

    private final Trace trace;
    private final Directory directory;
    private final InstantSource clock;

    public TraceRoutes(Trace trace, Directory directory, InstantSource clock) {
        this.trace = trace;
        this.directory = directory;
        this.clock = clock;
    }

    public void register(Router router) {
        router.add("GET", BASE, this::search)
                .add("GET", BASE + "/{networkMessageId}", this::events);
    }

    record Summary(String networkMessageId, String messageId, Instant received, String sender, String recipient,
                   String subject, String status, String organizationId, long size) {
        static Summary of(Trace.MessageSummary s) {
            return new Summary(s.networkMessageId(), s.messageId(), s.received(), s.sender(), s.recipient(), s.subject(),
                    EopNames.of(s.status()), s.organizationId(), s.size());
        }
    }

    record Event(Instant at, String type, String queueId, String messageId, String organizationId, String sender,
                 String recipient, String subject, long size, String clientAddress, String tls, String remoteReply,
                 String detail) {
        static Event of(TraceEvent e) {
            return new Event(e.at(), EopNames.of(e.type()), e.queueId() == null ? null : e.queueId().toString(),
                    e.messageId(), e.organizationId(), e.sender(), e.recipient(), e.subject(), e.size(),
                    e.clientAddress(), e.tls(), e.remoteReply(), e.detail());
        }
    }

    record Detail(String networkMessageId, List<Event> events) {
    }

    /** @param nextCursor and {@code next}: absent on the last page */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Page(List<Summary> items, String nextCursor, String next) {
    }

    private Response search(Request request) {
        request.allowQuery("organizationId", "sender", "recipient", "from", "to", "status", "messageId", "limit", "cursor");
        Caller caller = request.caller();
        Instant to = request.queryInstant("to").orElseGet(clock::instant);
        Instant from = request.queryInstant("from").orElse(to.minus(DEFAULT_RANGE));
        if (from.isAfter(to)) throw ProblemException.badRequest("'from' must not be after 'to'.");
        Trace.Status status = request.query("status").map(TraceRoutes::status).orElse(null);
        int limit = request.queryInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<String> scope = request.query("organizationId")
                .map(id -> List.of(Access.organization(directory, caller, id).id()))
                .orElseGet(caller::scope);
        var query = new Trace.Query(scope, request.query("sender").orElse(null), request.query("recipient").orElse(null),
                from, to, status, request.query("messageId").orElse(null), limit,
                request.query("cursor").map(TraceRoutes::position).orElse(null));
        Trace.Page page = trace.page(query);
        List<Summary> items = page.items().stream().filter(s -> caller.canSee(s.organizationId()))
                .limit(limit).map(Summary::of).toList();
        if (page.next() == null) return Response.ok(new Page(items, null, null));
        // the cursor names a row (message, organization, recipient): re-checked like the items
        String nextOrganization = page.next().organizationId();
        if (!caller.canSee(nextOrganization.isEmpty() ? null : nextOrganization))
            throw new IllegalStateException("the trace store ended a page on a row outside the caller's scope");
        String cursor = cursor(page.next());
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("organizationId", request.query("organizationId").orElse(null));
        for (String name : List.of("sender", "recipient")) next.put(name, request.query(name).orElse(null));
        next.put("from", from);
        next.put("to", to);
        next.put("status", request.query("status").orElse(null));
        next.put("messageId", request.query("messageId").orElse(null));
        next.put("limit", limit);
        next.put("cursor", cursor);
        return Response.ok(new Page(items, cursor, PageCursor.link(BASE, next)));
    }

    static String cursor(Trace.Position p) {
        return PageCursor.encode(CURSOR, List.of(Long.toString(p.received().toEpochMilli()), p.networkMessageId(),
                p.organizationId(), p.recipientKey()));
    }

    private static Trace.Position position(String cursor) {
        List<String> key = PageCursor.decode(CURSOR, cursor, 4);
        long millis = PageCursor.millis(key.get(0));
        String networkId = key.get(1), recipientKey = key.get(3);
        try {
            if (!NetworkMessageId.parse(networkId).toString().equals(networkId)) throw PageCursor.invalid();
        } catch (IllegalArgumentException e) {
            throw PageCursor.invalid();
        }
        return new Trace.Position(Instant.ofEpochMilli(millis), networkId, key.get(2), recipientKey);
    }

    private Response events(Request request) {
        request.allowQuery();
        String raw = request.param("networkMessageId");
        NetworkMessageId id;
        try {
            id = NetworkMessageId.parse(raw);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("'" + raw + "' is not a network message id (a UUID).");
        }
        // Per event, not per message: one message can have recipients in several organizations.
        List<Event> events = trace.events(id.toString()).stream()
                .filter(e -> request.caller().canSee(e.organizationId()))
                .map(Event::of).toList();
        if (events.isEmpty()) throw ProblemException.notFound("No trace events for message " + id + ".");
        return Response.ok(new Detail(id.toString(), events));
    }

    private static Trace.Status status(String text) {
        try {
            return EopNames.parse(Trace.Status.class, text);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("Query parameter 'status' " + e.getMessage() + ".");
        }
    }
}
