package sluice.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /healthz} and {@code /metrics}: unauthenticated, for load balancers and Prometheus. A health
 * check that throws counts as down, and its exception stays in the log.
 */
final class SystemRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(SystemRoutes.class);
    /** The Prometheus text exposition format, which every Prometheus version scrapes. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final Supplier<Health> health;
    private final PrometheusMeterRegistry metrics;

    SystemRoutes(Supplier<Health> health, PrometheusMeterRegistry metrics) {
        this.health = health;
        this.metrics = metrics;
    }

    void register(Router router) {
        router.addOpen("GET", "/healthz", this::health)
                .addOpen("GET", "/metrics", this::metrics);
    }

    private Response health(Request request) {
        Health h;
        try {
            h = health.get();
        } catch (RuntimeException e) {
            LOG.warn("health check failed", e);
            h = Health.unhealthy(Map.of("check", "failed"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", h.up() ? "UP" : "DOWN");
        if (!h.details().isEmpty()) body.put("details", h.details());
        return Response.json(h.up() ? 200 : 503, body);
    }

    private Response metrics(Request request) {
        return Response.text(200, PROMETHEUS_TEXT, metrics.scrape());
    }
}
