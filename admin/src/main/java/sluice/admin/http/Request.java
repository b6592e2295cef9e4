package sluice.admin.http;

import sluice.admin.auth.Caller;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One request as a handler sees it: path parameters, query parameters, the (already size-checked)
 * body, and the authenticated caller (null only on the routes marked open).
 */
public final class Request {

    private final String method;
    private final String path;
    private final Map<String, String> params;
    private final Map<String, String> query;
    private final byte[] body;
    private final Caller caller;
    private final Map<String, String> headers;
    private final String remoteAddress;

    public Request(String method, String path, Map<String, String> params, String rawQuery, byte[] body, Caller caller) {
        this(method, path, params, rawQuery, body, caller, Map.of(), null);
    }

    /**
     * @param headers       the first value of each request header, names in lower case
     * @param remoteAddress the peer's IP address (the proxy's, behind one), or null when unknown
     */
    public Request(String method, String path, Map<String, String> params, String rawQuery, byte[] body, Caller caller,
                   Map<String, String> headers, String remoteAddress) {
        this.headers = Map.copyOf(headers);
        this.remoteAddress = remoteAddress;
        this.method = method;
        this.path = path;
        this.params = Map.copyOf(params);
        this.query = parseQuery(rawQuery);
        this.body = body;
        this.caller = caller;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public Caller caller() {
        if (caller == null) throw new IllegalStateException("no caller on an unauthenticated route");
        return caller;
    }

    /** True on routes that required authentication; false on the open ones (login, documentation). */
    public boolean authenticated() {
        return caller != null;
    }

    /** The first value of a request header (case-insensitive name). */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
    }

    /** The peer's IP address, or "unknown". */
    public String remoteAddress() {
        return remoteAddress == null ? "unknown" : remoteAddress;
    }

    /** Path parameters by name. */
    public Map<String, String> params() {
        return params;
    }

    /** The raw body (already size-checked); empty when none was sent. */
    public byte[] rawBody() {
        return body.clone();
    }

    public String param(String name) {
        String v = params.get(name);
        if (v == null) throw new IllegalStateException("route has no parameter " + name);
        return v;
    }

    public <T> T body(Class<T> type) {
        return Json.read(body, type);
    }

    /** For routes whose body is optional (an action with options): true when one was sent. */
    public boolean hasBody() {
        return body.length > 0;
    }

    /** Refuses query parameters a route does not know: a misspelt filter must not silently widen a search. */
    public Request allowQuery(String... names) {
        Set<String> allowed = Set.of(names);
        for (String key : query.keySet())
            if (!allowed.contains(key))
                throw ProblemException.badRequest("Unknown query parameter '" + key + "'; allowed: " + String.join(", ", names) + ".");
        return this;
    }

    /** The parameter, or empty when absent or blank. */
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    public int queryInt(String name, int defaultValue, int min, int max) {
        Optional<String> v = query(name);
        if (v.isEmpty()) return defaultValue;
        try {
            int n = Integer.parseInt(v.get());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException ignored) {
            // answered below with the same message as an out-of-range number
        }
        throw ProblemException.badRequest("Query parameter '" + name + "' must be a whole number from " + min + " to " + max + ".");
    }

    public boolean queryBoolean(String name, boolean defaultValue) {
        Optional<String> v = query(name);
        if (v.isEmpty()) return defaultValue;
        return switch (v.get()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.badRequest("Query parameter '" + name + "' must be true or false.");
        };
    }

    /** The earliest and latest instant a query may name: RFC 3339's four-digit years. */
    private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z"), LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /**
     * An instant in ISO-8601 form with a year from 0000 to 9999 (RFC 3339's range). Years beyond, which
     * {@link Instant#parse} takes up to a billion, would overflow the epoch milliseconds the stores
     * keep, and a range of days taken from them Instant's own bounds.
     */
    public Optional<Instant> queryInstant(String name) {
        Optional<String> v = query(name);
        Optional<Instant> instant;
        try {
            instant = v.map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("Query parameter '" + name + "' must be an ISO-8601 instant such as 2025-01-31T08:00:00Z.");
        }
        if (instant.isPresent() && (instant.get().isBefore(EARLIEST) || instant.get().isAfter(LATEST)))
            throw ProblemException.badRequest("Query parameter '" + name + "' must be an instant in the years 0000 to 9999.");
        return instant;
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return out;
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (out.putIfAbsent(key, value) != null)
                    throw ProblemException.badRequest("Query parameter '" + key + "' is given more than once.");
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("The query string is not valid percent-encoding.");
            }
        }
        return out;
    }
}
