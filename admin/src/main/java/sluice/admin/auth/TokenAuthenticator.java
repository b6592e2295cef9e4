package sluice.admin.auth;

import java.util.Optional;

/**
 * Resolves a bearer token to a caller. Implementations: {@link BootstrapTokenAuthenticator} now;
 * per-user API tokens from the store later, chained with {@link #or}.
 */
@FunctionalInterface
public interface TokenAuthenticator {

    /** The caller this token belongs to, or empty for an unknown, expired or revoked token. Never throws for a bad token. */
    Optional<Caller> authenticate(String token);

    /** Tries this authenticator, then {@code next}. */
    default TokenAuthenticator or(TokenAuthenticator next) {
        return token -> authenticate(token).or(() -> next.authenticate(token));
    }
}
