package sluice.admin.api;

import sluice.admin.auth.Caller;
import sluice.admin.auth.Role;
import sluice.admin.http.ProblemException;
import sluice.core.account.AdminRole;
import sluice.core.account.User;
import sluice.core.account.Users;

/**
 * Which administrator accounts a caller may see and manage. A global administrator: all. Anyone else:
 * itself, and the accounts scoped entirely within its own organizations (an account that also reaches
 * another organization belongs partly to another tenant, so it is out of scope, as is every global
 * administrator). Only organization administrators and global administrators change accounts, and
 * only global administrators make global administrators.
 */
final class UserScope {

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

    static String notFound(String id) {
        return "There is no user with id " + id + ".";
    }
}
