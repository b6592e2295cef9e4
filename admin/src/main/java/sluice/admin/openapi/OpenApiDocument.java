package sluice.admin.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sluice.admin.http.Problem;
import sluice.admin.http.Router;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the OpenAPI 3.1 document: one path item per registered route pattern, one operation per
 * method, described by the {@link Operation} table. Every error answer is an RFC 9457 problem.
 */
public final class OpenApiDocument {

    public static final String UNDOCUMENTED = "Undocumented";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PARAM = Pattern.compile("\\{([^}/]+)}");

    private OpenApiDocument() {
    }

    /** @param operations by {@code "METHOD /pattern"} */
    public static ObjectNode build(List<Router.Route> routes, Map<String, Operation> operations, String version) {
        Schemas schemas = new Schemas();
        ObjectNode doc = NODES.objectNode().put("openapi", "3.1.0");
        doc.putObject("info").put("title", "Sluice admin API").put("version", version)
                .put("description", "Organizations, domains, mailboxes, connectors, policies, message trace, queue, "
                        + "administrators, API tokens and the audit log. Authenticate with 'Authorization: Bearer <token>' "
                        + "or a browser session (POST /api/v1/session); with a session, changes need the X-CSRF-Token header.");
        doc.putArray("security").add(NODES.objectNode().putArray("bearer")).add(NODES.objectNode().putArray("session"));
        ObjectNode paths = doc.putObject("paths");
        for (Router.Route route : routes) {
            ObjectNode item = paths.has(route.pattern()) ? (ObjectNode) paths.get(route.pattern()) : paths.putObject(route.pattern());
            Operation op = operations.getOrDefault(route.method() + " " + route.pattern(), Operation.of(UNDOCUMENTED));
            item.set(route.method().toLowerCase(Locale.ROOT), operation(route, op, schemas));
        }
        ObjectNode components = doc.putObject("components");
        ObjectNode problem = schemas.ref(Problem.class);
        ObjectNode security = components.putObject("securitySchemes");
        security.putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "An API token (slc_...) or the bootstrap token");
        security.putObject("session").put("type", "apiKey").put("in", "cookie").put("name", sluice.admin.auth.Cookies.SESSION)
                .put("description", "Set by POST /api/v1/session; named " + sluice.admin.auth.Cookies.SECURE_SESSION
                        + " when the admin API is reached over HTTPS. A request that carries it more than once is unauthenticated.");
        components.putObject("responses").putObject("Problem").put("description", "An RFC 9457 problem")
                .putObject("content").putObject(Problem.CONTENT_TYPE).set("schema", problem);
        components.set("schemas", schemas.components());
        return doc;
    }

    private static ObjectNode operation(Router.Route route, Operation op, Schemas schemas) {
        ObjectNode o = NODES.objectNode().put("summary", op.summary());
        o.put("operationId", operationId(route));
        if (route.open() || !route.pattern().startsWith("/api/")) o.putArray("security");
        ArrayNode parameters = NODES.arrayNode();
        Matcher m = PARAM.matcher(route.pattern());
        while (m.find())
            parameters.addObject().put("name", m.group(1)).put("in", "path").put("required", true)
                    .putObject("schema").put("type", "string");
        for (String q : op.query()) {
            ObjectNode parameter = parameters.addObject().put("name", q).put("in", "query");
            Operation.Parameter described = op.described().get(q);
            if (described != null) parameter.put("description", described.description());
            ObjectNode schema = parameter.putObject("schema");
            if (described != null && described.integer())
                schema.put("type", "integer").put("minimum", described.minimum()).put("maximum", described.maximum());
            else schema.put("type", "string");
        }
        if (!parameters.isEmpty()) o.set("parameters", parameters);
        if (op.request() != null)
            o.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
                    .set("schema", schemas.ref(op.request()));
        ObjectNode responses = o.putObject("responses");
        ObjectNode ok = responses.putObject(Integer.toString(op.status())).put("description", switch (op.status()) {
            case 201 -> "Created";
            case 204 -> "Done; no content";
            default -> "OK";
        });
        if (op.response() != null) {
            ObjectNode schema = schemas.schema(op.response());
            if (op.list()) {
                ObjectNode list = NODES.objectNode().put("type", "object");
                list.putObject("properties").putObject("items").put("type", "array").set("items", schema);
                schema = list;
            }
            ok.putObject("content").putObject(op.response() == String.class ? "text/plain" : "application/json").set("schema", schema);
        }
        responses.putObject("default").put("$ref", "#/components/responses/Problem");
        return o;
    }

    /** {@code GET /api/v1/users/{id}} is {@code get_users_id}: unique, stable, readable in generated clients. */
    static String operationId(Router.Route route) {
        String path = route.pattern().replaceFirst("^/api/(v1/)?", "/").replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "_");
        return route.method().toLowerCase(Locale.ROOT) + (path.equals("_") ? "" : path.replaceAll("_$", ""));
    }
}
