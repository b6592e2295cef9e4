package sluice.core.account;

import java.util.List;
import java.util.Optional;

/**
 * Administrator accounts and their API tokens. Every request authenticated by a token or a session
 * reads its user again, so implementations answer reads cheaply; a write is visible to every read
 * that starts after it returned.
 */
public interface Users {

    List<User> users();
    Optional<User> user(String id);
    /** Case-insensitive. */
    Optional<User> userByName(String username);
    /** @throws Conflict when the username is taken (regardless of case) */
    User create(User user);
    /** @throws NotFound when there is no such user; {@link Conflict} when the new username is taken */
    User update(User user);
    /**
     * Sets the password hash of {@code id} to {@code newHash} if it is still {@code expectedHash}, leaving the rest
     * of the account as it is now: a login upgrading the hash it has just checked must not write back the rest
     * of the account as it read it (undoing a disable or a change of role made meanwhile), nor replace a
     * password set meanwhile.
     *
     * @return false, with nothing changed, when there is no such user or its hash is no longer {@code expectedHash}
     */
    boolean replacePasswordHash(String id, String expectedHash, String newHash);
    /** Deletes the user and all its tokens. @throws NotFound when there is no such user */
    void delete(String id);

    /** The tokens of {@code userId}, or of every user when it is null, oldest first. */
    List<ApiToken> tokens(String userId);
    Optional<ApiToken> token(String id);
    Optional<ApiToken> tokenBySecretHash(String secretHash);
    /** @throws NotFound when the token's user does not exist */
    ApiToken createToken(ApiToken token);
    /** @throws NotFound when there is no such token */
    void deleteToken(String id);

    final class Conflict extends RuntimeException {
        public Conflict(String message) { super(message); }
    }

    final class NotFound extends RuntimeException {
        public NotFound(String message) { super(message); }
    }
}
