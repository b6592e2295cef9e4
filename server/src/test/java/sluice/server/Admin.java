package sluice.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The admin REST API as a test talks to it: JSON over HTTP with the bearer token. */
final class Admin {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    Admin(String host, int port, String token) {
        this.base = URI.create("http://" + host + ":" + port);
        this.token = token;
    }

    record Result(int status, JsonNode body) {
    }

    Result call(String method, String path, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token);
            if (body == null) {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = r.body().length == 0 ? JSON.nullNode() : JSON.readTree(r.body());
            return new Result(r.statusCode(), json);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode get(String path) {
        Result r = call("GET", path, null);
        if (r.status() != 200) throw new AssertionError("GET " + path + " -> " + r.status() + " " + r.body());
        return r.body();
    }

    JsonNode post(String path, Object body) {
        Result r = call("POST", path, body);
        if (r.status() / 100 != 2) throw new AssertionError("POST " + path + " -> " + r.status() + " " + r.body());
        return r.body();
    }

    JsonNode patch(String path, Object body) {
        Result r = call("PATCH", path, body);
        if (r.status() != 200) throw new AssertionError("PATCH " + path + " -> " + r.status() + " " + r.body());
        return r.body();
    }

    /** POST /connectors/inbound with EOP's fields; returns the id. */
    String createInboundConnector(Map<String, Object> fields) {
        return post("/api/v1/connectors/inbound", fields).path("id").asText();
    }

    /**
     * POST /connectors/outbound with EOP's fields; returns the id. The tests' smart hosts are on loopback, so
     * unless a test says otherwise the connector may deliver to this machine (as the operator's own would).
     */
    String createOutboundConnector(Map<String, Object> fields) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(fields);
        body.putIfAbsent("localHopsAllowed", true);
        return post("/api/v1/connectors/outbound", body).path("id").asText();
    }

    String createOrganization(String name) {
        return post("/api/v1/organizations", Map.of("name", name)).path("id").asText();
    }

    /** {@code type}: "Authoritative" or "InternalRelay". */
    String createDomain(String organizationId, String domain, String type) {
        return post("/api/v1/domains", Map.of("organizationId", organizationId, "domainName", domain, "domainType", type))
                .path("id").asText();
    }

    static final String PASSWORD = "correct horse battery staple";

    String createMailbox(String organizationId, String address) {
        return post("/api/v1/mailboxes", Map.of("organizationId", organizationId, "address", address,
                "password", PASSWORD, "quotaBytes", 0)).path("id").asText();
    }

    long mailboxUsage(String mailboxId) {
        return get("/api/v1/mailboxes/" + mailboxId).path("usageBytes").asLong();
    }

    /** Trace summaries for a recipient (last 48 h). */
    List<JsonNode> traceByRecipient(String recipient) {
        return items(get("/api/v1/trace?recipient=" + URLEncoder.encode(recipient, StandardCharsets.UTF_8)));
    }

    /** The events of one message. */
    List<JsonNode> events(String networkMessageId) {
        List<JsonNode> out = new ArrayList<>();
        get("/api/v1/trace/" + networkMessageId).path("events").forEach(out::add);
        return out;
    }

    static List<JsonNode> items(JsonNode list) {
        List<JsonNode> out = new ArrayList<>();
        list.path("items").forEach(out::add);
        return out;
    }
}
