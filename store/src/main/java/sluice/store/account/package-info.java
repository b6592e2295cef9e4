/**
 * Administrator accounts, API tokens and the audit log on SQL ({@link sluice.store.account.SqlUsers},
 * {@link sluice.store.account.SqlAuditLog}). Reads go to the database each time (a token or session
 * request re-reads its user, so a disabled account stops at once); writes go through the group-commit
 * writer and are durable when they return. Failure modes: a taken username is a Users.Conflict, a
 * missing row Users.NotFound, storage failures a StoreException.
 */
package sluice.store.account;
