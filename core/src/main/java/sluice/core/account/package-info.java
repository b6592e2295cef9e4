/**
 * Administrator accounts and the audit log: who may administer Sluice ({@link sluice.core.account.User}
 * with an {@link sluice.core.account.AdminRole} and the organizations in its scope), their API tokens,
 * and the record of every configuration change. Input: records from the admin API; output: the same,
 * read back. The storage behind {@link sluice.core.account.Users} and {@link sluice.core.account.AuditLog}
 * lives in the store module. Secrets never enter these records in clear: passwords arrive as Argon2id
 * hashes, token secrets as SHA-256 digests. Failure modes: {@link sluice.core.account.Users.Conflict}
 * for a taken username, {@link sluice.core.account.Users.NotFound} for a missing object.
 */
package sluice.core.account;
