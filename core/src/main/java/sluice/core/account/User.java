package sluice.core.account;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An administrator account.
 *
 * @param username        unique regardless of case (see {@link #usernameKey}); letters, digits and
 *                        {@code . _ @ -}, so it can be typed, logged and shown without escaping
 * @param organizationIds the organizations in scope; empty for a global administrator, who sees all
 * @param passwordHash    Argon2id PHC string, or null for an account that can only use API tokens
 */
public record User(String id, String username, String displayName, AdminRole role, Set<String> organizationIds,
                   boolean enabled, String passwordHash) {

    public static final int MAX_USERNAME = 64;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1," + MAX_USERNAME + "}");

    public User {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("a user needs an id");
        Objects.requireNonNull(username, "username");
        if (!USERNAME.matcher(username).matches())
            throw new IllegalArgumentException("a username is 1 to " + MAX_USERNAME
                    + " letters, digits, dots, dashes, underscores or @");
        displayName = displayName == null || displayName.isBlank() ? username : displayName.strip();
        Objects.requireNonNull(role, "role");
        organizationIds = Set.copyOf(organizationIds);
        if (role == AdminRole.GLOBAL_ADMIN && !organizationIds.isEmpty())
            throw new IllegalArgumentException("a global administrator is not scoped to organizations");
    }

    /** The key that makes usernames unique regardless of case. */
    public String usernameKey() {
        return key(username);
    }

    public static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    public User withPasswordHash(String hash) {
        return new User(id, username, displayName, role, organizationIds, enabled, hash);
    }
}
