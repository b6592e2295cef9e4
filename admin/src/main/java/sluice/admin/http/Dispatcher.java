package sluice.admin.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.admin.auth.Caller;
import sluice.admin.auth.CookieSecurity;
import sluice.admin.auth.Cookies;
import sluice.admin.auth.Secrets;
import sluice.admin.auth.SessionAuthenticator;
import sluice.admin.auth.TokenAuthenticator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one {@link HttpHandler}: secure headers, authentication of every route but the open ones (and
 * of every unmatched path under {@code /api/}), CSRF for browser sessions, routing, the bounded body
 * with its deadline, the handler wrapped by the {@link Interceptor}, and the problem response for
 * whatever goes wrong. Then one access-log line and one timer sample, tagged with the route pattern
 * (not the raw path, whose ids would explode the metric's cardinality) and a known method name.
 *
 * <p>Authentication: an {@code Authorization: Bearer} header wins; without one, the session cookie.
 * A browser sends the cookie by itself, also with requests a hostile page makes it send, so a
 * state-changing request authenticated by the cookie must also carry {@code X-CSRF-Token}, which only
 * our own pages can read (from the login answer). A bearer token is never sent by the browser on its
 * own, so bearer requests need no CSRF token.
 */
public final class Dispatcher implements HttpHandler {

    private static final Logger ACCESS = LoggerFactory.getLogger("sluice.admin.access");
    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");
    /** RFC 9110 section 9.2.1: everything but these may change state. */
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /**
     * The methods a metric may be tagged with (RFC 9110 and PATCH); the JDK server accepts any token
     * as a method, and a tag per invented method would grow the meter registry without bound.
     */
    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE", "CONNECT");
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** For the API's JSON: nothing may load from it, nothing may frame it. */
    private static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";
    /** For the web UI's pages: our own scripts, styles and images only; no inline script, no framing. */
    private static final String PAGE_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static final String REFUSED_SESSION = "Bearer realm=\"sluice\", error=\"invalid_token\"";

    private final Router router;
    private final TokenAuthenticator authenticator;
    private final SessionAuthenticator sessions;
    private final MeterRegistry metrics;
    private final int maxBodyBytes;
    private final Duration bodyDeadline;
    private final Interceptor interceptor;
    private final CookieSecurity cookies;

    public Dispatcher(Router router, TokenAuthenticator authenticator, MeterRegistry metrics, int maxBodyBytes) {
        this(router, authenticator, SessionAuthenticator.NONE, metrics, maxBodyBytes, Duration.ofSeconds(30), Interceptor.NONE, CookieSecurity.DEFAULT);
    }

    /**
     * @param bodyDeadline  how long a client may take to send a request body before the connection is closed
     * @param cookies       when the session cookie is Secure (and {@code __Host-} named)
     */
    public Dispatcher(Router router, TokenAuthenticator authenticator, SessionAuthenticator sessions, MeterRegistry metrics,
                      int maxBodyBytes, Duration bodyDeadline, Interceptor interceptor, CookieSecurity cookies) {
        this.cookies = Objects.requireNonNull(cookies, "cookies");
        this.router = router;
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.bodyDeadline = bodyDeadline;
        this.interceptor = interceptor;
    }

    /** What the access log and the metric need to know, filled in as the request goes. */
    private static final class Notes {
        String route = "unmatched";
        String caller = "-";
    }

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        Notes notes = new Notes();
        int status = 500;
        try {
            Response response;
            byte[] bytes;
            try {
                response = dispatch(exchange, method, path, notes);
                bytes = encode(response);
            } catch (Exception | StackOverflowError e) { // an OutOfMemoryError is left to the JVM
                response = Problems.from(e, method, path);
                bytes = encode(response);
            }
            status = response.status();
            // Recorded before the response leaves, so a client that has its answer sees it counted.
            Timer.builder("sluice.admin.requests").description("Admin HTTP requests, until the response is ready")
                    .tag("method", KNOWN_METHODS.contains(method) ? method : "OTHER").tag("route", notes.route)
                    .tag("status", Integer.toString(status))
                    .register(metrics).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            send(exchange, response, bytes);
        } catch (IOException e) {
            ACCESS.debug("{} {}: client went away: {}", method, path, e.toString());
        } finally {
            exchange.close();
            // Never the query (it holds searched addresses) nor any header: Authorization is a secret.
            ACCESS.info("{} {} {} {}ms caller={}", method, path, status, (System.nanoTime() - start) / 1_000_000, notes.caller);
        }
    }

    private Response dispatch(HttpExchange exchange, String method, String path, Notes notes) throws IOException {
        Caller caller = null;
        Router.Match match = router.match(method, path);
        // Decided on what the router matched (decoded segments), never on the raw path: the JDK server
        // does not normalise, so "/%61pi/v1/organizations" is that route too. A matched route needs a
        // caller unless it is marked open; an unmatched path under /api/ needs one before its 404 or
        // 405, so an unauthenticated client cannot probe which routes exist.
        boolean needsCaller = match instanceof Router.Match.Found f ? !f.route().open() : Router.underApi(path);
        if (needsCaller) {
            caller = authenticate(exchange, method);
            notes.caller = caller.name();
        }
        return switch (match) {
            case Router.Match.NoRoute() -> throw ProblemException.notFound("There is no resource at " + path + ".");
            case Router.Match.WrongMethod(Set<String> allowed) -> throw new ProblemException(405,
                    method + " is not supported here; allowed: " + String.join(", ", allowed) + ".",
                    List.of(), Map.of("Allow", String.join(", ", allowed)));
            case Router.Match.Found(Router.Route route, Map<String, String> params) -> {
                notes.route = route.pattern();
                // Anyone may call an open route (a login): its body is small, so unauthenticated clients
                // cannot make the node hold megabytes each while they wait for the password hash.
                byte[] body = METHODS_WITH_BODY.contains(method)
                        ? readBody(exchange, caller == null ? Math.min(maxBodyBytes, MAX_OPEN_BODY) : maxBodyBytes) : new byte[0];
                if (body.length > 0) requireJson(exchange.getRequestHeaders().getFirst("Content-Type"));
                Request request = new Request(method, path, params, exchange.getRequestURI().getRawQuery(), body, caller,
                        headers(exchange), exchange.getRemoteAddress().getAddress().getHostAddress());
                yield interceptor.around(route, request, route.handler());
            }
        };
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> out = new java.util.HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) out.put(name.toLowerCase(Locale.ROOT), values.getFirst());
        });
        return out;
    }

    private Caller authenticate(HttpExchange exchange, String method) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) return fromSession(exchange, method);
        Optional<Caller> caller = Optional.empty();
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).strip();
            if (!token.isEmpty()) caller = authenticator.authenticate(token);
        }
        return caller.orElseThrow(() -> unauthorized("The bearer token is invalid, expired or revoked.",
                "Bearer realm=\"sluice\", error=\"invalid_token\""));
    }

    private Caller fromSession(HttpExchange exchange, String method) {
        boolean secure = cookies.secure(exchange.getRemoteAddress().getAddress().getHostAddress(),
                exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"));
        List<String> cookies = Cookies.sessions(exchange.getRequestHeaders().getFirst("Cookie"), secure);
        if (cookies.isEmpty())
            throw unauthorized("Authentication is required: send 'Authorization: Bearer <token>', or log in with "
                    + "POST /api/v1/session.", "Bearer realm=\"sluice\"");
        // Planted by another site of the domain, one of them may be the attacker's session: trust neither (Cookies).
        // A cookie was sent and refused: error="invalid_token" (RFC 6750 section 3.1) tells the web UI that this
        // detail, unlike the no-credentials one above, is worth showing on its login page.
        if (cookies.size() > 1)
            throw unauthorized("Your browser sent more than one session cookie, so whose session this is cannot be told "
                    + "(another site of this domain may have set one). Clear this site's cookies and log in again.",
                    REFUSED_SESSION);
        SessionAuthenticator.Active session = sessions.authenticate(cookies.getFirst()).orElseThrow(() -> unauthorized(
                "Your session has expired or ended; log in again.", REFUSED_SESSION));
        if (!SAFE_METHODS.contains(method)
                && !Secrets.same(session.csrfToken(), exchange.getRequestHeaders().getFirst(CSRF_HEADER)))
            throw ProblemException.forbidden("This change needs the '" + CSRF_HEADER + "' header with your session's "
                    + "CSRF token (from the login answer or GET /api/v1/session).");
        return session.caller();
    }

    private static ProblemException unauthorized(String detail, String challenge) {
        return new ProblemException(401, detail, List.of(), Map.of("WWW-Authenticate", challenge));
    }

    /** Bodies of routes open to anyone (log in): a username and a password fit many times over. */
    static final int MAX_OPEN_BODY = 8 * 1024;

    /**
     * What is read and thrown away of a body over the limit before the 413 goes out. Unread, the server closes
     * the connection while the client is still sending, and the client's next write meets a reset before it
     * reads the 413: it sees a broken connection instead of the reason (one run in a few hundred of the test).
     * A body larger than this gets the 413 and the close without waiting.
     */
    static final long MAX_DRAINED = 8L << 20;

    /** Reads at most {@code limit} bytes; a larger body is a 413 before or as soon as it shows. */
    private byte[] readBody(HttpExchange exchange, int limit) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        boolean declaredTooLarge = false;
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("Content-Length is not a number.");
            }
            if (length > MAX_DRAINED) throw tooLarge(limit);
            declaredTooLarge = length > limit;
        }
        // A client that stalls or trickles its body would hold this thread and its connection for
        // ever: at the deadline the connection is closed under the read, which then fails.
        AtomicBoolean over = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual().name("admin-body-deadline").start(() -> {
            try {
                Thread.sleep(bodyDeadline);
            } catch (InterruptedException e) {
                return;
            }
            if (over.compareAndSet(false, true)) exchange.close(); // no response sent yet: closes the connection
        });
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = declaredTooLarge ? new byte[limit + 1] : in.readNBytes(limit + 1);
            if (body.length > limit) {
                drain(in);
                throw tooLarge(limit);
            }
            return body;
        } catch (IOException e) {
            if (over.get()) throw new ProblemException(408, "The request body did not arrive within " + bodyDeadline.toSeconds()
                    + " seconds; the connection was closed.");
            throw e;
        } finally {
            if (over.compareAndSet(false, true)) watchdog.interrupt();
        }
    }

    /**
     * Bodies must be declared JSON. Besides catching clients that send form data, this keeps a
     * cross-site HTML form from ever reaching a handler once browser sessions exist: it cannot send
     * application/json without a CORS preflight.
     */
    private static void requireJson(String contentType) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json")))
            throw new ProblemException(415, "Send the request body as JSON with 'Content-Type: application/json'.");
    }

    /** Reads what is left of a body, up to {@link #MAX_DRAINED} (the body deadline still applies). */
    private static void drain(InputStream in) throws IOException {
        byte[] sink = new byte[64 * 1024];
        for (long read = 0; read < MAX_DRAINED; ) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, MAX_DRAINED - read));
            if (n < 0) return;
            read += n;
        }
    }

    private static ProblemException tooLarge(int limit) {
        return new ProblemException(413, "The request body is larger than " + limit + " bytes.");
    }

    private static void send(HttpExchange exchange, Response response, byte[] bytes) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Content-Security-Policy", Router.underApi(exchange.getRequestURI().getRawPath()) ? API_POLICY : PAGE_POLICY);
        headers.set("Cache-Control", "no-store");
        response.headers().forEach(headers::set);
        if (bytes == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        headers.set("Content-Type", contentType(response.contentType()));
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The body's bytes, or null for none; serialising before any header is sent keeps a failure a clean 500. */
    private static byte[] encode(Response response) {
        Object body = response.body();
        if (body == null || response.status() == 204) return null;
        if (body instanceof String s) return s.getBytes(StandardCharsets.UTF_8);
        return Json.write(body);
    }

    private static String contentType(String type) {
        return type.toLowerCase(Locale.ROOT).contains("charset") || !type.startsWith("text/") ? type : type + "; charset=utf-8";
    }
}
