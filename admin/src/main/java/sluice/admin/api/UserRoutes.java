package sluice.admin.api;

import sluice.admin.audit.Refusals;
import sluice.admin.auth.Caller;
import sluice.admin.auth.CookieSecurity;
import sluice.admin.auth.Credentials;
import sluice.admin.auth.RefusalThrottle;
import sluice.admin.auth.Role;
import sluice.admin.auth.Sessions;
import sluice.admin.http.FieldErrors;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.admin.http.UserMessages;
import sluice.core.account.AdminRole;
import sluice.core.account.User;
import sluice.core.account.Users;
import sluice.core.org.Directory;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * {@code /api/v1/users}: administrator accounts (who may log in to the admin center and own API
 * tokens), scoped by {@link UserScope}. The password is write-only: hashed with Argon2id on the way in,
 * never returned. {@code POST /users/{id}/password} sets it; changing one's own needs the current one,
 * so a session left open on a shared screen cannot be turned into a permanent takeover (which is also
 * why a PATCH may not set one's own password). A new password, set by the user or by an administrator,
 * ends the user's other browser sessions ({@link Sessions}); the session the user changed it in goes
 * on. API tokens stay valid: they are separate credentials, each with its own expiry, and are revoked
 * one by one ({@code DELETE /tokens/{id}}).
 *
 * <p>Disabling an account stops its tokens and sessions at once, but not alike. Its browser sessions end
 * ({@link Sessions#endAll}), and so do any it has when it is enabled again (opened by a login that raced the
 * disable): whoever held them logs in again once the account is enabled. Its tokens are
 * suspended: they are stored credentials that administrators list, name and revoke, often a script's,
 * and enabling the account again restores those not revoked meanwhile. After a suspected compromise,
 * revoke the tokens; disabling alone only pauses them.
 *
 * <p>Usernames are unique across the node. Only a global administrator, who sees every account, is told
 * that a username is taken; anyone else gets {@link #USERNAME_UNAVAILABLE}, whether the account is in
 * their organizations or elsewhere. That answer is neutral but not silent: 409 rather than 200 or 201 still
 * says that someone on the node has the name, which a password guesser wants to know (the login answers alike
 * for unknown users and wrong passwords). So the refusal is audited and throttled ({@link NameRefusals}): a few
 * a minute per organization of the caller, then 429 for any write that sets a username.
 */
public final class UserRoutes {

    static final String BASE = "/api/v1/users";
    static final String USERNAME_UNAVAILABLE = "That username is unavailable; choose another.";

    private final Users users;
    private final Directory directory;
    private final Credentials credentials;
    private final Sessions sessions;
    private final CookieSecurity cookies;
    private final NameRefusals refusals;

    /**
     * @param cookies  as for {@link SessionRoutes}: which session cookie a password change keeps
     * @param throttle counts usernames refused as taken ({@link NameRefusals})
     */
    public UserRoutes(Users users, Directory directory, Credentials credentials, Sessions sessions, CookieSecurity cookies,
                      RefusalThrottle throttle, Refusals refusals) {
        this.cookies = cookies;
        this.refusals = new NameRefusals(throttle, refusals);
        this.users = users;
        this.directory = directory;
        this.credentials = credentials;
        this.sessions = sessions;
    }

    public void register(Router router) {
        router.add("GET", BASE, this::list)
                .add("POST", BASE, this::create)
                .add("GET", BASE + "/{id}", this::get)
                .add("PATCH", BASE + "/{id}", this::update)
                .add("DELETE", BASE + "/{id}", this::delete)
                .add("POST", BASE + "/{id}/password", this::setPassword);
    }

    record View(String id, String username, String displayName, String role, List<String> organizationIds,
                boolean enabled, boolean passwordSet) {
        static View of(User u) {
            return new View(u.id(), u.username(), u.displayName(), EopNames.of(u.role()),
                    List.copyOf(new TreeSet<>(u.organizationIds())), u.enabled(), u.passwordHash() != null);
        }
    }

    /** The body of POST and PATCH; null means "not given". */
    record Fields(String username, String displayName, String role, List<String> organizationIds, Boolean enabled,
                  String password) {
    }

    record PasswordChange(String password, String currentPassword) {
    }

    private Response list(Request request) {
        request.allowQuery("organizationId");
        Caller caller = request.caller();
        var org = request.query("organizationId");
        org.ifPresent(id -> Access.requireVisible(caller, id, Access.noOrganization(id)));
        return Response.ok(new Items<>(users.users().stream().filter(u -> UserScope.canSee(caller, u))
                .filter(u -> org.isEmpty() || u.organizationIds().contains(org.get())).map(View::of).toList()));
    }

    private Response get(Request request) {
        request.allowQuery();
        return Response.ok(View.of(UserScope.visible(users, request.caller(), request.param("id"))));
    }

    private Response create(Request request) {
        request.allowQuery();
        Caller caller = request.caller();
        if (caller.role() == Role.HELPDESK) throw ProblemException.forbidden("Your role (HELPDESK) may not create accounts.");
        Fields body = request.body(Fields.class);
        FieldErrors errors = new FieldErrors();
        errors.required("username", body.username());
        errors.required("role", body.role());
        User draft = build(errors, caller, body, null);
        User created = save(request, BASE, true, draft, body.password(), users::create);
        return Response.created(BASE + "/" + created.id(), View.of(created));
    }

    private Response update(Request request) {
        request.allowQuery();
        Caller caller = request.caller();
        User current = UserScope.manageable(users, caller, request.param("id"));
        Fields body = request.body(Fields.class);
        FieldErrors errors = new FieldErrors();
        if (caller.is(current.id()) && Boolean.FALSE.equals(body.enabled()))
            errors.add("enabled", "you cannot disable your own account");
        if (caller.is(current.id()) && body.password() != null)
            errors.add("password", "change your own password with POST " + BASE + "/{id}/password, which needs the current one");
        User changed = build(errors, caller, body, current);
        boolean renamed = !changed.username().equals(current.username());
        User saved = save(request, BASE + "/{id}", renamed, changed, body.password(), users::update);
        // Disabled, its sessions end. Enabled again, any session it has was opened by a login that read the account
        // before it was disabled and opened the session after: none may come back with the account.
        if (current.enabled() != saved.enabled()) sessions.endAll(saved.id());
        return Response.ok(View.of(saved));
    }

    private Response delete(Request request) {
        request.allowQuery();
        User current = UserScope.manageable(users, request.caller(), request.param("id"));
        if (request.caller().is(current.id()))
            throw ProblemException.conflict("You cannot delete your own account; ask another administrator.");
        users.delete(current.id());
        sessions.endAll(current.id());
        return Response.noContent();
    }

    private Response setPassword(Request request) {
        request.allowQuery();
        Caller caller = request.caller();
        boolean self = caller.is(request.param("id"));
        User user = self ? UserScope.visible(users, caller, request.param("id")) : UserScope.manageable(users, caller, request.param("id"));
        PasswordChange body = request.body(PasswordChange.class);
        FieldErrors errors = new FieldErrors();
        String password = errors.required("password", body.password());
        String problem = password == null ? null : Credentials.problem(password);
        if (problem != null) errors.add("password", problem);
        if (self && !credentials.verify(body.currentPassword(), user.passwordHash()))
            errors.add("currentPassword", "is required to change your own password, and must be correct");
        errors.throwIfAny();
        User changed = users.update(user.withPasswordHash(credentials.hash(body.password())));
        if (self && request.header("Authorization").isEmpty())
            SessionRoutes.sessionCookies(request, cookies).forEach(id -> sessions.keepAfterPasswordChange(id, changed));
        return Response.noContent();
    }

    /**
     * {@code write} of {@code user} with {@code password} (null: its hash as it is), which sets a username when
     * {@code naming} (a create, or a rename); a taken username is {@link #USERNAME_UNAVAILABLE} for all but a
     * global administrator, throttled and recorded under each organization of the caller ({@link NameRefusals}). The password is hashed after the throttle let the write through, so a
     * throttled caller costs no Argon2 run.
     */
    private User save(Request request, String pattern, boolean naming, User user, String password, UnaryOperator<User> write) {
        if (naming) refusals.requireNotThrottled(request.caller());
        User hashed = password == null ? user : user.withPasswordHash(credentials.hash(password));
        try {
            return write.apply(hashed);
        } catch (Users.Conflict e) {
            if (request.caller().isGlobalAdmin()) throw e;
            throw refusals.refuse(request, pattern, request.params().get("id"), "username unavailable", USERNAME_UNAVAILABLE);
        }
    }

    /** {@code body} over {@code current} (null for POST), checked against what the caller may grant. */
    private User build(FieldErrors errors, Caller caller, Fields body, User current) {
        AdminRole role = body.role() == null ? (current == null ? null : current.role())
                : errors.parse("role", body.role(), r -> EopNames.parse(AdminRole.class, r));
        Set<String> orgs = body.organizationIds() == null ? (current == null ? Set.of() : current.organizationIds())
                : Set.copyOf(body.organizationIds().stream().map(String::strip).toList());
        if (role == AdminRole.GLOBAL_ADMIN && !caller.isGlobalAdmin())
            throw ProblemException.forbidden("Only a global administrator may create or promote global administrators.");
        if (role == AdminRole.GLOBAL_ADMIN) errors.check(orgs.isEmpty(), "organizationIds", "must be empty for a global administrator (who sees all)");
        else if (role != null) errors.check(!orgs.isEmpty(), "organizationIds", "must name at least one organization");
        for (String org : orgs)
            if (!caller.canChange(org) || directory.organization(org).isEmpty())
                errors.add("organizationIds", "no such organization: " + org);
        if (body.password() != null) {
            String problem = Credentials.problem(body.password());
            if (problem != null) errors.add("password", problem);
        }
        if (body.displayName() != null) errors.check(body.displayName().length() <= 256, "displayName", "must be at most 256 characters");
        String username = body.username() != null ? body.username().strip() : current == null ? null : current.username();
        errors.throwIfAny();
        try {
            return new User(current == null ? UUID.randomUUID().toString() : current.id(), username,
                    body.displayName() != null ? body.displayName() : current == null ? null : current.displayName(),
                    role, role == AdminRole.GLOBAL_ADMIN ? Set.of() : orgs,
                    body.enabled() != null ? body.enabled() : current == null || current.enabled(),
                    current == null ? null : current.passwordHash());
        } catch (IllegalArgumentException e) {
            errors.add("username", UserMessages.of(e, "is invalid"));
            errors.throwIfAny();
            throw e;
        }
    }
}
