package sluice.store.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import sluice.store.StoreException;
import sluice.store.dkim.DkimKeysOfDomainsNoLongerHeld;

/**
 * Brings the schema to the current version with Flyway (SQLite support is in flyway-core 11). The
 * scripts under {@code sluice/store/migration} are shared by every {@link Dialect}; the differences
 * are Flyway placeholders. A migration never edits a released script: it adds the next version.
 */
public final class Migrations {
    private Migrations() {
    }

    public static void migrate(String jdbcUrl, Dialect dialect) {
        try {
            Flyway.configure()
                    .dataSource(jdbcUrl, null, null)
                    .locations("classpath:sluice/store/migration")
                    .placeholders(dialect.placeholders())
                    .callbacks(new DkimKeysOfDomainsNoLongerHeld())
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("the database schema could not be migrated: " + e.getMessage(), e);
        }
    }
}
