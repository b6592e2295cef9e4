package sluice.admin.auth;

import sluice.core.account.AdminRole;
import sluice.core.account.User;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller of the admin API and its scope. Every route asks {@link #canSee} before it
 * reveals an object and {@link #canChange} before it changes one.
 *
 * @param name            who it is, for the access log and the audit log
 * @param organizationIds the organizations in scope; must be empty for {@link Role#GLOBAL_ADMIN}, who
 *                        sees all, and an empty set means "none" for every other role
 * @param userId          the {@link User} behind a token or session; null for the bootstrap token
 */
public record Caller(String name, Role role, Set<String> organizationIds, String userId) {

    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        organizationIds = Set.copyOf(organizationIds);
        if (role == Role.GLOBAL_ADMIN && !organizationIds.isEmpty())
            throw new IllegalArgumentException("a global administrator is not scoped to organizations");
    }

    /** A caller that is no stored user (the bootstrap token, tests). */
    public Caller(String name, Role role, Set<String> organizationIds) {
        this(name, role, organizationIds, null);
    }

    public static Caller globalAdmin(String name) {
        return new Caller(name, Role.GLOBAL_ADMIN, Set.of());
    }

    /** The caller a user's token or session stands for, with the user's current role and organizations. */
    public static Caller of(User user) {
        return new Caller(user.username(), Role.of(user.role()), user.role() == AdminRole.GLOBAL_ADMIN ? Set.of()
                : user.organizationIds(), user.id());
    }

    /** True when this caller is the stored user {@code id}. */
    public boolean is(String id) {
        return userId != null && userId.equals(id);
    }

    public boolean isGlobalAdmin() {
        return role == Role.GLOBAL_ADMIN;
    }

    /** May this caller know that an object of {@code organizationId} exists? Null (no organization) is global-only. */
    public boolean canSee(String organizationId) {
        return isGlobalAdmin() || organizationId != null && organizationIds.contains(organizationId);
    }

    /** May this caller change an object of {@code organizationId}? */
    public boolean canChange(String organizationId) {
        return role != Role.HELPDESK && canSee(organizationId);
    }

    /** The scope as the ports take it: null for all organizations, else the list of ids. */
    public List<String> scope() {
        return isGlobalAdmin() ? null : List.copyOf(organizationIds);
    }
}
