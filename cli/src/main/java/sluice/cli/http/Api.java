package sluice.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import sluice.cli.CliException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The admin API at one server with one token. Paths are relative to {@code /api/v1}. A 2xx answer is
 * returned as JSON (a {@link NullNode} when empty); anything else is thrown as a {@link CliException}
 * worded for the user: the server is down, the token was refused, or the problem the API reported.
 */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String server;
    private final String token;
    /** A login session instead of a token: the {@code sluice_session} cookie and the CSRF token its changes carry. */
    private final String sessionCookie;
    private final String csrfToken;

    /** @param server the base URL as the user gave it, e.g. {@code http://127.0.0.1:8080} */
    public Api(String server, String token) {
        this(server, token, null, null);
    }

    private Api(String server, String token, String sessionCookie, String csrfToken) {
        String s = server.strip();
        while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
        if (s.endsWith("/api/v1")) s = s.substring(0, s.length() - "/api/v1".length());
        if (!s.contains("://")) s = "http://" + s;
        this.server = s;
        this.token = token;
        this.sessionCookie = sessionCookie;
        this.csrfToken = csrfToken;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Logs in at the same server as {@code username} ({@code POST /session}) and answers an Api that
     * acts as that user through the session, for what only a user may do (create its API tokens).
     */
    public Api login(String username, String password) {
        Map<String, String> body = Map.of("username", username, "password", password);
        HttpRequest request = HttpRequest.newBuilder(uri("/session")).timeout(DEFAULT_TIMEOUT).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes(body))).build();
        HttpResponse<String> r = exchange(request);
        JsonNode json = parse(r.body());
        if (r.statusCode() / 100 != 2) throw ApiProblem.of(r.statusCode(), json, r.body());
        String cookie = r.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0].strip())
                // over HTTPS the server names it __Host-sluice_session (no other host or path can plant one)
                .filter(c -> c.startsWith("sluice_session=") || c.startsWith("__Host-sluice_session=")).findFirst()
                .orElseThrow(() -> new CliException("the login as " + username + " answered no session"));
        return new Api(server, null, cookie, json == null ? null : json.path("csrfToken").asText(null));
    }

    public String server() {
        return server;
    }

    public JsonNode get(String path) {
        return send("GET", path, null, DEFAULT_TIMEOUT);
    }

    public JsonNode get(String path, Map<String, ?> query) {
        return get(path + query(query));
    }

    /** Every item of a list answer ({@code {"items": [...]}}). */
    public List<JsonNode> list(String path, Map<String, ?> query) {
        List<JsonNode> out = new ArrayList<>();
        get(path, query).path("items").forEach(out::add);
        return out;
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body, DEFAULT_TIMEOUT);
    }

    /** A POST that may take long (connector validation connects to every next hop). */
    public JsonNode postSlow(String path, Object body, Duration timeout) {
        return send("POST", path, body, timeout);
    }

    public JsonNode patch(String path, Object body) {
        return send("PATCH", path, body, DEFAULT_TIMEOUT);
    }

    public void delete(String path) {
        send("DELETE", path, null, DEFAULT_TIMEOUT);
    }

    /** {@code ?a=1&b=2} of the non-null values, encoded; empty when there are none. */
    public static String query(Map<String, ?> query) {
        StringJoiner j = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((k, v) -> {
            if (v != null) j.add(enc(k) + "=" + enc(String.valueOf(v)));
        });
        return j.toString();
    }

    /** One path segment, encoded (ids are UUIDs, but a user may type anything). */
    public static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, Object body, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(timeout).header("Accept", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (sessionCookie != null) b.header("Cookie", sessionCookie);
        if (csrfToken != null) b.header("X-CSRF-Token", csrfToken);
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        }
        HttpResponse<String> r = exchange(b.build());
        int status = r.statusCode();
        JsonNode json = parse(r.body());
        if (status / 100 == 2) return json == null ? NullNode.getInstance() : json;
        if (status == 401 && sessionCookie != null) throw new CliException("the login session was refused");
        if (status == 401) {
            throw new CliException(token == null
                    ? "no token: set SLUICE_TOKEN or --token (./sluice serve prints it and keeps it in data/admin-token)"
                    : "the token was refused: set SLUICE_TOKEN or --token");
        }
        throw ApiProblem.of(status, json, r.body());
    }

    private URI uri(String path) {
        try {
            return URI.create(server + "/api/v1" + path);
        } catch (IllegalArgumentException e) {
            throw new CliException("'" + server + "' is not a valid server URL (like http://127.0.0.1:8080)");
        }
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable();
        } catch (HttpTimeoutException e) {
            throw new CliException("Sluice at " + server + " did not answer in time");
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) throw unreachable();
            throw new CliException("the request to Sluice at " + server + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        } catch (IllegalArgumentException e) {
            throw new CliException("'" + server + "' is not a valid server URL (like http://127.0.0.1:8080)");
        }
    }

    private CliException unreachable() {
        return new CliException("cannot reach Sluice at " + server + ": is it running? (./sluice serve)");
    }

    private static byte[] bytes(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) return null;
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
