/**
 * The directory ({@link sluice.core.org.Directory}) on SQL with an in-memory copy for the RCPT hot
 * path. Input: administrative changes; output: organizations, accepted domains and mailboxes, and the
 * look-ups by domain and address. Failure modes: duplicates are {@code Directory.Conflict}, missing
 * objects {@code Directory.NotFound}, addresses outside the organization's accepted domains
 * {@link java.lang.IllegalArgumentException}; the cache changes only after a successful commit. Rows an older
 * version wrote that cannot be read now are kept out of the look-ups, listed as unreadable and deletable by id,
 * unless readable addresses of their organization would be left with no accepted domain of their own; and no
 * domain is taken, or changed, to newly cover another organization's mailbox addresses.
 */
package sluice.store.directory;
