package sluice.admin.audit;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.admin.http.Handler;
import sluice.admin.http.Interceptor;
import sluice.admin.http.Json;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.account.AuditEntry;
import sluice.core.account.AuditLog;

import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records every successful change made through {@code /api/v1} in the {@link AuditLog}. The routes
 * know nothing of it: the resource's state before the change comes from its own GET route (same
 * path, or the path without the trailing action, e.g. {@code .../{id}} for {@code .../{id}/retry}),
 * and its state after from the change's response. Reading the resource once more per change is
 * cheap (administrators change things rarely) and sees exactly what the caller may see.
 *
 * <p>Browser sessions themselves (login, logout) are not configuration and are not recorded here.
 */
public final class Auditing implements Interceptor {

    private static final Logger LOG = LoggerFactory.getLogger(Auditing.class);
    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> NOT_AUDITED = Set.of("/api/v1/session");
    /**
     * Request fields that carry a message's content (a user's mail, kept in the log far longer than the mail):
     * recorded by size only. Everyone the organization's audit log is shown to, helpdesk included, would read it.
     */
    private static final Map<String, Set<String>> CONTENT = Map.of("policy.anti-spam.train", Set.of("message"));

    private final Router router;
    private final AuditLog log;
    private final InstantSource clock;

    public Auditing(Router router, AuditLog log, InstantSource clock) {
        this.router = router;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public Response around(Router.Route route, Request request, Handler handler) {
        if (!CHANGES.contains(request.method()) || !request.authenticated() || !route.pattern().startsWith(ActionNames.PREFIX)
                || NOT_AUDITED.contains(route.pattern()))
            return handler.handle(request);
        JsonNode before = before(route, request);
        Response response = handler.handle(request);
        if (response.status() / 100 == 2) record(route, request, before, after(response));
        return response;
    }

    /** The resource as its GET route shows it to this caller now, or null when there is none. */
    private JsonNode before(Router.Route route, Request request) {
        List<String> segments = List.of(route.pattern().split("/"));
        boolean action = ActionNames.isAction(segments);
        if (request.method().equals("POST") && !action) return null; // a create: nothing before
        String path = action ? request.path().substring(0, request.path().lastIndexOf('/')) : request.path();
        if (!(router.match("GET", path) instanceof Router.Match.Found(Router.Route get, Map<String, String> params)))
            return null;
        try {
            Response r = get.handler().handle(new Request("GET", path, params, null, new byte[0], request.caller()));
            return r.status() == 200 && r.body() != null && !(r.body() instanceof String) ? Json.tree(r.body()) : null;
        } catch (RuntimeException e) {
            return null; // absent or out of scope: the change itself will say so
        }
    }

    private static JsonNode after(Response response) {
        Object body = response.body();
        return body == null || body instanceof String ? null : Json.tree(body);
    }

    private void record(Router.Route route, Request request, JsonNode before, JsonNode after) {
        String action = ActionNames.of(request.method(), route.pattern());
        String organizationId = organizationId(action, after);
        if (organizationId == null) organizationId = organizationId(action, before);
        if (organizationId == null) organizationId = request.params().get("organizationId");
        AuditEntry entry = new AuditEntry(0, clock.instant(), request.caller().name(),
                organizationId, action, targetId(request, after != null && before == null ? after : before),
                Changes.text(withoutContent(action, details(request, before, after))));
        append(log, entry);
    }

    /** Records the entry of a change already made; a failure is logged, not thrown. */
    static void append(AuditLog log, AuditEntry entry) {
        try {
            log.record(entry);
        } catch (RuntimeException e) {
            // The change is made and cannot be taken back; failing the request would make the client retry it.
            LOG.error("could not record audit entry {} by {} on {}", entry.action(), entry.actor(), entry.targetId(), e);
        }
    }

    /**
     * A create: the created resource; an update: what changed; a delete: what was deleted; an action
     * (retry, release, password): the request's options. Always redacted.
     */
    private static JsonNode details(Request request, JsonNode before, JsonNode after) {
        JsonNode body = request.hasBody() ? Json.parse(request.rawBody()) : null;
        return switch (request.method()) {
            case "PUT", "PATCH" -> before != null && before.isObject() && after != null && after.isObject()
                    ? Changes.diff(before, after) : Changes.redact(body);
            case "DELETE" -> Changes.redact(before);
            default -> before == null && after != null ? Changes.redact(after) : Changes.redact(body);
        };
    }

    private static JsonNode withoutContent(String action, JsonNode details) {
        Set<String> fields = CONTENT.getOrDefault(action, Set.of());
        if (fields.isEmpty() || !(details instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) return details;
        for (String f : fields) {
            JsonNode v = o.get(f);
            if (v != null && v.isTextual()) o.put(f, "(" + v.asText().length() + " characters of message content, not recorded)");
        }
        return o;
    }

    /**
     * The organization the change belongs to, so organization administrators see their own history:
     * the resource's {@code organizationId}, its only organization of several, the organization
     * itself; else (the caller tries) the route's {@code organizationId} parameter. Null (global) otherwise.
     */
    private static String organizationId(String action, JsonNode subject) {
        if (subject == null) return null;
        if (subject.path("organizationId").isTextual()) return subject.get("organizationId").asText();
        JsonNode ids = subject.path("organizationIds");
        if (ids.isArray() && ids.size() == 1) return ids.get(0).asText();
        if (action.startsWith("organization.") && subject.path("id").isTextual()) return subject.get("id").asText();
        return null;
    }

    private static String targetId(Request request, JsonNode subject) {
        String id = request.params().get("id");
        if (id != null) return id;
        if (subject != null && subject.path("id").isTextual()) return subject.get("id").asText();
        return request.params().get("organizationId");
    }
}
