package sluice.admin.testing;

import sluice.core.account.ApiToken;
import sluice.core.account.User;
import sluice.core.account.Users;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/** {@link Users} in memory, with the port's Conflict and NotFound. */
public final class InMemoryUsers implements Users {

    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, ApiToken> tokens = new ConcurrentHashMap<>();

    @Override
    public List<User> users() {
        return users.values().stream().sorted(Comparator.comparing(User::usernameKey)).toList();
    }

    @Override
    public Optional<User> user(String id) {
        return Optional.ofNullable(users.get(id));
    }

    /**
     * Run once, right after the next {@link #userByName} read, before its caller goes on: a change made in
     * between, as by a request that races the reader (a login that has read the account).
     */
    public final AtomicReference<Runnable> afterNextLookupByName = new AtomicReference<>();

    @Override
    public Optional<User> userByName(String username) {
        Optional<User> found = users.values().stream().filter(u -> u.usernameKey().equals(User.key(username))).findFirst();
        Runnable racing = afterNextLookupByName.getAndSet(null);
        if (racing != null) racing.run();
        return found;
    }

    @Override
    public synchronized User create(User user) {
        if (userByName(user.username()).isPresent()) throw new Conflict("A user named '" + user.username() + "' already exists.");
        users.put(user.id(), user);
        return user;
    }

    @Override
    public synchronized User update(User user) {
        if (!users.containsKey(user.id())) throw new NotFound("There is no user with id " + user.id() + ".");
        if (userByName(user.username()).filter(u -> !u.id().equals(user.id())).isPresent())
            throw new Conflict("A user named '" + user.username() + "' already exists.");
        users.put(user.id(), user);
        return user;
    }

    @Override
    public synchronized boolean replacePasswordHash(String id, String expectedHash, String newHash) {
        User user = users.get(id);
        if (user == null || !java.util.Objects.equals(user.passwordHash(), expectedHash)) return false;
        users.put(id, user.withPasswordHash(newHash));
        return true;
    }

    @Override
    public synchronized void delete(String id) {
        if (users.remove(id) == null) throw new NotFound("There is no user with id " + id + ".");
        tokens.values().removeIf(t -> t.userId().equals(id));
    }

    @Override
    public List<ApiToken> tokens(String userId) {
        return tokens.values().stream().filter(t -> userId == null || t.userId().equals(userId))
                .sorted(Comparator.comparing(ApiToken::createdAt).thenComparing(ApiToken::id)).toList();
    }

    @Override
    public Optional<ApiToken> token(String id) {
        return Optional.ofNullable(tokens.get(id));
    }

    @Override
    public Optional<ApiToken> tokenBySecretHash(String secretHash) {
        return tokens.values().stream().filter(t -> t.secretHash().equals(secretHash)).findFirst();
    }

    @Override
    public synchronized ApiToken createToken(ApiToken token) {
        if (!users.containsKey(token.userId())) throw new NotFound("There is no user with id " + token.userId() + ".");
        tokens.put(token.id(), token);
        return token;
    }

    @Override
    public synchronized void deleteToken(String id) {
        if (tokens.remove(id) == null) throw new NotFound("There is no API token with id " + id + ".");
    }
}
