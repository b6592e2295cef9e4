package sluice.admin.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Method + path pattern ({@code /api/v1/domains/{id}}) to handler. Segments match literally or bind a
 * {@code {name}} parameter; literal segments win over parameters whatever the registration order, so
 * {@code /queue/summary} could never be shadowed by {@code /queue/{id}}. The route list is kept in
 * order for documentation (an OpenAPI document can be checked against it).
 */
public final class Router {

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String pattern, Handler handler) {
        return add(new Route(method, pattern, handler, false));
    }

    /**
     * The five routes of a collection resource: list and create at {@code base}, read, change (PATCH)
     * and delete at {@code base/{id}}.
     */
    public Router resource(String base, Handler list, Handler create, Handler get, Handler update, Handler delete) {
        return add("GET", base, list).add("POST", base, create).add("GET", base + "/{id}", get)
                .add("PATCH", base + "/{id}", update).add("DELETE", base + "/{id}", delete);
    }

    /**
     * A route that needs no authentication: logging in, the API's documentation, health, metrics and
     * the admin center's files. Its handler sees no caller. Every route added with {@link #add} needs
     * an authenticated caller, wherever its path is.
     */
    public Router addOpen(String method, String pattern, Handler handler) {
        return add(new Route(method, pattern, handler, true));
    }

    private Router add(Route route) {
        String method = route.method;
        String pattern = route.pattern;
        for (Route r : routes)
            if (r.method.equals(method) && r.pattern.equals(pattern))
                throw new IllegalArgumentException("duplicate route " + method + " " + pattern);
        routes.add(route);
        return this;
    }

    public List<Route> routes() {
        return List.copyOf(routes);
    }

    /** Resolves a raw (still percent-encoded) path, so an encoded '/' inside an id cannot split it. */
    public Match match(String method, String rawPath) {
        String[] segments = split(rawPath);
        if (segments == null) return new Match.NoRoute();
        Match.Found best = null;
        int bestScore = -1;
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> params = route.bind(segments);
            if (params == null) continue;
            allowed.add(route.method);
            if (!route.method.equals(method)) continue;
            int score = route.literalCount();
            if (score > bestScore) {
                best = new Match.Found(route, params);
                bestScore = score;
            }
        }
        if (best != null) return best;
        return allowed.isEmpty() ? new Match.NoRoute() : new Match.WrongMethod(allowed);
    }

    /**
     * True when the path, percent-decoded as {@link #match} decodes it, lies under {@code /api/}, or
     * cannot be decoded at all: an unmatched path there needs authentication before it is a 404, so
     * routes cannot be probed, and "/%61pi/..." is no way around that.
     */
    public static boolean underApi(String rawPath) {
        String[] segments = split(rawPath);
        return segments == null || segments.length > 0 && segments[0].equals("api");
    }

    private static String[] split(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) return null;
        if (rawPath.equals("/")) return new String[0];
        String[] raw = rawPath.substring(1).split("/", -1);
        String[] out = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            if (raw[i].isEmpty()) return null; // "//" or a trailing slash: not one of our paths
            try {
                out[i] = URLDecoder.decode(raw[i].replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return out;
    }

    public sealed interface Match {
        record Found(Route route, Map<String, String> params) implements Match {
        }

        record NoRoute() implements Match {
        }

        record WrongMethod(Set<String> allowed) implements Match {
        }
    }

    public static final class Route {
        private final String method;
        private final String pattern;
        private final String[] segments;
        private final Handler handler;
        private final boolean open;

        Route(String method, String pattern, Handler handler, boolean open) {
            this.open = open;
            this.method = method;
            this.pattern = pattern;
            this.segments = pattern.equals("/") ? new String[0] : pattern.substring(1).split("/");
            this.handler = handler;
        }

        public String method() {
            return method;
        }

        public String pattern() {
            return pattern;
        }

        public Handler handler() {
            return handler;
        }

        /** True when the route needs no authentication. */
        public boolean open() {
            return open;
        }

        private int literalCount() {
            return (int) Arrays.stream(segments).filter(s -> !isParam(s)).count();
        }

        private Map<String, String> bind(String[] path) {
            if (path.length != segments.length) return null;
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < path.length; i++) {
                if (isParam(segments[i])) params.put(segments[i].substring(1, segments[i].length() - 1), path[i]);
                else if (!segments[i].equals(path[i])) return null;
            }
            return params;
        }

        private static boolean isParam(String segment) {
            return segment.startsWith("{") && segment.endsWith("}");
        }
    }
}
