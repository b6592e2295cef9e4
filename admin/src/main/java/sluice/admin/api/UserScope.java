package sluice.admin.api;

import sluice.admin.auth.Caller;
import sluice.admin.auth.Role;
import sluice.admin.http.ProblemException;
import sluice.core.account.AdminRole;
import sluice.core.account.User;
import sluice.core.account.Users;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Which administrator accounts a caller may see and manage. A global administrator: all. Anyone else:
 * itself, and the accounts scoped entirely within its own organizations (an account that also reaches
 * another organization belongs partly to another tenant, so it is out of scope, as is every global
 * administrator). Only organization administrators and global administrators change accounts, and
 * only global administrators make global administrators.
 *
 * <p>Where a record names the administrator who did something (an audit entry's actor, who released a
 * quarantined message), an account the caller may not see is shown as {@link #GLOBAL_ADMINISTRATOR} or
 * {@link #ANOTHER_ADMINISTRATOR}, not by its username: the usernames of global administrators are what a
 * password guesser wants most. The stored record keeps the name; a global administrator sees it.
 */
final class UserScope {

    static final String GLOBAL_ADMINISTRATOR = "Global administrator";
    static final String ANOTHER_ADMINISTRATOR = "Administrator outside your scope";

    private UserScope() {
    }

    static boolean canSee(Caller caller, User user) {
        if (caller.isGlobalAdmin() || caller.is(user.id())) return true;
        return user.role() != AdminRole.GLOBAL_ADMIN && !user.organizationIds().isEmpty()
                && caller.organizationIds().containsAll(user.organizationIds());
    }

    static boolean canManage(Caller caller, User user) {
        if (caller.role() == Role.HELPDESK) return false;
        if (caller.isGlobalAdmin()) return true;
        return user.role() != AdminRole.GLOBAL_ADMIN && !user.organizationIds().isEmpty()
                && caller.organizationIds().containsAll(user.organizationIds());
    }

    /** The user, if it exists and the caller may see it; else 404, the same answer as for a missing one. */
    static User visible(Users users, Caller caller, String id) {
        return users.user(id).filter(u -> canSee(caller, u)).orElseThrow(() -> ProblemException.notFound(notFound(id)));
    }

    static User manageable(Users users, Caller caller, String id) {
        User user = visible(users, caller, id);
        if (!canManage(caller, user)) throw ProblemException.forbidden("Your role (" + caller.role() + ") may not change this account.");
        return user;
    }

    /**
     * How {@code caller} is shown a recorded administrator's name: as recorded, unless it names an account the
     * caller may not see. A name no account has now (a deleted or renamed account, the bootstrap token) is shown
     * as recorded: it opens no account to a password guesser. One lookup per name, for one request's records.
     */
    static UnaryOperator<String> actorNames(Users users, Caller caller) {
        if (caller.isGlobalAdmin()) return name -> name;
        Map<String, String> shown = new HashMap<>();
        return name -> name == null ? null : shown.computeIfAbsent(name, n -> users.userByName(n)
                .filter(u -> !canSee(caller, u))
                .map(u -> u.role() == AdminRole.GLOBAL_ADMIN ? GLOBAL_ADMINISTRATOR : ANOTHER_ADMINISTRATOR).orElse(n));
    }

    /**
     * How the administrators and users of {@code organizationId} are shown {@code caller} where it is written into
     * their mail or trace (who released a quarantined message): by the label {@link #actorNames} would give them,
     * since text written there cannot be mapped again when read. A caller that is no stored account (the bootstrap
     * token) by its name, as {@link #actorNames} does.
     */
    static String shownTo(String organizationId, Caller caller) {
        if (caller.userId() == null) return caller.name();
        if (caller.isGlobalAdmin()) return GLOBAL_ADMINISTRATOR;
        return Set.of(organizationId).containsAll(caller.organizationIds()) ? caller.name() : ANOTHER_ADMINISTRATOR;
    }

    static String notFound(String id) {
        return "There is no user with id " + id + ".";
    }
}
