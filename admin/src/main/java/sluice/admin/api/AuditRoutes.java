package sluice.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import sluice.admin.auth.Caller;
import sluice.admin.http.Json;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.account.AuditEntry;
import sluice.core.account.AuditLog;
import sluice.core.account.Users;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * {@code GET /api/v1/audit}: the configuration changes, newest first, scoped like everything else: a
 * global administrator sees every entry (global ones included), anyone else the entries of its own
 * organizations. The organization filter works for organizations deleted since (their history stays).
 * An actor whose account the caller may not see (a global administrator's change inside the caller's
 * organization) is shown by a label, not by username ({@link UserScope#actorNames}).
 */
public final class AuditRoutes {

    static final String BASE = "/api/v1/audit";
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;

    private final AuditLog log;
    private final Users users;

    /** @param users to tell which actors the caller may see */
    public AuditRoutes(AuditLog log, Users users) {
        this.log = log;
        this.users = users;
    }

    public void register(Router router) {
        router.add("GET", BASE, this::search);
    }

    /** @param details what changed, as JSON (secrets redacted), or null */
    record View(long seq, Instant at, String actor, String organizationId, String action, String targetId, JsonNode details) {
        static View of(AuditEntry e, UnaryOperator<String> actorNames) {
            return new View(e.seq(), e.at(), actorNames.apply(e.actor()), e.organizationId(), e.action(), e.targetId(),
                    e.details() == null ? null : Json.parse(e.details().getBytes(StandardCharsets.UTF_8)));
        }
    }

    private Response search(Request request) {
        request.allowQuery("organizationId", "from", "to", "limit");
        Caller caller = request.caller();
        Instant from = request.queryInstant("from").orElse(null);
        Instant to = request.queryInstant("to").orElse(null);
        if (from != null && to != null && !from.isBefore(to)) throw ProblemException.badRequest("'from' must be before 'to'.");
        int limit = request.queryInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<String> scope = request.query("organizationId").map(id -> {
            Access.requireVisible(caller, id, Access.noOrganization(id));
            return List.of(id);
        }).orElse(caller.scope());
        UnaryOperator<String> actorNames = UserScope.actorNames(users, caller);
        return Response.ok(new Items<>(log.search(new AuditLog.Query(scope, from, to, limit)).stream()
                .map(e -> View.of(e, actorNames)).toList()));
    }
}
