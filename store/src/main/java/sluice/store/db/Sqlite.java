package sluice.store.db;

import org.sqlite.SQLiteConfig;
import sluice.store.StoreException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How we open SQLite. The pragmas are the durability promise: WAL (readers never block the writer),
 * synchronous=FULL (every commit is fsynced before it returns: a {@code 250} after DATA means the
 * message is on disk), foreign keys on (SQLite's default is off), and a busy timeout so a
 * checkpoint or a second process waits rather than failing at once.
 */
public final class Sqlite {
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private Sqlite() {
    }

    public static String url(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    public static Connection openWriter(Path file) {
        SQLiteConfig config = common();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        return open(file, config);
    }

    public static Connection openReader(Path file) {
        Connection c = open(file, common());
        // query_only rather than a read-only open: a read-only handle cannot create the WAL index
        // (-shm) when it is the first to open the file after a crash.
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only = 1");
            return c;
        } catch (SQLException e) {
            throw new StoreException("cannot open a read connection to " + file + ": " + e.getMessage(), e);
        }
    }

    private static SQLiteConfig common() {
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        return config;
    }

    private static Connection open(Path file, SQLiteConfig config) {
        try {
            return config.createConnection(url(file));
        } catch (SQLException e) {
            throw new StoreException("cannot open the database " + file + ": " + e.getMessage(), e);
        }
    }
}
