package sluice.store.db;

import java.sql.SQLException;
import java.util.Map;

/**
 * Everything that differs between the SQL databases we run on, in one place. The migrations are
 * shared and use Flyway placeholders for the few type names that differ; the rest of the store
 * speaks the common subset (TEXT ids, BIGINT epoch millis, INTEGER 0/1 flags,
 * INSERT ... ON CONFLICT, SAVEPOINT).
 */
public enum Dialect {
    /** The embedded default: one file, one writer, every commit synced. */
    SQLITE("BLOB"),
    /** Several nodes sharing one store (not wired yet: a later issue adds it). */
    POSTGRESQL("BYTEA");

    private final String blobType;

    Dialect(String blobType) {
        this.blobType = blobType;
    }

    /** Flyway placeholders used by the migration scripts. */
    public Map<String, String> placeholders() {
        return Map.of("blob", blobType);
    }

    /**
     * {@code work}, with a unique or primary-key violation the caller's cache did not foresee (another
     * node got there first) thrown as {@code conflict} of the message.
     */
    public <T> SqlWork<T> refusingDuplicates(SqlWork<T> work, java.util.function.Function<String, RuntimeException> conflict) {
        return c -> {
            try {
                return work.run(c);
            } catch (SQLException e) {
                if (isUniqueViolation(e)) throw conflict.apply("already exists: " + e.getMessage());
                throw e;
            }
        };
    }

    /** True when {@code e} says a unique or primary-key constraint refused the row. */
    public boolean isUniqueViolation(SQLException e) {
        return switch (this) {
            // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555) are extended codes;
            // xerial reports the primary code 19 unless extended codes are on, so check the message too.
            case SQLITE -> e.getErrorCode() == 2067 || e.getErrorCode() == 1555
                    || (e.getErrorCode() == 19 && String.valueOf(e.getMessage()).contains("UNIQUE"));
            case POSTGRESQL -> "23505".equals(e.getSQLState());
        };
    }
}
