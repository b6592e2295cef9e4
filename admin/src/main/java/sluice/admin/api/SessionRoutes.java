package sluice.admin.api;

import sluice.admin.auth.Caller;
import sluice.admin.auth.CookieSecurity;
import sluice.admin.auth.Cookies;
import sluice.admin.auth.Credentials;
import sluice.admin.auth.LoginThrottle;
import sluice.admin.auth.Sessions;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.account.User;
import sluice.core.account.Users;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * {@code /api/v1/session}: logging in to the admin center with username and password. A login sets
 * the {@code sluice_session} cookie and answers the CSRF token that every change made with that
 * cookie must carry. Failed logins are throttled per username and per address ({@link LoginThrottle});
 * an unknown username, a wrong password and a disabled account get the same answer in about the same
 * time, so the login form does not tell which accounts exist.
 */
public final class SessionRoutes {

    static final String PATH = "/api/v1/session";

    private final Users users;
    private final Sessions sessions;
    private final Credentials credentials;
    private final LoginThrottle throttle;
    private final CookieSecurity cookies;

    /** @param cookies when the cookie is Secure: always, or when a trusted TLS proxy says the browser used HTTPS */
    public SessionRoutes(Users users, Sessions sessions, Credentials credentials, LoginThrottle throttle, CookieSecurity cookies) {
        this.users = users;
        this.sessions = sessions;
        this.credentials = credentials;
        this.throttle = throttle;
        this.cookies = cookies;
    }

    public void register(Router router) {
        router.addOpen("POST", PATH, this::login)
                .add("GET", PATH, this::whoAmI)
                .add("DELETE", PATH, this::logout);
    }

    record Login(String username, String password) {
    }

    /** @param csrfToken null when the caller used a bearer token, which needs none */
    record View(String username, String displayName, String role, List<String> organizationIds, String csrfToken) {
        static View of(Caller c, String displayName, String csrfToken) {
            return new View(c.name(), displayName, EopNames.of(c.role()), List.copyOf(new TreeSet<>(c.organizationIds())), csrfToken);
        }
    }

    private Response login(Request request) {
        request.allowQuery();
        Login body = request.body(Login.class);
        if (body.username() == null || body.password() == null)
            throw ProblemException.badRequest("Send the username and password.");
        String address = request.remoteAddress();
        // counted as a failure before the password is checked, and forgiven only if it was right
        long wait = throttle.attempt(body.username(), address);
        if (wait > 0)
            throw new ProblemException(429, "Too many failed logins; try again in " + wait + " seconds.", List.of(),
                    Map.of("Retry-After", Long.toString(wait)));
        Optional<User> user = users.userByName(body.username().strip());
        // No account has a longer password: refused without hashing it (the attempt still counts)
        boolean ok = body.password().length() <= Credentials.MAX_PASSWORD
                && credentials.verify(body.password(), user.map(User::passwordHash).orElse(null));
        if (!ok || !user.get().enabled())
            throw new ProblemException(401, "The username or password is incorrect, or the account is disabled.");
        throttle.succeeded(body.username(), address);
        User u = user.get();
        // The session is opened with the hash as stored now (a session opened with an older one is over). Only the
        // hash is written, and only if it is still the one checked: a disable or a new role meanwhile stands.
        if (credentials.needsRehash(u.passwordHash())) {
            String upgraded = credentials.hash(body.password());
            if (users.replacePasswordHash(u.id(), u.passwordHash(), upgraded)) u = u.withPasswordHash(upgraded);
        }
        // A fresh id at every login, and the old sessions ended: a planted cookie cannot be carried into a login.
        sessionCookies(request).forEach(sessions::end);
        Sessions.Created session = sessions.create(u);
        return new Response(200, "application/json", View.of(Caller.of(u), u.displayName(), session.csrfToken()),
                Map.of("Set-Cookie", Cookies.session(session.id(), secure(request))));
    }

    private Response whoAmI(Request request) {
        request.allowQuery();
        Caller caller = request.caller();
        String csrf = request.header("Authorization").isPresent() ? null
                : sessionCookies(request).stream().findFirst().flatMap(sessions::authenticate).map(a -> a.csrfToken()).orElse(null);
        String displayName = caller.userId() == null ? caller.name()
                : users.user(caller.userId()).map(User::displayName).orElse(caller.name());
        return Response.ok(View.of(caller, displayName, csrf));
    }

    private Response logout(Request request) {
        request.allowQuery();
        sessionCookies(request).forEach(sessions::end);
        return new Response(204, null, null, Map.of("Set-Cookie", Cookies.expired(secure(request))));
    }

    /**
     * The session cookies the request carries: at most one on the routes that need a session (the
     * dispatcher refuses more), any number at login.
     */
    private List<String> sessionCookies(Request request) {
        return sessionCookies(request, cookies);
    }

    static List<String> sessionCookies(Request request, CookieSecurity cookies) {
        return Cookies.sessions(request.header("Cookie").orElse(null), secure(request, cookies));
    }

    private boolean secure(Request request) {
        return secure(request, cookies);
    }

    private static boolean secure(Request request, CookieSecurity cookies) {
        return cookies.secure(request.remoteAddress(), request.header("X-Forwarded-Proto").orElse(null));
    }
}
