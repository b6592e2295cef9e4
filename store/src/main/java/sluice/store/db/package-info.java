/**
 * The database plumbing shared by every store: opening SQLite with the durability pragmas,
 * migrations (Flyway), the group-commit writer (one thread, one write connection, one sync per batch
 * of concurrent writes) and the read pool. Input: a database file; output: {@code write}/{@code read}
 * of {@link sluice.store.db.SqlWork}. Failure modes: a failing task fails only its caller; a failing
 * commit fails every caller of that batch with {@link sluice.store.StoreException}; nothing is ever
 * reported as written before its commit returned. Dialect differences live in
 * {@link sluice.store.db.Dialect} only.
 */
package sluice.store.db;
