package sluice.admin.openapi;

import java.util.List;

/**
 * How one route is documented.
 *
 * @param request  the record the body is read into, or null for none
 * @param response the record (or list element, when {@code list}) answered, or null for no body
 * @param status   the success status: 200, 201 or 204
 * @param query    the query parameters the route accepts (it refuses any other)
 * @param unauthenticated true for the routes anyone may call
 */
public record Operation(String summary, Class<?> request, Class<?> response, boolean list, int status, List<String> query,
                        boolean unauthenticated) {

    public Operation {
        query = List.copyOf(query);
    }

    public static Operation of(String summary) {
        return new Operation(summary, null, null, false, 204, List.of(), false);
    }

    public Operation body(Class<?> type) {
        return new Operation(summary, type, response, list, status, query, unauthenticated);
    }

    public Operation returns(Class<?> type) {
        return new Operation(summary, request, type, false, status == 204 ? 200 : status, query, unauthenticated);
    }

    public Operation returnsList(Class<?> element) {
        return new Operation(summary, request, element, true, 200, query, unauthenticated);
    }

    public Operation creates(Class<?> type) {
        return new Operation(summary, request, type, false, 201, query, unauthenticated);
    }

    public Operation query(String... names) {
        return new Operation(summary, request, response, list, status, List.of(names), unauthenticated);
    }

    /** No authentication required. */
    public Operation open() {
        return new Operation(summary, request, response, list, status, query, true);
    }
}
