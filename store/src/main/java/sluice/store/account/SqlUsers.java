package sluice.store.account;

import sluice.core.account.ApiToken;
import sluice.core.account.User;
import sluice.core.account.Users;
import sluice.store.db.Dialect;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;
import sluice.store.db.SqlWork;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@link Users} on SQL. Administrators are few and their requests rare next to mail, so every read
 * is a query on an indexed column rather than a cache that would have to be kept right across nodes.
 */
public final class SqlUsers implements Users {

    private final GroupCommitWriter writer;
    private final ReadPool readers;
    private final Dialect dialect;

    public SqlUsers(GroupCommitWriter writer, ReadPool readers, Dialect dialect) {
        this.writer = writer;
        this.readers = readers;
        this.dialect = dialect;
    }

    @Override
    public List<User> users() {
        return readers.read(c -> UserRows.users(c, "1 = 1 ORDER BY username_key", null));
    }

    @Override
    public Optional<User> user(String id) {
        return readers.read(c -> UserRows.users(c, "id = ?", id)).stream().findFirst();
    }

    @Override
    public Optional<User> userByName(String username) {
        return readers.read(c -> UserRows.users(c, "username_key = ?", User.key(username))).stream().findFirst();
    }

    @Override
    public User create(User user) {
        write(c -> {
            UserRows.insert(c, user);
            return null;
        }, user);
        return user;
    }

    @Override
    public User update(User user) {
        write(c -> {
            if (!UserRows.update(c, user)) throw new NotFound("There is no user with id " + user.id() + ".");
            return null;
        }, user);
        return user;
    }

    @Override
    public boolean replacePasswordHash(String id, String expectedHash, String newHash) {
        return writer.write(c -> UserRows.replacePasswordHash(c, id, expectedHash, newHash));
    }

    @Override
    public void delete(String id) {
        writer.write(c -> {
            // user_organizations and api_tokens go with it (ON DELETE CASCADE)
            if (UserRows.delete(c, "users", id) == 0) throw new NotFound("There is no user with id " + id + ".");
            return null;
        });
    }

    @Override
    public List<ApiToken> tokens(String userId) {
        return readers.read(c -> userId == null ? TokenRows.tokens(c, "1 = 1", null) : TokenRows.tokens(c, "user_id = ?", userId));
    }

    @Override
    public Optional<ApiToken> token(String id) {
        return readers.read(c -> TokenRows.tokens(c, "id = ?", id)).stream().findFirst();
    }

    @Override
    public Optional<ApiToken> tokenBySecretHash(String secretHash) {
        return readers.read(c -> TokenRows.tokens(c, "secret_hash = ?", secretHash)).stream().findFirst();
    }

    @Override
    public ApiToken createToken(ApiToken token) {
        writer.write(c -> {
            if (UserRows.users(c, "id = ?", token.userId()).isEmpty())
                throw new NotFound("There is no user with id " + token.userId() + ".");
            TokenRows.insert(c, token);
            return null;
        });
        return token;
    }

    @Override
    public void deleteToken(String id) {
        writer.write(c -> {
            if (UserRows.delete(c, "api_tokens", id) == 0) throw new NotFound("There is no API token with id " + id + ".");
            return null;
        });
    }

    /** Writes a user; a unique violation on username_key becomes a Conflict the API can answer with 409. */
    private void write(SqlWork<Void> work, User user) {
        writer.write(c -> {
            try {
                return work.run(c);
            } catch (SQLException e) {
                if (dialect.isUniqueViolation(e)) throw new Conflict("A user named '" + user.username() + "' already exists.");
                throw e;
            }
        });
    }
}
