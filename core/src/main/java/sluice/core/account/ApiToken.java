package sluice.core.account;

import java.time.Instant;
import java.util.Objects;

/**
 * An API token of a user. Only the digest of the secret is kept: whoever reads the store cannot use
 * the tokens in it.
 *
 * @param secretHash lower-case hex SHA-256 of the secret, the lookup key when a request presents it
 * @param expiresAt  null for a token that does not expire
 */
public record ApiToken(String id, String userId, String name, String secretHash, Instant createdAt, Instant expiresAt) {

    public ApiToken {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("a token needs an id");
        Objects.requireNonNull(userId, "userId");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a token needs a name");
        if (secretHash == null || !secretHash.matches("[0-9a-f]{64}"))
            throw new IllegalArgumentException("secretHash must be a hex SHA-256 digest");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
