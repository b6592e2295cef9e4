package sluice.admin.openapi;

import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/openapi.json}, without authentication: the document describes the API, not its
 * data. Built from the router at each request, so it lists whatever routes exist, registered before
 * or after this one.
 */
public final class OpenApiRoute {

    public static final String PATH = "/api/openapi.json";

    private final Router router;
    private final Map<String, Operation> operations;
    private final String version;

    /** @param apiOperations the table of the {@code /api/v1} routes; the system routes' entries are added here */
    public OpenApiRoute(Router router, Map<String, Operation> apiOperations, String version) {
        this.router = router;
        this.operations = new LinkedHashMap<>(apiOperations);
        this.operations.putAll(system());
        this.version = version;
    }

    public void register() {
        router.addOpen("GET", PATH, this::document);
    }

    /** Every documented {@code "METHOD /pattern"}, for the test that compares them with the router. */
    public Map<String, Operation> operations() {
        return Map.copyOf(operations);
    }

    private Response document(Request request) {
        request.allowQuery();
        return Response.ok(OpenApiDocument.build(router.routes(), operations, version));
    }

    private static Map<String, Operation> system() {
        return Map.of(
                "GET /healthz", Operation.of("Liveness and readiness: 200 when up, 503 when down").returns(HealthStatus.class).open(),
                "GET /metrics", Operation.of("Prometheus metrics in the text exposition format").returns(String.class).open(),
                "GET " + PATH, Operation.of("This document").returns(com.fasterxml.jackson.databind.JsonNode.class).open());
    }
}
