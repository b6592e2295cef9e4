package sluice.admin;

import java.util.Map;

/**
 * The node's health as {@code /healthz} reports it: up or down, with a short word per component
 * ({@code store: "ok"}, {@code queue: "unreadable entries moved aside"}). Never put secrets or
 * stack traces in the details: the endpoint is unauthenticated.
 */
public record Health(boolean up, Map<String, String> details) {

    public Health {
        details = Map.copyOf(details);
    }

    public static Health healthy() {
        return new Health(true, Map.of());
    }

    public static Health unhealthy(Map<String, String> details) {
        return new Health(false, details);
    }
}
