package sluice.admin.openapi;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one route is documented.
 *
 * @param request  the record the body is read into, or null for none
 * @param response the record (or list element, when {@code list}) answered, or null for no body
 * @param status   the success status: 200, 201 or 204
 * @param query    the query parameters the route accepts (it refuses any other)
 * @param unauthenticated true for the routes anyone may call
 * @param described the query parameters said more of than "a string", by name
 */
public record Operation(String summary, Class<?> request, Class<?> response, boolean list, int status, List<String> query,
                        boolean unauthenticated, Map<String, Parameter> described) {

    public Operation {
        query = List.copyOf(query);
        described = Map.copyOf(described);
        if (!query.containsAll(described.keySet())) throw new IllegalArgumentException("describes a query parameter it does not take");
    }

    /**
     * A query parameter: a whole number from {@code minimum} to {@code maximum} when {@code integer},
     * else a string.
     */
    public record Parameter(String description, boolean integer, long minimum, long maximum) {
        public static Parameter text(String description) {
            return new Parameter(description, false, 0, 0);
        }

        public static Parameter integer(long minimum, long maximum, String description) {
            return new Parameter(description, true, minimum, maximum);
        }
    }

    public static Operation of(String summary) {
        return new Operation(summary, null, null, false, 204, List.of(), false, Map.of());
    }

    /** This operation with query parameter {@code name} described. */
    public Operation describe(String name, Parameter parameter) {
        Map<String, Parameter> more = new LinkedHashMap<>(described);
        more.put(name, parameter);
        return new Operation(summary, request, response, list, status, query, unauthenticated, more);
    }

    public Operation body(Class<?> type) {
        return new Operation(summary, type, response, list, status, query, unauthenticated, described);
    }

    public Operation returns(Class<?> type) {
        return new Operation(summary, request, type, false, status == 204 ? 200 : status, query, unauthenticated, described);
    }

    public Operation returnsList(Class<?> element) {
        return new Operation(summary, request, element, true, 200, query, unauthenticated, described);
    }

    public Operation creates(Class<?> type) {
        return new Operation(summary, request, type, false, 201, query, unauthenticated, described);
    }

    public Operation query(String... names) {
        return new Operation(summary, request, response, list, status, List.of(names), unauthenticated, described);
    }

    /** No authentication required. */
    public Operation open() {
        return new Operation(summary, request, response, list, status, query, true, described);
    }
}
