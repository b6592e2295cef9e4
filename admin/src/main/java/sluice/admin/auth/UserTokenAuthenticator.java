package sluice.admin.auth;

import sluice.core.account.ApiToken;
import sluice.core.account.User;
import sluice.core.account.Users;

import java.time.InstantSource;
import java.util.Optional;

/**
 * Per-user API tokens ({@code slc_...}): the secret's SHA-256 is looked up in {@link Users}, then the
 * token's user is read again, so disabling a user, changing its role or organizations, or deleting it
 * takes effect on the very next request.
 */
public final class UserTokenAuthenticator implements TokenAuthenticator {

    /** Marks our tokens, so secret scanners can recognise a leaked one and other tokens skip the lookup. */
    public static final String PREFIX = "slc_";

    private final Users users;
    private final InstantSource clock;

    public UserTokenAuthenticator(Users users, InstantSource clock) {
        this.users = users;
        this.clock = clock;
    }

    /** A new secret: {@code slc_} and 32 random bytes in base64url. */
    public static String newSecret() {
        return PREFIX + Secrets.random();
    }

    @Override
    public Optional<Caller> authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX)) return Optional.empty();
        return users.tokenBySecretHash(Secrets.digest(token))
                .filter(t -> !t.expired(clock.instant()))
                .map(ApiToken::userId)
                .flatMap(users::user)
                .filter(User::enabled)
                .map(Caller::of);
    }
}
