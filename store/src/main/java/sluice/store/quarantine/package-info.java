/**
 * The quarantine store ({@link sluice.core.quarantine.QuarantineStore}) on SQL: one row per held
 * message with its content (checksummed), one per recipient. Input: held messages, releases,
 * deletions; output: searches (a page at a time, each starting just after the last row of the one
 * before), entries, contents. Failure modes: writes go through the group-commit
 * writer and fail with a {@link sluice.store.StoreException}; a row that cannot be read back (damaged
 * content, unparsable address) is skipped in searches and absent for get, and logged, never thrown
 * at the admin.
 */
package sluice.store.quarantine;
