package sluice.admin.openapi;

import java.util.Map;

/** What {@code /healthz} answers (built as a map by SystemRoutes), for the document only. */
record HealthStatus(String status, Map<String, String> details) {
}
