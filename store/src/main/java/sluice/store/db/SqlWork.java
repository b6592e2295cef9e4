package sluice.store.db;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of SQL work run on a connection the caller does not own (the writer's or a reader's). */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
