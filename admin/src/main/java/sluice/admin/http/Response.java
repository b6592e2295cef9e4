package sluice.admin.http;

import java.util.Map;

/**
 * What a handler answers. {@code body} is serialised as JSON unless it is a {@link String}, which is
 * sent as is with {@code contentType}; null means no body.
 */
public record Response(int status, String contentType, Object body, Map<String, String> headers) {

    static final String JSON = "application/json";

    public Response {
        headers = Map.copyOf(headers);
    }

    public static Response ok(Object body) {
        return new Response(200, JSON, body, Map.of());
    }

    /** 201 with a Location header, as RFC 9110 section 15.3.2 wants for a created resource. */
    public static Response created(String location, Object body) {
        return new Response(201, JSON, body, Map.of("Location", location));
    }

    public static Response noContent() {
        return new Response(204, null, null, Map.of());
    }

    public static Response json(int status, Object body) {
        return new Response(status, JSON, body, Map.of());
    }

    public static Response text(int status, String contentType, String body) {
        return new Response(status, contentType, body, Map.of());
    }
}
