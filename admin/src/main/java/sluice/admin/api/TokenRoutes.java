package sluice.admin.api;

import sluice.admin.auth.Caller;
import sluice.admin.auth.Credentials;
import sluice.admin.auth.Secrets;
import sluice.admin.auth.UserTokenAuthenticator;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.core.account.ApiToken;
import sluice.core.account.User;
import sluice.core.account.Users;

import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code /api/v1/tokens}: API tokens for automation. A token acts as its user, with the user's role
 * and organizations as they are at each request, so any role may create tokens for itself: a token
 * grants nothing its owner does not have. The secret is answered once, at creation; only its SHA-256
 * is stored. One's own tokens are listed by default; {@code ?userId=} lists those of an account the
 * caller manages, {@code ?all=true} every token (global administrators).
 */
public final class TokenRoutes {

    static final String BASE = "/api/v1/tokens";
    private static final int MAX_NAME = 100;

    private final Users users;
    private final Credentials credentials;
    private final InstantSource clock;

    public TokenRoutes(Users users, Credentials credentials, InstantSource clock) {
        this.users = users;
        this.credentials = credentials;
        this.clock = clock;
    }

    public void register(Router router) {
        router.add("GET", BASE, this::list)
                .add("POST", BASE, this::create)
                .add("GET", BASE + "/{id}", this::get)
                .add("DELETE", BASE + "/{id}", this::delete);
    }

    record View(String id, String userId, String username, String name, Instant createdAt, Instant expiresAt) {
        static View of(ApiToken t, String username) {
            return new View(t.id(), t.userId(), username, t.name(), t.createdAt(), t.expiresAt());
        }
    }

    /** The answer to a create: the only time the secret is shown. */
    record Created(String id, String userId, String username, String name, Instant createdAt, Instant expiresAt,
                   String secret) {
    }

    /** @param currentPassword required when the caller is a browser session (see {@link #create}) */
    record Fields(String name, String expiresAt, String currentPassword) {
    }

    private Response list(Request request) {
        request.allowQuery("userId", "all");
        Caller caller = request.caller();
        String userId;
        if (request.queryBoolean("all", false)) {
            Access.requireGlobalAdmin(caller, "list every user's tokens");
            userId = null;
        } else {
            userId = request.query("userId").orElse(caller.userId());
            if (userId == null) return Response.ok(new Items<>(List.of())); // the bootstrap token owns no tokens
            if (!caller.is(userId)) UserScope.manageable(users, caller, userId);
        }
        Map<String, String> names = users.users().stream().collect(Collectors.toMap(User::id, User::username));
        return Response.ok(new Items<>(users.tokens(userId).stream().map(t -> View.of(t, names.get(t.userId()))).toList()));
    }

    private Response create(Request request) {
        request.allowQuery();
        Caller caller = request.caller();
        if (caller.userId() == null)
            throw ProblemException.forbidden("Tokens belong to users: create a user (POST /api/v1/users), then create "
                    + "its tokens while logged in as it or with one of its tokens.");
        Fields body = request.body(Fields.class);
        FieldErrors errors = new FieldErrors();
        String name = errors.required("name", body.name());
        if (name != null) errors.check(!name.isBlank() && name.length() <= MAX_NAME, "name", "must be 1 to " + MAX_NAME + " characters");
        Instant expiresAt = errors.parse("expiresAt", body.expiresAt(), TokenRoutes::instant);
        if (expiresAt != null) errors.check(expiresAt.isAfter(clock.instant()), "expiresAt", "must be in the future");
        // A token outlives the session and a later password change: from a session (a browser left
        // logged in), making one takes the password, as changing the password does. A caller with a
        // token already holds a credential of the same standing.
        if (request.header("Authorization").isEmpty()) {
            String hash = users.user(caller.userId()).map(User::passwordHash).orElse(null);
            if (!credentials.verify(body.currentPassword(), hash))
                errors.add("currentPassword", "is required to create a token from a session, and must be correct");
        }
        errors.throwIfAny();
        String secret = UserTokenAuthenticator.newSecret();
        ApiToken token = users.createToken(new ApiToken(UUID.randomUUID().toString(), caller.userId(), name.strip(),
                Secrets.digest(secret), clock.instant(), expiresAt));
        return Response.created(BASE + "/" + token.id(), new Created(token.id(), token.userId(), caller.name(), token.name(),
                token.createdAt(), token.expiresAt(), secret));
    }

    private Response get(Request request) {
        request.allowQuery();
        ApiToken token = visible(request.caller(), request.param("id"), UserScope::canSee);
        return Response.ok(View.of(token, users.user(token.userId()).map(User::username).orElse(null)));
    }

    /** Revoking: one's own token, or a token of an account the caller manages. */
    private Response delete(Request request) {
        request.allowQuery();
        ApiToken token = visible(request.caller(), request.param("id"), UserScope::canManage);
        users.deleteToken(token.id());
        return Response.noContent();
    }

    private ApiToken visible(Caller caller, String id, java.util.function.BiPredicate<Caller, User> allowed) {
        return users.token(id)
                .filter(t -> caller.is(t.userId()) || users.user(t.userId()).filter(u -> allowed.test(caller, u)).isPresent())
                .orElseThrow(() -> ProblemException.notFound("There is no API token with id " + id + "."));
    }

    /** The latest expiry: RFC 3339's four-digit years, as for the instants of queries; later ones overflow the stored milliseconds. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private static Instant instant(String text) {
        Instant at;
        try {
            at = Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
        if (at.isAfter(LATEST)) // an earlier year than 0000 is in the past, refused as such
            throw new IllegalArgumentException("must be an instant in the years 0000 to 9999");
        return at;
    }
}
