package sluice.admin.auth;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An authenticated caller of the admin API and its scope. Every route asks {@link #canSee} before it
 * reveals an object and {@link #canChange} before it changes one.
 *
 * @param name            who it is, for the access log and (later) the audit log
 * @param organizationIds the organizations in scope; must be empty for {@link Role#GLOBAL_ADMIN}, who
 *                        sees all, and an empty set means "none" for every other role
 */
public record Caller(String name, Role role, Set<String> organizationIds) {

    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        organizationIds = Set.copyOf(organizationIds);
        if (role == Role.GLOBAL_ADMIN && !organizationIds.isEmpty())
            throw new IllegalArgumentException("a global administrator is not scoped to organizations");
    }

    public static Caller globalAdmin(String name) {
        return new Caller(name, Role.GLOBAL_ADMIN, Set.of());
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
