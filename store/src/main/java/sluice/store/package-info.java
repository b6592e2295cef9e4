/**
 * SQL persistence behind core's ports: the spool, the directory, the mailbox store and the trace.
 * Input: a data directory and a clock ({@link sluice.store.EmbeddedStore#open}); output: the four
 * port implementations. Failure modes: a data directory in use by another process or a schema that
 * cannot be migrated stops start-up with a clear message; a data directory that other users may
 * enter or that belongs to another user, or a database file of another user left readable, is only
 * a warning in the log (the database files Sluice owns are made owner-only); a storage failure
 * during a write reaches the caller as {@link sluice.store.StoreException} (treat as temporary:
 * nothing was stored).
 */
package sluice.store;
