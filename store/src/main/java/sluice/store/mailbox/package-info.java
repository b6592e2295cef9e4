/**
 * Hosted mailbox content ({@link sluice.core.mailbox.MailboxStore}) on SQL. Input: messages to
 * append with the mailbox's quota; output: listings, content and usage. Failure modes: an append
 * that would pass the quota throws {@code QuotaExceeded} and stores nothing; a returned append is
 * synced. Every committed write to a mailbox, delivery or IMAP change, then raises its
 * {@link sluice.core.mailbox.MailboxChanges} version, which IMAP sessions watch instead of polling.
 */
package sluice.store.mailbox;
